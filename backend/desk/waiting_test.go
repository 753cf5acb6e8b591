package desk

import (
	"context"
	"errors"
	"strings"
	"testing"

	"bankdesk/backend/connect"
	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/internal/testhost"
	"bankdesk/backend/sandbox"
)

// noReport fails when the desk told the Sink about a login.
func noReport(t *testing.T, sink *recordSink, what string) {
	t.Helper()
	select {
	case err := <-sink.logins:
		t.Fatalf("%s was reported to the window: %v", what, err)
	default:
	}
}

// A pasted redirect finishes the login as the deep link does; what is not
// one (empty, junk, another site, a state no login has) is refused with a
// sentence, tells the window nothing and leaves the login waiting.
func TestCompletePastedFinishesTheLoginTheDeepLinkWould(t *testing.T) {
	sb := testenv.Sandbox(t, nil)
	sink := newRecordSink()
	d := openDesk(t, Options{Config: sandboxConfig(t, sb, nil), Sink: sink})
	ctx := context.Background()
	if _, err := d.LoginLink(); !errors.Is(err, ErrNoLogin) {
		t.Fatalf("before any login: %v", err)
	}
	start, err := d.Connect(ctx, "mock")
	if err != nil {
		t.Fatal(err)
	}
	if l, err := d.LoginLink(); err != nil || l.URL != start.Link {
		t.Fatalf("LoginLink = %q, %v; want the link Connect gave", l.URL, err)
	}
	cb, err := sandbox.Login(ctx, nil, start.Link, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(cb, "state=", "state=X", 1)
	for pasted, says := range map[string]string{
		"":                               "Paste the address first",
		"  \n ":                          "Paste the address first",
		"my bank said ok":                "not the address your bank sent you to. It starts with bankdesk://callback",
		"https://evil.example/callback?": "not the address your bank sent you to",
		"bankdesk://callback?state=s":    "not the address your bank sent you to",
		forged:                           "belongs to no login Bankdesk is waiting for",
	} {
		err := d.CompletePasted(ctx, pasted)
		var pe *PasteError
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, says) {
			t.Errorf("paste %q: %v, want a PasteError saying %q", pasted, err, says)
		}
		if err != nil && strings.Contains(err.Error(), "code=") && strings.Contains(err.Error(), mustCode(t, cb)) {
			t.Errorf("paste %q: the error shows the code", pasted)
		}
	}
	noReport(t, sink, "a refused paste")
	if conns, _ := d.Store().Connections(); len(conns) != 0 {
		t.Fatalf("a refused paste stored %d connections", len(conns))
	}

	if err := d.CompletePasted(ctx, "  "+cb+"\n"); err != nil {
		t.Fatalf("the real address: %v", err)
	}
	if err := <-sink.logins; err != nil {
		t.Fatalf("the window heard: %v", err)
	}
	if conns, _ := d.Store().Connections(); len(conns) != 1 {
		t.Fatalf("%d connections after the paste", len(conns))
	}
	if _, err := d.LoginLink(); !errors.Is(err, ErrNoLogin) {
		t.Fatalf("after the login finished, LoginLink: %v", err)
	}
	var pe *PasteError
	if err := d.CompletePasted(ctx, cb); !errors.As(err, &pe) || !strings.Contains(pe.Message, "used already") {
		t.Fatalf("the same address twice: %v", err)
	}
	noReport(t, sink, "a used address")
}

func mustCode(t *testing.T, cb string) string {
	t.Helper()
	_, q, ok := strings.Cut(cb, "code=")
	if !ok {
		t.Fatalf("no code in %s", cb)
	}
	code, _, _ := strings.Cut(q, "&")
	return code
}

// Where the bank redirects to the loopback port, its address pasted
// finishes the login too (the port may be blocked, or the tab elsewhere).
func TestCompletePastedTakesTheLoopbackAddress(t *testing.T) {
	sb := testenv.Sandbox(t, nil)
	sink := newRecordSink()
	d := openDesk(t, Options{Config: sandboxConfig(t, sb, map[string]string{"BANKDESK_REDIRECT_URI": testhost.RedirectURI(t)}), Sink: sink})
	ctx := context.Background()
	start, err := d.Connect(ctx, "mock")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := sandbox.Login(ctx, nil, start.Link, "john", "doe")
	if err != nil || !strings.HasPrefix(cb, "http://127.0.0.1:") {
		t.Fatalf("callback %q, %v", cb, err)
	}
	var pe *PasteError
	if err := d.CompletePasted(ctx, "bankdesk://callback?"+strings.SplitN(cb, "?", 2)[1]); !errors.As(err, &pe) || !strings.Contains(pe.Message, "It starts with http://127.0.0.1:") {
		t.Fatalf("the deep link's form of a loopback answer: %v", err)
	}
	if err := d.CompletePasted(ctx, cb); err != nil {
		t.Fatal(err)
	}
	if err := <-sink.logins; err != nil {
		t.Fatalf("the window heard: %v", err)
	}
}

// The link to open again is valid only as long as the login is.
func TestLoginLinkExpiresWithTheLogin(t *testing.T) {
	clk := testclock.New(testenv.Start)
	sb := testenv.Sandbox(t, clk)
	d := openDesk(t, Options{Config: sandboxConfig(t, sb, nil), Now: clk.Now})
	if _, err := d.Connect(context.Background(), "mock"); err != nil {
		t.Fatal(err)
	}
	clk.Add(connect.AttemptTTL - 1)
	if _, err := d.LoginLink(); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
	clk.Add(1)
	if _, err := d.LoginLink(); !errors.Is(err, ErrLoginExpired) {
		t.Fatalf("at expiry: %v", err)
	}
}
