// Package fakebus runs a private D-Bus session bus for tests, with
// services on it: one that takes calls and never answers (Hang), what a
// Secret Service looks like when D-Bus can activate it but it never
// starts, as in SECURITY.md's keyring deadline; and a desktop notification
// service that records what it is asked to show (Notifications).
package fakebus

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

// config is a session bus that activates nothing and lets anyone own and
// call anything.
const config = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// Start runs a private bus until t ends and returns its address. Without
// dbus-daemon the test is skipped, except in CI (CI set), where it fails.
func Start(t testing.TB) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("dbus-daemon is needed for this test (apt-get install dbus)")
		}
		t.Skip("dbus-daemon not installed")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, config, dir), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+cfg, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }) // Wait reports the kill
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(line)
}

// Hang owns name on the bus at addr and takes every method call without
// ever answering; each call's member name is sent on the returned channel
// (buffered; calls beyond its room are not reported).
func Hang(t testing.TB, addr, name string) <-chan string {
	t.Helper()
	calls := make(chan string, 64)
	conn, err := dbus.Connect(addr, dbus.WithHandler(silent{calls}))
	if err != nil {
		t.Fatalf("connect to the private bus: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v (reply %d)", name, err, reply)
	}
	return calls
}

// silent is a dbus.Handler whose every object, interface and method
// exists and blocks forever, so no reply is ever sent.
type silent struct{ calls chan string }

func (s silent) LookupObject(dbus.ObjectPath) (dbus.ServerObject, bool) { return s, true }
func (s silent) LookupInterface(string) (dbus.Interface, bool)          { return s, true }
func (s silent) LookupMethod(name string) (dbus.Method, bool) {
	return hung{name: name, calls: s.calls}, true
}

type hung struct {
	name  string
	calls chan string
}

func (h hung) DecodeArguments(*dbus.Conn, string, *dbus.Message, []any) ([]any, error) {
	return nil, nil
}

func (h hung) Call(...any) ([]any, error) {
	select {
	case h.calls <- h.name:
	default:
	}
	select {}
}

func (h hung) NumArguments() int     { return 0 }
func (h hung) NumReturns() int       { return 0 }
func (h hung) ArgumentValue(int) any { return nil }
func (h hung) ReturnValue(int) any   { return nil }
