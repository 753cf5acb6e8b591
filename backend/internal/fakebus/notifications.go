package fakebus

import (
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// Notification is one Notify call the fake notification service took,
// with the arguments of the Desktop Notifications Specification
// (https://specifications.freedesktop.org/notification-spec/latest/).
type Notification struct {
	AppName    string
	ReplacesID uint32
	Icon       string
	Summary    string
	Body       string
	Actions    []string
	Expire     int32
}

// Notifier is a fake org.freedesktop.Notifications that records what it
// is asked to show and answers each call with a new id.
type Notifier struct {
	mu    sync.Mutex
	calls []Notification
}

// Notifications owns org.freedesktop.Notifications on the bus at addr
// until t ends.
func Notifications(t testing.TB, addr string) *Notifier {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect to the private bus: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	n := &Notifier{}
	if err := conn.Export(notifyMethods{n}, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.freedesktop.Notifications: %v (reply %d)", err, reply)
	}
	return n
}

// Calls are the notifications shown so far, oldest first. A Notify call
// is recorded before it is answered, so a caller that waited for the
// answer finds its call here.
func (n *Notifier) Calls() []Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notification(nil), n.calls...)
}

// notifyMethods are the D-Bus methods Export finds by name.
type notifyMethods struct{ n *Notifier }

// Notify records the call and answers with its id (1, 2, ...).
func (m notifyMethods) Notify(appName string, replacesID uint32, icon, summary, body string, actions []string,
	_ map[string]dbus.Variant, expire int32) (uint32, *dbus.Error) {
	m.n.mu.Lock()
	defer m.n.mu.Unlock()
	m.n.calls = append(m.n.calls, Notification{AppName: appName, ReplacesID: replacesID, Icon: icon, Summary: summary, Body: body, Actions: actions, Expire: expire})
	return uint32(len(m.n.calls)), nil
}
