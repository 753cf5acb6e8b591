package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/agent/agenttest"
	"bankdesk/backend/backup"
	"bankdesk/backend/datadir"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/truelayer"
	"bankdesk/backend/vault"
	"bankdesk/backend/view"
)

// waitEvent waits until the fake runtime has seen an event with the prefix.
func waitEvent(t *testing.T, rt *fakeRuntime, prefix string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		rt.mu.Lock()
		for _, e := range rt.events {
			if strings.HasPrefix(e, prefix) {
				rt.mu.Unlock()
				return e
			}
		}
		rt.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %q event; got %q", prefix, rt.events)
	return ""
}

// Every method the frontend can call, and every event it can hear, after a
// full connect and backfill: none carries a token, secret, code or verifier.
func TestFrontendNeverSeesSecrets(t *testing.T) {
	fakeAgentHost(t, &agenttest.System{Systemd: true})
	a, rt := newTestApp(t)
	unlock(t, a)
	if _, err := a.Connect("mock"); err != nil {
		t.Fatal(err)
	}
	link := rt.opened[0]
	cb, err := sandbox.Login(context.Background(), nil, link, "john", "doe")
	if err != nil {
		t.Fatal(err)
	}
	a.handleURL(cb)
	done := waitEvent(t, rt, view.EventSyncDone+" ")
	if !strings.Contains(done, `"ok":true`) {
		t.Fatalf("backfill after connect failed: %s", done)
	}

	d, _ := a.backend()
	conns, _ := d.Store().Connections()
	if len(conns) != 1 {
		t.Fatalf("%d connections", len(conns))
	}
	c := conns[0]
	secrets := map[string]string{
		"access token": c.AccessToken, "refresh token": c.RefreshToken, "client secret": sandbox.ClientSecret,
		"auth code": mustQuery(t, cb).Get("code"), "passphrase": "test passphrase 1",
		"saved secret": "bindings-secret-value", "new passphrase": "test passphrase 2",
		"backup passphrase": "bindings backup passphrase",
	}

	page, err := a.Transactions(view.TxFilter{Limit: 50})
	if err != nil || len(page.Rows) != 50 || page.Total < 1000 {
		t.Fatalf("transactions: %d of %d, %v", len(page.Rows), page.Total, err)
	}
	search, err := a.Transactions(view.TxFilter{Search: "tesco", Limit: 10})
	if err != nil || search.Total == 0 || search.Total >= page.Total {
		t.Fatalf("search narrowed %d of %d, %v", search.Total, page.Total, err)
	}
	spending, err := a.Spending(view.TxFilter{})
	if err != nil || len(spending.Months) < 12 || len(spending.Categories) == 0 {
		t.Fatalf("spending: %d months, %v", len(spending.Months), err)
	}
	if _, err := a.Transactions(view.TxFilter{From: "yesterday"}); err == nil {
		t.Fatal("bad date accepted")
	}

	exportPath := filepath.Join(t.TempDir(), "export.csv")
	// Call every bound method; a new one must be added here.
	outputs := map[string]any{}
	call := map[string]func() (any, error){
		"Status":       func() (any, error) { return a.Status() },
		"Vault":        func() (any, error) { return a.Vault(), nil },
		"Banks":        func() (any, error) { return a.Banks() },
		"Accounts":     func() (any, error) { return a.Accounts() },
		"Connections":  func() (any, error) { return a.Connections() },
		"Transactions": func() (any, error) { return a.Transactions(view.TxFilter{Limit: 1000}) },
		"Spending":     func() (any, error) { return a.Spending(view.TxFilter{}) },
		"Categories":   func() (any, error) { return a.Categories() },
		"NetPosition":  func() (any, error) { return a.NetPosition() },
		"TransactionDetail": func() (any, error) {
			return a.TransactionDetail(page.Rows[0].AccountID, page.Rows[0].ID)
		},
		"SetUserFields": func() (any, error) {
			return a.SetUserFields(page.Rows[0].AccountID, page.Rows[0].ID, view.UserFields{Note: "a note", Tags: []string{"tag"}})
		},
		"CategoryList":   func() (any, error) { return a.CategoryList() },
		"AddCategory":    func() (any, error) { return a.AddCategory("Eating out") },
		"RenameCategory": func() (any, error) { return a.RenameCategory("Transport", "Getting about") },
		"MergeCategory":  func() (any, error) { return a.MergeCategory("Food & Dining", "Shopping") },
		"DeleteCategory": func() (any, error) { return a.DeleteCategory("Eating out", "") },
		"RuleFromTransaction": func() (any, error) {
			return a.RuleFromTransaction(page.Rows[0].AccountID, page.Rows[0].ID)
		},
		"PreviewRule": func() (any, error) {
			return a.PreviewRule(view.Rule{Enabled: true, Match: view.RuleMatch{MerchantContains: "tesco"}, Set: view.RuleSet{Category: "Food"}})
		},
		"AddRule": func() (any, error) {
			return a.AddRule(view.Rule{Enabled: true, Match: view.RuleMatch{MerchantContains: "tesco"}, Set: view.RuleSet{Category: "Food"}})
		},
		"Rules":     func() (any, error) { return a.Rules() },
		"SaveRules": func() (any, error) { return a.SaveRules(nil) },
		"UserFields": func() (any, error) {
			f, err := a.UserFields(page.Rows[0].AccountID, page.Rows[0].ID)
			if err == nil && f.Note != "a note" { // after SetUserFields (by name)
				err = fmt.Errorf("UserFields after SetUserFields: %+v", f)
			}
			return f, err
		},
		"OpenExport":          func() (any, error) { return nil, a.OpenExport() }, // after Export (by name)
		"ShowExport":          func() (any, error) { return nil, a.ShowExport() },
		"Connect":             func() (any, error) { return a.Connect("mock") },
		"Reconnect":           func() (any, error) { return a.Reconnect(c.ID) },
		"Sync":                func() (any, error) { return nil, a.Sync(c.ID) },
		"SyncEverything":      func() (any, error) { return nil, a.SyncEverything() },
		"FetchOlderHistory":   func() (any, error) { return nil, a.FetchOlderHistory(c.ID) },
		"Repair":              func() (any, error) { return a.Repair() },
		"ReportReady":         func() (any, error) { return nil, a.ReportReady("test") },
		"ReportScreen":        func() (any, error) { return nil, a.ReportScreen("test") },
		"Unlock":              func() (any, error) { return nil, a.Unlock("test passphrase 1") },
		"Settings":            func() (any, error) { return a.Settings() },
		"LockedReminders":     func() (any, error) { return a.LockedReminders() },
		"SaveLockedReminders": func() (any, error) { return a.SaveLockedReminders(true) },
		"Theme":               func() (any, error) { return a.Theme() },
		"SaveTheme":           func() (any, error) { return a.SaveTheme("dark") },
		"Consents":            func() (any, error) { return a.Consents() },
		"EventPayloads":       func() (any, error) { return a.EventPayloads(), nil },
		"AgentStatus":         func() (any, error) { return a.AgentStatus() },
		"AgentOffer":          func() (any, error) { return a.AgentOffer() },
		"SetAgent":            func() (any, error) { return a.SetAgent(true) },
		"DeclineAgentOffer":   func() (any, error) { return nil, a.DeclineAgentOffer() },
		"RememberWindow":      func() (any, error) { a.RememberWindow(); return nil, nil },
		"OpenLoginAgain":      func() (any, error) { return nil, a.OpenLoginAgain() },
		"CompletePasted": func() (any, error) {
			if err := a.CompletePasted(cb); err == nil { // the code was used
				return nil, errors.New("an address used already was accepted")
			}
			return nil, nil
		},
		"Export": func() (any, error) {
			rt.mu.Lock()
			rt.saveTo = exportPath
			rt.mu.Unlock()
			return a.Export(view.ExportRequest{Format: "csv", IncludePending: true})
		},
		"Backup": func() (any, error) {
			rt.mu.Lock()
			rt.saveTo = filepath.Join(t.TempDir(), "bankdesk.age")
			rt.mu.Unlock()
			return a.Backup("bindings backup passphrase")
		},
		"SnoozeReminders": func() (any, error) { return nil, a.SnoozeReminders(c.ID, 3) },
		"Reconfirm": func() (any, error) {
			return a.Reconfirm(view.ReconfirmRequest{ConnectionID: c.ID, Name: "John Doe", Email: "john@doe.com", Confirmed: true})
		},
		"SaveSettings": func() (any, error) {
			return a.SaveSettings(view.EnvironmentChoice{Env: "sandbox", ClientID: "sandbox-bindings", ClientSecret: "bindings-secret-value"})
		},
		"AutoLock":         func() (any, error) { return a.AutoLock() },
		"SaveAutoLock":     func() (any, error) { return a.SaveAutoLock(15) },
		"About":            func() (any, error) { return a.About(), nil },
		"OpenDataFolder":   func() (any, error) { return nil, a.OpenDataFolder() },
		"ChangePassphrase": func() (any, error) { return nil, a.ChangePassphrase("test passphrase 1", "test passphrase 2") },
		"Lock":             func() (any, error) { return nil, a.Lock() },
		"Disconnect":       func() (any, error) { return nil, a.Disconnect(c.ID, true) }, // last: revokes
		"RegularPayments": func() (any, error) {
			accts, err := d.Store().Accounts()
			if err != nil || len(accts) == 0 {
				return nil, fmt.Errorf("%d accounts: %v", len(accts), err)
			}
			return a.RegularPayments(accts[0].ID)
		},
	}
	var bound []string
	for i := 0; i < reflect.TypeOf(a).NumMethod(); i++ {
		bound = append(bound, reflect.TypeOf(a).Method(i).Name)
	}
	sort.Strings(bound)
	for _, name := range bound {
		if _, ok := call[name]; !ok {
			t.Errorf("bound method %s is not checked for secrets", name)
		}
	}
	// Disconnect revokes, Repair and ChangePassphrase restart the backend,
	// and Lock closes it: all last.
	last := map[string]int{"Disconnect": 1, "Repair": 2, "ChangePassphrase": 3, "Lock": 4}
	order := append([]string{}, bound...)
	sort.SliceStable(order, func(i, j int) bool { return last[order[i]] < last[order[j]] })
	for _, name := range order {
		out, err := call[name]()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		outputs[name] = out
	}
	waitEvent(t, rt, view.EventDataChanged)

	blob, _ := json.Marshal(outputs)
	rt.mu.Lock()
	events := strings.Join(rt.events, "\n")
	opened := strings.Join(rt.opened, "\n")
	rt.mu.Unlock()
	for name, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("%s too short to scan for", name)
		}
		if strings.Contains(string(blob), s) {
			t.Errorf("a bound method returned the %s", name)
		}
		if strings.Contains(events, s) {
			t.Errorf("an event carried the %s", name)
		}
	}
	if strings.Contains(opened, "code_verifier") || strings.Contains(opened, sandbox.ClientSecret) {
		t.Error("an opened URL carries a verifier or secret")
	}
	csvOut, err := os.ReadFile(exportPath)
	if err != nil || !strings.HasPrefix(string(csvOut), "date,booked_at,account_id") || strings.Count(string(csvOut), "\n") < 1000 {
		t.Fatalf("export file: %v, %.200s", err, csvOut)
	}
	for name, s := range secrets {
		if strings.Contains(string(csvOut), s) {
			t.Errorf("the export carries the %s", name)
		}
	}
	if !strings.Contains(events, view.EventSyncProgress) {
		t.Error("no progress events during the backfill")
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// A binding's error reaches the window as the backend's sentence and its
// technical line (JSON, as Wails' runtime keeps only text), never as the
// chain for its main text.
func TestBindingErrorsReachTheWindowAsAProblem(t *testing.T) {
	a, _ := newTestApp(t)
	err := fmt.Errorf("open vault: %w", vault.ErrWrongPassphrase) // what Unlock returns for one
	var p view.Problem
	if jerr := json.Unmarshal([]byte(a.wordError(err).(string)), &p); jerr != nil {
		t.Fatal(jerr)
	}
	if !strings.HasPrefix(p.Message, "That passphrase is not right") || strings.Contains(p.Message, "vault:") {
		t.Errorf("message %q", p.Message)
	}
	bank := fmt.Errorf("read connection details: %w", &truelayer.Error{Op: "GET /data/v1/me", Status: 503, Code: "provider_error", CorrelationID: "d415ca85"})
	if jerr := json.Unmarshal([]byte(a.wordError(bank).(string)), &p); jerr != nil {
		t.Fatal(jerr)
	}
	if strings.Contains(p.Message, "truelayer") || !strings.Contains(p.Details, "correlation id d415ca85") || !p.Retry {
		t.Errorf("a bank's 503: %+v", p)
	}
}

// The save dialog starts in Documents; once saved, the window may open the
// file or show its folder, and only that file: before an export there is
// nothing to open.
func TestExportOffersTheFileItWrote(t *testing.T) {
	home := t.TempDir()
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	a, rt := newTestApp(t)
	unlock(t, a)
	if err := a.OpenExport(); err == nil {
		t.Fatal("OpenExport before any export opened something")
	}
	if err := a.ShowExport(); err == nil {
		t.Fatal("ShowExport before any export opened something")
	}
	out := filepath.Join(t.TempDir(), "saved.csv")
	rt.mu.Lock()
	rt.saveTo = out
	rt.mu.Unlock()
	if _, err := a.Export(view.ExportRequest{Format: "csv"}); err != nil {
		t.Fatal(err)
	}
	if err := a.OpenExport(); err != nil {
		t.Fatal(err)
	}
	if err := a.ShowExport(); err != nil {
		t.Fatal(err)
	}
	rt.mu.Lock()
	dirs := rt.saveDirs
	rt.mu.Unlock()
	rt.dmu.Lock()
	defer rt.dmu.Unlock()
	if len(dirs) != 1 || dirs[0] != docs {
		t.Errorf("the save dialog started in %q, want %q", dirs, docs)
	}
	if len(rt.files) != 1 || rt.files[0] != out || len(rt.folders) != 1 || rt.folders[0] != filepath.Dir(out) {
		t.Errorf("opened files %q, folders %q; want %s and its folder", rt.files, rt.folders, out)
	}
}

// Settings' "Back up…": a passphrase the rule refuses is refused before
// the save dialog opens; a cancelled dialog writes nothing; a chosen file
// gets the backup, which restores.
func TestBackupAsksWhereOnlyForAGoodPassphrase(t *testing.T) {
	t.Setenv("BANKDESK_TEST_KDF", "cheap")
	a, rt := newTestApp(t)
	unlock(t, a)
	if _, err := a.Backup("short"); !errors.Is(err, backup.ErrWeakPassphrase) {
		t.Fatalf("a short passphrase: %v", err)
	}
	rt.mu.Lock()
	asked := len(rt.saveDirs)
	rt.mu.Unlock()
	if asked != 0 {
		t.Fatal("the save dialog opened for a refused passphrase")
	}
	if done, err := a.Backup("window backup passphrase"); err != nil || done.Path != "" {
		t.Fatalf("a cancelled dialog: %+v %v", done, err)
	}
	out := filepath.Join(t.TempDir(), "bankdesk.age")
	rt.mu.Lock()
	rt.saveTo = out
	rt.mu.Unlock()
	done, err := a.Backup("window backup passphrase")
	if err != nil || done.Path != out {
		t.Fatalf("backup: %+v %v", done, err)
	}
	dir := t.TempDir()
	o := datadir.Options{Store: filepath.Join(dir, "bankdesk.db"), Vault: vault.Options{Mode: vault.ModeFile, Dir: dir,
		Passphrase: func() (string, error) { return "restored here", nil }}}
	if _, err := backup.RestoreFile(context.Background(), out, o, func() (string, error) { return "window backup passphrase", nil }, false); err != nil {
		t.Errorf("the window's backup does not restore: %v", err)
	}
}
