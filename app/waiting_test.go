package app

import (
	"strings"
	"testing"

	"bankdesk/backend/view"
)

// "Open again" opens the very link the connect opened, from the backend.
func TestOpenLoginAgainOpensTheSameLink(t *testing.T) {
	a, rt := newTestApp(t)
	unlock(t, a)
	if err := a.OpenLoginAgain(); err == nil {
		t.Fatal("opened a link while no login was under way")
	}
	start, err := a.Connect("mock")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.OpenLoginAgain(); err != nil {
		t.Fatal(err)
	}
	if len(rt.opened) != 2 || rt.opened[0] != rt.opened[1] || rt.opened[0] != start.Link {
		t.Fatalf("opened %q, want the connect's link %q twice", rt.opened, start.Link)
	}
}

// A pasted bank address completes the connection the window waits for,
// which hears of it as of a deep link; junk is refused in a sentence and
// the window hears nothing.
func TestPastedAddressCompletesTheConnection(t *testing.T) {
	a, rt := newTestApp(t)
	unlock(t, a)
	cb := bankLogin(t, a, rt, "doe")
	err := a.CompletePasted("bankdesk://callback?code=junk")
	if err == nil || !strings.HasPrefix(err.Error(), "That is not the address your bank sent you to.") {
		t.Fatalf("junk: %v", err)
	}
	if err := a.CompletePasted(cb); err != nil {
		t.Fatal(err)
	}
	done := waitEvent(t, rt, view.EventConnected+" ")
	if !strings.Contains(done, `"accounts":2`) {
		t.Fatalf("connected: %s", done)
	}
	for _, e := range rt.events {
		if strings.HasPrefix(e, view.EventConnectFailed) {
			t.Fatalf("the junk paste reached the window: %s", e)
		}
	}
}
