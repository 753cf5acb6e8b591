package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"bankdesk/backend/desk"
	"bankdesk/backend/sandbox"
)

// Scaffolding the command line's tests share: environments, running
// commands in this process or in one of their own, connecting the Mock
// bank, and reading the --json output back.

// envIO is a command's IO with env as its whole environment.
func envIO(env map[string]string, stdout, stderr io.Writer) IO {
	return IO{Stdout: stdout, Stderr: stderr, Getenv: func(k string) string { return env[k] }}
}

// run runs `bankdesk args...` in the test's process, with env as its
// environment and nothing on stdin.
func run(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runStdin(t, env, "", args...)
}

// runStdin is run with stdin as the command's standard input.
func runStdin(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	cio := envIO(env, &out, &errb)
	cio.Stdin = strings.NewReader(stdin)
	code = Main(context.Background(), cio, args)
	return out.String(), errb.String(), code
}

// pipeWriter lets the test read what the sandbox command printed while it runs.
type pipeWriter struct{ w *io.PipeWriter }

func (p pipeWriter) Write(b []byte) (int, error) { return p.w.Write(b) }

// cliEnv points the command line at an in-test sandbox with a private data
// dir and the file vault, as a script would with `bankdesk sandbox`.
func cliEnv(t *testing.T) (map[string]string, *sandbox.Server) {
	t.Helper()
	return cliEnvWith(t, sandbox.Options{})
}

// cliEnvWith is cliEnv with a sandbox started with opts.
func cliEnvWith(t *testing.T, opts sandbox.Options) (map[string]string, *sandbox.Server) {
	t.Helper()
	sb, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return map[string]string{
		"BANKDESK_AUTH_URL": sb.AuthURL(), "BANKDESK_API_URL": sb.APIURL(),
		"BANKDESK_CLIENT_ID": sandbox.ClientID, "BANKDESK_CLIENT_SECRET": sandbox.ClientSecret,
		"BANKDESK_DATA_DIR": t.TempDir(), "BANKDESK_KEYRING": "file", "BANKDESK_PASSPHRASE": "cli test passphrase",
	}, sb
}

// process runs this test binary as `bankdesk args...` in its own process,
// with env as its only BANKDESK_* settings (none leak in from the shell
// running the tests: a BANKDESK_VAULT_DIR there must not be written to).
func process(env map[string]string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BANKDESK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, execEnv+"=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// standaloneSandbox starts `bankdesk sandbox [args...]` in its own process
// and returns the BANKDESK_* lines it prints.
func standaloneSandbox(t *testing.T, args ...string) map[string]string {
	t.Helper()
	cmd := process(nil, append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	env := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for len(env) < 4 && sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("sandbox printed %q", sc.Text())
		}
		env[k] = v
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	if len(env) < 4 {
		t.Fatalf("sandbox printed only %v", env)
	}
	return env
}

func setFaults(t *testing.T, env map[string]string, f sandbox.Faults) {
	t.Helper()
	body, _ := json.Marshal(f)
	resp, err := http.Post(env["BANKDESK_AUTH_URL"]+"/__sandbox/faults", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("set faults: %s", resp.Status)
	}
}

func truthOf(t *testing.T, env map[string]string) sandbox.Truth {
	t.Helper()
	resp, err := http.Get(env["BANKDESK_AUTH_URL"] + "/__sandbox/truth?username=john")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var truth sandbox.Truth
	if err := json.NewDecoder(resp.Body).Decode(&truth); err != nil {
		t.Fatal(err)
	}
	if len(truth.Accounts) != 2 || len(truth.Cards) != 1 {
		t.Fatalf("truth: %d accounts, %d cards", len(truth.Accounts), len(truth.Cards))
	}
	return truth
}

// connectLink runs `bankdesk connect` for the Mock bank and returns the
// link it prints.
func connectLink(t *testing.T, env map[string]string) string {
	t.Helper()
	out, errOut, code := run(t, env, "connect", "--no-browser", "--provider", "mock")
	if code != 0 {
		t.Fatalf("connect: %s", errOut)
	}
	return strings.TrimSpace(out)
}

// bankLogin logs in at link as user and returns the bank's redirect, the
// bankdesk://callback URL.
func bankLogin(t *testing.T, link, user, pass string) string {
	t.Helper()
	cb, err := sandbox.Login(t.Context(), nil, link, user, pass)
	if err != nil {
		t.Fatal(err)
	}
	return cb
}

// bankRedirect starts `bankdesk connect` and logs in as user: the bank's
// redirect, ready for `bankdesk callback`.
func bankRedirect(t *testing.T, env map[string]string, user, pass string) string {
	t.Helper()
	return bankLogin(t, connectLink(t, env), user, pass)
}

// connectAs connects a mock user through the command line without syncing.
func connectAs(t *testing.T, env map[string]string, user, pass string) string {
	t.Helper()
	return completeLogin(t, env, connectLink(t, env), user, pass)
}

// completeLogin logs in at link and hands the bank's redirect to
// `bankdesk callback`, returning the connection id it prints.
func completeLogin(t *testing.T, env map[string]string, link, user, pass string) string {
	t.Helper()
	out, errOut, code := run(t, env, "callback", "--no-sync", bankLogin(t, link, user, pass))
	// A renewal says until when the access now runs (connect's notes).
	if note := regexp.MustCompile(`^bankdesk callback: Your access to \w+ is renewed until \d+ \w+ \d{4}\.\n$`); note.MatchString(errOut) {
		errOut = ""
	}
	if code != 0 || errOut != "" {
		t.Fatalf("callback --no-sync: %d %q", code, errOut)
	}
	return strings.TrimSpace(out)
}

type txJSON struct {
	ID             string   `json:"id"`
	AccountID      string   `json:"account_id"`
	BookedAt       string   `json:"booked_at"`
	Description    string   `json:"description"`
	Merchant       *string  `json:"merchant"`
	Category       *string  `json:"category"`
	Amount         string   `json:"amount"`
	Currency       string   `json:"currency"`
	Type           string   `json:"type"`
	Status         string   `json:"status"`
	Classification []string `json:"classification"`
	RunningBalance *string  `json:"running_balance"`
}

// connectOnly connects john/doe through the command line without syncing.
func connectOnly(t *testing.T, env map[string]string) string {
	t.Helper()
	return connectAs(t, env, "john", "doe")
}

// syncedEnv is cliEnv with john/doe connected and synced.
func syncedEnv(t *testing.T) (map[string]string, *sandbox.Server) {
	t.Helper()
	env, sb := cliEnv(t)
	connectOnly(t, env)
	if _, errOut, code := run(t, env, "sync"); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	return env, sb
}

// fileVaultEnv is a standalone sandbox's environment with a data directory
// (dir, not made yet) in the file vault under passphrase, at a cheap KDF
// (honoured by test binaries only).
func fileVaultEnv(t *testing.T, passphrase string) (env map[string]string, dir string) {
	t.Helper()
	env = standaloneSandbox(t)
	dir = filepath.Join(t.TempDir(), "data")
	maps.Copy(env, map[string]string{"BANKDESK_DATA_DIR": dir, "BANKDESK_KEYRING": "file",
		"BANKDESK_PASSPHRASE": passphrase, "BANKDESK_TEST_KDF": "cheap"})
	return env, dir
}

// withDesk opens the backend env points at, as the commands do, runs f
// and closes it again, so that the next command can open it.
func withDesk(t *testing.T, env map[string]string, f func(d *desk.Desk)) {
	t.Helper()
	d, err := openDesk(envIO(env, io.Discard, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	f(d)
}

// stubBrowser stands in for the browser for the test: it returns where the
// last link the command line opened is written.
func stubBrowser(t *testing.T) *string {
	opened := new(string)
	orig := openURL
	openURL = func(u string) error { *opened = u; return nil }
	t.Cleanup(func() { openURL = orig })
	return opened
}

// lockedBuffer is a stderr several goroutines may write while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// snapshotDir maps each file of dir to its content.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(raw)
	}
	return files
}

// pages is the data file's page size and pages in use (bbolt's meta page:
// the page size at byte 24, the high-water mark at byte 56).
func pages(path string) (size int64, count int64) {
	head := make([]byte, 64)
	f, err := os.Open(path)
	if err != nil {
		return 4096, 0
	}
	defer f.Close()
	_, _ = f.ReadAt(head, 0)
	return int64(binary.LittleEndian.Uint32(head[24:])), int64(binary.LittleEndian.Uint64(head[56:]))
}

// runJSON runs a listing command with --json and decodes what it prints
// into a T.
func runJSON[T any](t *testing.T, env map[string]string, args ...string) T {
	t.Helper()
	var v T
	out, errOut, code := run(t, env, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("%v --json: %d %s", args, code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v --json: %v\n%.500s", args, err, out)
	}
	return v
}

// accountsJSON is what `accounts --json` lists.
func accountsJSON(t *testing.T, env map[string]string) []map[string]any {
	t.Helper()
	return runJSON[[]map[string]any](t, env, "accounts")
}

// transactionsJSON is what `transactions --json args...` lists.
func transactionsJSON(t *testing.T, env map[string]string, args ...string) []txJSON {
	t.Helper()
	return runJSON[[]txJSON](t, env, append([]string{"transactions"}, args...)...)
}

// consentsJSON is what `consents --json` lists, by connection.
func consentsJSON(t *testing.T, env map[string]string) map[string]map[string]any {
	t.Helper()
	byID := map[string]map[string]any{}
	for _, it := range runJSON[[]map[string]any](t, env, "consents") {
		byID[it["connection_id"].(string)] = it
	}
	return byID
}
