package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"bankdesk/backend/cli"
	"bankdesk/backend/config"
	"bankdesk/backend/desk"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/vault"
	"bankdesk/backend/view"
)

// fakeRuntime records what the app asks of Wails.
type fakeRuntime struct {
	mu       sync.Mutex
	events   []string
	opened   []string
	shown    int
	notes    []string
	noNotify bool
	saveTo   string   // what the save dialog answers ("" = cancelled)
	saveDirs []string // the folders the save dialogs started in
	fakeDesktop
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
	rt := &fakeRuntime{}
	return openApp(t, testConfig(t), rt), rt
}

// openApp opens the window's app on cfg, as a start of the program does,
// with rt for its runtime; the test's end shuts it down.
func openApp(t *testing.T, cfg config.Config, rt *fakeRuntime) *App {
	t.Helper()
	a := New(cfg, nil, nil)
	a.rt = rt
	t.Cleanup(func() { a.shutdown(context.Background()) })
	return a
}

// statusAndBanks unlocks a and returns what the window's first screen
// asks for.
func statusAndBanks(t *testing.T, a *App) (view.Status, []view.Bank) {
	t.Helper()
	unlock(t, a)
	st, err := a.Status()
	if err != nil {
		t.Fatal(err)
	}
	banks, err := a.Banks()
	if err != nil {
		t.Fatal(err)
	}
	return st, banks
}

// bankLogin starts a connection to the Mock bank from the window and logs
// in as john with password at the link the browser was sent to; it
// returns the callback URL, for a.handleURL.
func bankLogin(t *testing.T, a *App, rt *fakeRuntime, password string) string {
	t.Helper()
	if _, err := a.Connect("mock"); err != nil {
		t.Fatal(err)
	}
	cb, err := sandbox.Login(context.Background(), nil, rt.opened[len(rt.opened)-1], "john", password)
	if err != nil {
		t.Fatal(err)
	}
	return cb
}

func TestStatusAndBanksFromBuiltinSandbox(t *testing.T) {
	a, _ := newTestApp(t)
	st, banks := statusAndBanks(t, a)
	if !st.Builtin || st.Environment != "builtin" || !strings.HasPrefix(st.AuthURL, "http://127.0.0.1:") {
		t.Fatalf("status = %+v, want the in-process sandbox", st)
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
	st, banks := statusAndBanks(t, a)
	out, _ := json.Marshal([]any{st, banks})
	if strings.Contains(string(out), sandbox.ClientSecret) {
		t.Fatalf("bound result leaks the client secret: %s", out)
	}
}

func TestReportReadyLogs(t *testing.T) {
	var log bytes.Buffer
	a := New(testConfig(t), nil, slog.New(slog.NewTextHandler(&log, nil)))
	if err := a.ReportReady(""); err == nil {
		t.Fatal("empty screen name accepted")
	}
	if err := a.ReportReady("welcome"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), `msg="bankdesk ready" screen=welcome`) {
		t.Fatalf("log = %q", log.String())
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
	a := New(testConfig(t), nil, nil)
	a.open = nil // a call would panic: startup must not open the backend
	a.startup(context.Background())
	a.mu.Lock()
	started := a.desk != nil
	a.mu.Unlock()
	if started {
		t.Fatal("startup opened the backend")
	}
}

// testConfig is the default (builtin) configuration with a private data dir
// and the file vault, so tests never touch the user's keyring.
func testConfig(t *testing.T) config.Config {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"BANKDESK_DATA_DIR": dir, "BANKDESK_KEYRING": "file"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestPassphraseIsAskedForThenUnlocks(t *testing.T) {
	a, _ := newTestApp(t)
	if _, err := a.Status(); !errors.Is(err, vault.ErrNeedPassphrase) {
		t.Fatalf("Status without passphrase: %v", err)
	}
	if err := a.Unlock(""); err == nil {
		t.Fatal("empty passphrase accepted")
	}
	if err := a.Unlock("correct horse battery"); err != nil {
		t.Fatal(err)
	}
	st, err := a.Status()
	if err != nil || st.Keyring != "file" {
		t.Fatalf("status after unlock: %+v, %v", st, err)
	}
}

func unlock(t *testing.T, a *App) {
	t.Helper()
	if err := a.Unlock("test passphrase 1"); err != nil {
		t.Fatal(err)
	}
}

// A bankdesk:// URL forwarded by a second process completes the connection
// the window started, and the frontend hears about it.
func TestSecondInstanceURLCompletesConnection(t *testing.T) {
	a, rt := newTestApp(t)
	unlock(t, a)
	cb := bankLogin(t, a, rt, "doe")
	if len(rt.opened) != 1 {
		t.Fatalf("browser opened %d links", len(rt.opened))
	}
	a.handleURL(cb) // what secondInstance runs for each bankdesk:// argument
	if rt.shown == 0 {
		t.Error("window not brought to the front")
	}
	last := rt.events[len(rt.events)-1]
	if !strings.HasPrefix(last, view.EventConnected+" ") || !strings.Contains(last, `"accounts":2`) || !strings.Contains(last, `"cards":1`) {
		t.Fatalf("events = %q", rt.events)
	}
	accts, err := a.Accounts()
	if err != nil || len(accts) != 3 {
		t.Fatalf("accounts = %v, %v", accts, err)
	}

	a.handleURL(cb) // replayed
	last = rt.events[len(rt.events)-1]
	if !strings.HasPrefix(last, view.EventConnectFailed+" ") || !strings.Contains(last, `"kind":"unknown_state"`) {
		t.Fatalf("replay events = %q", rt.events)
	}
	for _, e := range rt.events {
		if strings.Contains(e, "code=") || strings.Contains(e, sandbox.ClientSecret) {
			t.Fatalf("event leaks a secret: %s", e)
		}
	}
}

func (f *fakeRuntime) Notify(id, title, body string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.noNotify {
		return errNoNotifications
	}
	f.notes = append(f.notes, title+": "+body)
	return nil
}

// Reconfirming a john/eternal connection extends it without a bank visit;
// a missing confirmation or contact is refused before TrueLayer is asked.
func TestReconfirmExtendsConsent(t *testing.T) {
	a, rt := newTestApp(t)
	unlock(t, a)
	a.handleURL(bankLogin(t, a, rt, "eternal"))
	waitEvent(t, rt, view.EventSyncDone+" ")
	cs, err := a.Consents()
	if err != nil || len(cs) != 1 || cs[0].Status != "active" || cs[0].DaysLeft < 25 {
		t.Fatalf("consents %+v %v", cs, err)
	}
	id := cs[0].ConnectionID
	if _, err := a.Reconfirm(view.ReconfirmRequest{ConnectionID: id, Name: "John Doe", Email: "john@doe.com"}); err == nil {
		t.Fatal("unconfirmed renewal accepted")
	}
	if _, err := a.Reconfirm(view.ReconfirmRequest{ConnectionID: id, Name: "John Doe", Confirmed: true}); err == nil {
		t.Fatal("renewal without email or phone accepted")
	}
	res, err := a.Reconfirm(view.ReconfirmRequest{ConnectionID: id, Name: "John Doe", Email: "john@doe.com", Confirmed: true})
	if err != nil || !res.Extended || res.AtBank || res.NewExpiry == "" {
		t.Fatalf("reconfirm: %+v %v", res, err)
	}
	waitEvent(t, rt, view.EventDataChanged)
}

func (f *fakeRuntime) SaveFile(title, dir, defaultName, pattern string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saveDirs = append(f.saveDirs, dir)
	return f.saveTo, nil
}

// A consent given a minute ago has 89 days left in the app's consent list,
// on its connection card and in `bankdesk consents --json` alike (they
// used to say 89 in the window and 29 on the command line).
func TestDaysLeftAgreesWithTheCommandLine(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	env := map[string]string{
		"BANKDESK_AUTH_URL": sb.AuthURL(), "BANKDESK_API_URL": sb.APIURL(),
		"BANKDESK_CLIENT_ID": sandbox.ClientID, "BANKDESK_CLIENT_SECRET": sandbox.ClientSecret,
		"BANKDESK_DATA_DIR": t.TempDir(), "BANKDESK_KEYRING": "file", "BANKDESK_PASSPHRASE": "test passphrase 1",
	}
	runCLI := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := cli.Main(context.Background(), cli.IO{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}, args); code != 0 {
			t.Fatalf("bankdesk %v: exit %d: %s", args, code, errOut.String())
		}
		return out.String()
	}
	link := strings.TrimSpace(runCLI("connect", "--no-browser", "--provider", "mock"))
	cb, err := sandbox.Login(context.Background(), nil, link, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	runCLI("callback", "--no-sync", cb)
	var items []map[string]any
	if err := json.Unmarshal([]byte(runCLI("consents", "--json")), &items); err != nil || len(items) != 1 {
		t.Fatalf("consents --json: %v %v", items, err)
	}

	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a := openApp(t, cfg, &fakeRuntime{})
	unlock(t, a)
	cs, err := a.Consents()
	if err != nil || len(cs) != 1 {
		t.Fatalf("consents %+v %v", cs, err)
	}
	conns, err := a.Connections()
	if err != nil || len(conns) != 1 {
		t.Fatalf("connections %+v %v", conns, err)
	}
	if cs[0].DaysLeft != 89 || conns[0].DaysLeft != 89 || items[0]["days_left"] != float64(89) {
		t.Fatalf("days left: app consents %d, app connections %d, command line %v", cs[0].DaysLeft, conns[0].DaysLeft, items[0]["days_left"])
	}
	// The window keeps the token in use, so the consent is its headline;
	// the command line alone keeps nothing alive, so the refresh deadline
	// (30 days) is, and it is reported apart from days_left.
	if cs[0].Headline != "consent" || cs[0].HeadlineDaysLeft != 89 || items[0]["headline"] != "refresh" || items[0]["headline_days_left"] != float64(29) {
		t.Fatalf("headlines: app %q %d, command line %v %v", cs[0].Headline, cs[0].HeadlineDaysLeft, items[0]["headline"], items[0]["headline_days_left"])
	}
	if cs[0].RefreshIdleDeadline == "" || cs[0].RefreshIdleDeadline != items[0]["refresh_idle_deadline"] {
		t.Fatalf("refresh deadlines: app %q, command line %v", cs[0].RefreshIdleDeadline, items[0]["refresh_idle_deadline"])
	}
}

// Connecting the same bank twice in the window: the second login renews
// the first connection, the screen is told so in sentences, and the
// connection list and accounts show everything once.
func TestConnectingTwiceInTheWindowRenewsTheConnection(t *testing.T) {
	a, rt := newTestApp(t)
	unlock(t, a)
	connect := func() string {
		t.Helper()
		a.handleURL(bankLogin(t, a, rt, "doe"))
		rt.mu.Lock()
		defer rt.mu.Unlock()
		for i := len(rt.events) - 1; i >= 0; i-- {
			if strings.HasPrefix(rt.events[i], view.EventConnected+" ") {
				return rt.events[i]
			}
		}
		t.Fatalf("no %s event: %q", view.EventConnected, rt.events)
		return ""
	}
	connect()
	waitEvent(t, rt, view.EventSyncDone+" ")
	second := connect()
	if !strings.Contains(second, `"existing":true`) || !strings.Contains(second, "was already connected in Bankdesk") {
		t.Fatalf("second connect event: %s", second)
	}
	conns, err := a.Connections()
	if err != nil || len(conns) != 1 || conns[0].Accounts != 3 {
		t.Fatalf("connections %+v %v", conns, err)
	}
	if accts, err := a.Accounts(); err != nil || len(accts) != 3 {
		t.Fatalf("accounts %d %v", len(accts), err)
	}
}

// Saved in Settings, 120 minutes is the window's background sync period
// after a restart: the window starts the backend's own schedule
// (desk.Run), which reads the configuration in force, not a copy made
// before the saved settings were read.
func TestTheSavedSyncIntervalIsUsedAfterARestart(t *testing.T) {
	a, _ := newTestApp(t)
	unlock(t, a)
	if _, err := a.SaveSettings(view.EnvironmentChoice{Env: "builtin", SyncIntervalMinutes: 120}); err != nil {
		t.Fatal(err)
	}
	cfg := a.cfg
	a.shutdown(context.Background())

	periods := make(chan time.Duration, 4)
	a = openApp(t, cfg, &fakeRuntime{})
	a.open = func(o desk.Options) (*desk.Desk, error) {
		o.Ticker = func(d time.Duration) (<-chan time.Time, func()) {
			periods <- d
			return nil, func() {}
		}
		return desk.Open(o)
	}
	unlock(t, a)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.runBackground(ctx) // what domReady starts, without registering a scheme handler
	for range 2 {
		select {
		case d := <-periods:
			if d == 120*time.Minute {
				return
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the background schedule did not start")
		}
	}
	t.Fatal("the background schedule does not sync every 120 minutes")
}
