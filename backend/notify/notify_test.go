//go:build !darwin && !windows

package notify

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"bankdesk/backend/internal/fakebus"
)

// Send calls Notify with the specification's arguments: Bankdesk's name
// and icon, the title as summary, the body, no actions, the server's
// default expiry; and returns once the service answered.
func TestSendCallsNotifyOnTheSessionBus(t *testing.T) {
	addr := fakebus.Start(t)
	service := fakebus.Notifications(t, addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	n := Notification{Title: "Bankdesk: Mock", Body: `Open Bankdesk by 29 March to keep "your bank" connected & <safe>.`}
	if err := Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	calls := service.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls: %+v", len(calls), calls)
	}
	got := calls[0]
	if got.AppName != "Bankdesk" || got.Icon != "bankdesk" || got.Summary != n.Title || got.Body != n.Body ||
		got.ReplacesID != 0 || len(got.Actions) != 0 || got.Expire != -1 {
		t.Fatalf("Notify(%+v)", got)
	}
}

// A service that takes the call and never answers costs the caller its
// deadline, not more: the error says no notification was shown because
// the service did not answer in time.
func TestSendGivesUpOnAServiceThatNeverAnswers(t *testing.T) {
	addr := fakebus.Start(t)
	calls := fakebus.Hang(t, addr, "org.freedesktop.Notifications")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := Send(ctx, Notification{Title: "Bankdesk", Body: "hello"})
	var ue *UnavailableError
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ue) {
		t.Fatalf("Send: %v", err)
	}
	select {
	case m := <-calls:
		if m != "Notify" {
			t.Fatalf("the service was asked %q", m)
		}
	default:
		t.Fatal("the call never reached the service")
	}
}

// No service on the bus, or no bus at all: ErrUnavailable, at once.
func TestSendWithoutAServiceIsUnavailable(t *testing.T) {
	addr := fakebus.Start(t)
	for name, bus := range map[string]string{
		"no service": addr,
		"no bus":     "unix:path=" + filepath.Join(t.TempDir(), "none"),
	} {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
		err := Send(context.Background(), Notification{Title: "Bankdesk", Body: "hello"})
		if !errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
