package app

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"bankdesk/backend/config"
	"bankdesk/backend/sandbox"
)

// fakeRuntime records what the app asks of Wails.
type fakeRuntime struct {
	mu     sync.Mutex
	events []string
	opened []string
	shown  int
}

func (f *fakeRuntime) EventsEmit(name string, data ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, _ := json.Marshal(data)
	f.events = append(f.events, name+" "+string(b))
}
func (f *fakeRuntime) BrowserOpenURL(url string) {
	f.mu.Lock()
	f.opened = append(f.opened, url)
	f.mu.Unlock()
}
func (f *fakeRuntime) Show() { f.mu.Lock(); f.shown++; f.mu.Unlock() }

func newTestApp(t *testing.T) (*App, *fakeRuntime) {
	t.Helper()
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	a := New(cfg, nil, nil)
	rt := &fakeRuntime{}
	a.rt = rt
	t.Cleanup(func() { a.shutdown(nil) })
	return a, rt
}

func TestStatusAndBanksFromBuiltinSandbox(t *testing.T) {
	a, _ := newTestApp(t)
	st, err := a.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !st.Builtin || st.Environment != "builtin" || !strings.HasPrefix(st.AuthURL, "http://127.0.0.1:") {
		t.Fatalf("status = %+v, want the in-process sandbox", st)
	}
	banks, err := a.Banks()
	if err != nil {
		t.Fatal(err)
	}
	if len(banks) < 2 || banks[0].ID != "mock" || banks[0].Name != "Mock" {
		t.Fatalf("banks = %+v, want Mock first", banks)
	}
	for _, b := range banks {
		if !strings.HasPrefix(b.LogoURL, st.AuthURL) {
			t.Errorf("%s logo %q is not served locally", b.ID, b.LogoURL)
		}
	}
}

// Nothing a bound method returns may carry the client secret.
func TestBoundResultsCarryNoSecret(t *testing.T) {
	a, _ := newTestApp(t)
	st, err := a.Status()
	if err != nil {
		t.Fatal(err)
	}
	banks, err := a.Banks()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal([]any{st, banks})
	if strings.Contains(string(out), sandbox.ClientSecret) {
		t.Fatalf("bound result leaks the client secret: %s", out)
	}
}

func TestReportReadyEmitsEvent(t *testing.T) {
	a, rt := newTestApp(t)
	if err := a.ReportReady(""); err == nil {
		t.Fatal("empty screen name accepted")
	}
	if err := a.ReportReady("welcome"); err != nil {
		t.Fatal(err)
	}
	if len(rt.events) != 1 || rt.events[0] != `app:ready ["welcome"]` {
		t.Fatalf("events = %q", rt.events)
	}
}

func TestConfigErrorSurfacesAsReadableError(t *testing.T) {
	a := New(config.Config{}, errors.New("BANKDESK_ENV: unknown environment \"prod\""), nil)
	if _, err := a.Status(); err == nil || !strings.Contains(err.Error(), "BANKDESK_ENV") {
		t.Fatalf("err = %v", err)
	}
	if _, err := a.Banks(); err == nil {
		t.Fatal("Banks worked without a backend")
	}
}

// The forwarding second instance runs OnStartup: it must not start anything.
func TestStartupHasNoSideEffects(t *testing.T) {
	cfg, _ := config.FromEnv(func(string) string { return "" })
	a := New(cfg, nil, nil)
	opened := false
	a.open = nil // a call would panic: startup must not open the backend
	a.startup(nil)
	a.mu.Lock()
	started := a.desk != nil
	a.mu.Unlock()
	if started || opened {
		t.Fatal("startup opened the backend")
	}
}
