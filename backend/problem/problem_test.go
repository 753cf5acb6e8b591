package problem_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"bankdesk/backend/backup"
	"bankdesk/backend/callback"
	"bankdesk/backend/connect"
	"bankdesk/backend/datadir"
	"bankdesk/backend/internal/testbank"
	"bankdesk/backend/problem"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
	"bankdesk/backend/vault"
)

const correlation = "d415ca85-0b1e-4c8e-9f4e-6a7d2b1c3e90"

// bankSays answers every call with status, TrueLayer's error body and
// the headers a real answer carries, and returns what the client made of it.
func bankSays(t *testing.T, status int, body string, headers map[string]string) error {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-TL-Correlation-Id", correlation)
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := truelayer.New(truelayer.Config{AuthURL: srv.URL, APIURL: srv.URL, ClientID: "sandbox-x", ClientSecret: "s",
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(context.Background(), "token")
	if err == nil {
		t.Fatal("the call succeeded")
	}
	return fmt.Errorf("read connection details: %w", err)
}

var (
	hexID  = regexp.MustCompile(`[0-9a-f]{16,}`)
	scopes = regexp.MustCompile(`\b(offline_access|direct_debits|standing_orders|cards balance)\b`)
)

// assertHuman fails when a message shows what only a developer reads.
func assertHuman(t *testing.T, msg string) {
	t.Helper()
	for _, bad := range []string{"truelayer", "GET ", "POST ", "correlation", "invalid_grant", ": "} {
		if strings.Contains(msg, bad) {
			t.Errorf("message %q contains %q", msg, bad)
		}
	}
	if hexID.MatchString(msg) || scopes.MatchString(msg) {
		t.Errorf("message %q shows an id", msg)
	}
	if msg == "" || msg[:1] != strings.ToUpper(msg[:1]) || !strings.HasSuffix(msg, ".") {
		t.Errorf("message %q is not a sentence", msg)
	}
}

func TestTypedErrorsReadAsSentences(t *testing.T) {
	now := time.Date(2026, 12, 1, 13, 58, 0, 0, time.UTC)
	ctx := problem.Context{Bank: "Northbank", Now: now, Zone: time.UTC}
	refresh := &truelayer.Error{Op: "POST /connect/token", Status: 400, Code: "invalid_grant", Description: "Invalid refresh token"}
	closed := func() error {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		_, err = http.Get("http://" + addr + "/data/v1/me")
		return fmt.Errorf("read connection details: %w", err)
	}
	cases := []struct {
		name    string
		err     error
		want    string // the whole message, or its start when it ends in "…"
		retry   bool
		details string // in the details, when set
	}{
		{"503 with Retry-After", bankSays(t, 503, `{"error":"provider_error","error_description":"The provider service is unavailable."}`, map[string]string{"Retry-After": "120"}),
			"Northbank is not answering right now. Bankdesk will try again at 14:00.", true, correlation},
		{"503 without a time", bankSays(t, 503, `{"error":"provider_error","error_description":"The provider service is unavailable."}`, nil),
			"Northbank is not answering right now. Try again in a few minutes.", true, "GET /data/v1/me: 503 provider_error"},
		{"refresh refused", fmt.Errorf("fetch 2026-11-24..2026-12-01: connection 121d64b3e04face717ace15a0023a282: %w (refresh token: %w)", tokens.ErrReconnectNeeded, refresh),
			"Northbank needs you to reconnect…", false, "400 invalid_grant"},
		{"sca exceeded", bankSays(t, 403, `{"error":"sca_exceeded","error_description":"SCA exemption expired"}`, nil), "Northbank shares history older than 90 days only just after you log in…", false, correlation},
		{"not supported", bankSays(t, 501, `{"error":"endpoint_not_supported","error_description":"Not supported"}`, nil), "Northbank does not offer this…", false, "501"},
		{"date range", bankSays(t, 400, `{"error":"invalid_date_range","error_description":"bad range"}`, nil), "Northbank would not give history for those dates…", false, "invalid_date_range"},
		{"other refusal", bankSays(t, 400, `{"error":"invalid_request","error_description":"nope"}`, nil), "Northbank refused the request…", false, correlation},
		{"wrong passphrase", fmt.Errorf("open vault: %w", vault.ErrWrongPassphrase), "That passphrase is not right…", false, ""},
		{"key missing", fmt.Errorf("open data: %w", datadir.ErrKeyMissing), "Bankdesk cannot find the key that opens your data…", false, "bankdesk reset"},
		{"vault key missing", fmt.Errorf("open vault: %w", vault.ErrKeyMissing), "Bankdesk cannot find the key that opens your data…", false, "data key"},
		{"data missing", fmt.Errorf("open data: %w", datadir.ErrDataMissing), "Bankdesk's data file is missing or empty…", false, "bankdesk.db"},
		{"key file corrupt", fmt.Errorf("open vault: %w", vault.ErrKeyFileCorrupt), "The file holding your data's key is damaged…", false, "key file corrupt"},
		{"keyring locked", fmt.Errorf("open vault: %w", vault.ErrLocked), "Your system's keyring is locked or not answering…", true, "locked"},
		{"keyring slow", fmt.Errorf("open vault: %w", vault.ErrKeyringTimeout), "Your system's keyring is locked or not answering…", true, "in time"},
		{"a missing file", func() error {
			_, err := os.Open("/nonexistent/bankdesk.age")
			return fmt.Errorf("read the backup: %w", err)
		}(),
			"Bankdesk cannot find /nonexistent/bankdesk.age. Check the name and the folder, and try again.", false, "no such file"},
		{"a bare system error is no network", fmt.Errorf("cannot read the backup x (%w)", syscall.ENOENT), "Something went wrong…", true, "no such file"},
		{"newer data", fmt.Errorf("open store: %w", store.ErrNewerSchema), "Your data was saved by a newer version of Bankdesk…", false, "newer"},
		{"unfinished", fmt.Errorf("%w (%w)", connect.ErrUnfinished, fmt.Errorf("read connection details: %w", &truelayer.Error{Op: "GET /data/v1/me", Status: 503, Code: "provider_error", CorrelationID: correlation})),
			"Bankdesk could not finish setting up this bank connection yet…", true, "read connection details: truelayer: GET /data/v1/me: 503 provider_error (correlation id " + correlation + ")"},
		{"already running", fmt.Errorf("open store: %w: /home/x/bankdesk.db", store.ErrAlreadyRunning), "Bankdesk is already open in another window…", true, ""},
		{"unknown state", fmt.Errorf("complete: %w", connect.ErrUnknownState), "Bankdesk received a bank response that matches no login started here…", false, ""},
		{"expired", connect.ErrExpired, "The bank login took too long and expired. Please connect again.", false, ""},
		{"malformed", fmt.Errorf("parse: %w", callback.ErrMalformed), "Bankdesk received a link it does not understand…", false, ""},
		{"cancelled", connect.ErrCancelled, "You cancelled at the bank. Nothing was connected.", false, ""},
		{"bank dialog error", &connect.BankError{Code: "provider_error", Description: "The provider is down"}, "Northbank could not complete the login…", true, "provider_error"},
		{"network", closed(), "Bankdesk cannot reach Northbank. Check your internet connection and try again.", true, "connection refused"},
		{"deadline", fmt.Errorf("sync abc: %w", context.DeadlineExceeded), "Northbank took too long to answer…", true, ""},
		{"a sentence passes", errors.New("please confirm that Bankdesk may keep reading this data"), "Please confirm that Bankdesk may keep reading this data.", false, ""},
		{"an unknown chain", errors.New("read balance of 121d64b3e04face717ace15a0023a282: bolt: page 7 unreadable"), "Something went wrong…", true, "bolt: page 7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ctx.Of(c.err)
			assertHuman(t, p.Message)
			if w, ok := strings.CutSuffix(c.want, "…"); ok {
				if !strings.HasPrefix(p.Message, w) {
					t.Errorf("message = %q, want it to start %q", p.Message, w)
				}
			} else if p.Message != c.want {
				t.Errorf("message = %q, want %q", p.Message, c.want)
			}
			if p.Retry != c.retry {
				t.Errorf("retry = %v, want %v", p.Retry, c.retry)
			}
			if c.details != "" && !strings.Contains(p.Details, c.details) {
				t.Errorf("details = %q, want them to hold %q", p.Details, c.details)
			}
		})
	}
}

// restoreRefusal is what a restore of file under pass into a clean
// directory says.
func restoreRefusal(t *testing.T, file []byte, pass string) error {
	t.Helper()
	dir := t.TempDir()
	o := datadir.Options{Store: filepath.Join(dir, "bankdesk.db"), Vault: vault.Options{Mode: vault.ModeFile, Dir: dir}}
	_, err := backup.Restore(context.Background(), bytes.NewReader(file), o, func() (string, error) { return pass, nil }, false)
	if err == nil {
		t.Fatal("the restore went ahead")
	}
	return err
}

// A refused backup reads as its sentence, with age's own words, or the
// archive's, kept for the details; a restore onto data in use as its own.
func TestBackupRefusalsReadAsSentences(t *testing.T) {
	t.Setenv("BANKDESK_TEST_KDF", "cheap")
	var buf bytes.Buffer
	if _, err := backup.Write(&buf, testbank.Store(t), "backup problem pass", time.Now()); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	damaged := bytes.Clone(good)
	damaged[len(damaged)-10] ^= 1
	inUse := t.TempDir()
	o := datadir.Options{Store: filepath.Join(inUse, "bankdesk.db"), Vault: vault.Options{Mode: vault.ModeFile, Dir: inUse,
		Passphrase: func() (string, error) { return "in use passphrase", nil }}}
	op, err := datadir.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	_ = op.Close()
	_, notEmpty := backup.Restore(context.Background(), bytes.NewReader(good), o, nil, false)

	for _, c := range []struct {
		name, want, details string
		err                 error
	}{
		{"wrong passphrase", "That backup passphrase is not right; check it…", "incorrect passphrase", restoreRefusal(t, good, "not it at all")},
		{"damaged", "This backup is damaged or incomplete…", "authenticate", restoreRefusal(t, damaged, "backup problem pass")},
		{"not a backup", "This file is not a Bankdesk backup. Nothing was changed.", "not an age file", restoreRefusal(t, []byte("date,amount\n"), "x")},
		{"data in use", "This data directory already holds Bankdesk data, and a restore replaces all of it. Nothing was changed.", "", notEmpty},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := problem.Of(fmt.Errorf("restore: %w", c.err))
			assertHuman(t, p.Message)
			if w, ok := strings.CutSuffix(c.want, "…"); ok && !strings.HasPrefix(p.Message, w) || !ok && p.Message != c.want {
				t.Errorf("message = %q, want %q", p.Message, c.want)
			}
			if !strings.Contains(p.Details, c.details) || c.details == "" && p.Details != "" {
				t.Errorf("details = %q, want %q in them", p.Details, c.details)
			}
		})
	}
}

func TestRetryAtIsWhenTheBankSaid(t *testing.T) {
	now := time.Date(2026, 12, 1, 13, 58, 0, 0, time.UTC)
	p := problem.Context{Bank: "Northbank", Now: now}.Of(bankSays(t, 429, `{"error":"provider_too_many_requests","error_description":"slow down"}`, map[string]string{"Retry-After": "120"}))
	if p.RetryAt != "2026-12-01T14:00:00Z" || !p.Retry {
		t.Errorf("retryAt = %q, retry = %v; want 2026-12-01T14:00:00Z, true", p.RetryAt, p.Retry)
	}
}

func TestNoBankNamedSaysYourBank(t *testing.T) {
	p := problem.Of(bankSays(t, 503, `{"error":"provider_error"}`, nil))
	if !strings.HasPrefix(p.Message, "Your bank is not answering") {
		t.Errorf("message = %q", p.Message)
	}
}

type said struct{ error }

func (said) Say() string { return "enter your full name" }

func TestASayerKeepsItsSentenceHoweverWrapped(t *testing.T) {
	p := problem.Of(fmt.Errorf("extend consent of 121d64b3e04face717ace15a0023a282: %w", said{errors.New("user details")}))
	if p.Message != "Enter your full name." {
		t.Errorf("message = %q", p.Message)
	}
}

// Worded tells the errors a rule of Of's words from those it only passes
// on (their own text) or gives up on.
func TestWordedSaysWhetherARuleWordedTheError(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"wrong passphrase", fmt.Errorf("open vault: %w", vault.ErrWrongPassphrase), true},
		{"a bank's 503", bankSays(t, 503, `{"error":"provider_error"}`, nil), true},
		{"a sayer", fmt.Errorf("extend: %w", said{errors.New("user details")}), true},
		{"a sentence of its own", errors.New("nothing deleted"), false},
		{"an unknown chain", errors.New("read balance: bolt: page 7 unreadable"), false},
		{"nil", nil, false},
	} {
		p, worded := problem.Context{}.Worded(c.err)
		if worded != c.want || p != problem.Of(c.err) {
			t.Errorf("%s: worded = %v, want %v; %+v, Of says %+v", c.name, worded, c.want, p, problem.Of(c.err))
		}
	}
}

// A failed login names the bank it was for, which the error carries
// (connect.BankError.Bank); "Your bank" when it was TrueLayer's to choose.
func TestAFailedLoginNamesItsBank(t *testing.T) {
	err := fmt.Errorf("complete: %w", &connect.BankError{Code: "provider_error", Bank: "Kestrel Bank"})
	if p := problem.Of(err); !strings.HasPrefix(p.Message, "Kestrel Bank could not complete the login") {
		t.Errorf("message = %q", p.Message)
	}
	if p := problem.Of(&connect.BankError{Code: "provider_error"}); !strings.HasPrefix(p.Message, "Your bank could not complete the login") {
		t.Errorf("no bank known: message = %q", p.Message)
	}
}
