package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"bankdesk/backend/internal/testhost"
)

// The fault-injection suite reproduces the classes of the reliability
// review (issue 11): random page writes, byte flips, truncation, deleted
// buckets and files, concurrent first runs, and kill -9 during sync,
// export and change-passphrase. Each run injects one fault into a copy of
// a synced data directory, then does what a user does: runs a command in
// a process of its own, and `bankdesk repair` when it says so (or puts
// back the key file it asks for). A run survives with zero loss when no
// process crashed (a panic, SIGBUS, the usage exit status) and every
// transaction and account is there after, as before.
//
// `make faults` (part of `make test`) runs it: BANKDESK_FAULTS=1, or a
// number to scale the runs per class; BANKDESK_FAULTS_SEED repeats a run.
const faultsEnv = "BANKDESK_FAULTS"

func TestFaultInjection(t *testing.T) {
	scale, _ := strconv.Atoi(os.Getenv(faultsEnv))
	if os.Getenv(faultsEnv) == "" {
		t.Skip("the fault-injection suite runs in `make faults` (part of `make test`)")
	}
	scale = max(scale, 1)
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv(faultsEnv+"_SEED"), 10, 64); err == nil {
		seed = s
	}
	fmt.Printf("faults: seed %d (BANKDESK_FAULTS_SEED=%d repeats it)\n", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	g := newGolden(t)

	classes := []struct {
		name string
		runs int
		run  func(g *golden, t *testing.T, rng *rand.Rand) error
	}{
		{"random page writes", 16, (*golden).pageWrite},
		{"byte flips (20 per run)", 16, (*golden).byteFlips},
		{"truncation", 12, (*golden).truncate},
		{"deleted buckets", len(faultBuckets), (*golden).deleteBucket},
		{"deleted files", len(faultFiles), (*golden).deleteFile},
		{"concurrent first runs", 8, (*golden).firstRuns},
		{"kill -9 during sync", 8, (*golden).killSync},
		{"kill -9 during export", 8, (*golden).killExport},
		{"kill -9 during change-passphrase", 8, (*golden).killChangePassphrase},
	}
	injected, survived := 0, 0
	var failures []string
	for _, c := range classes {
		runs := c.runs * scale
		if c.name == "deleted buckets" || c.name == "deleted files" {
			runs = c.runs // each once
		}
		ok := 0
		g.repairs = 0
		for i := range runs {
			g.nth = i
			if err := c.run(g, t, rng); err != nil {
				failures = append(failures, fmt.Sprintf("%s #%d: %v", c.name, i+1, err))
			} else {
				ok++
			}
		}
		injected += runs
		survived += ok
		fmt.Printf("faults: %-34s %3d injected, %3d survived with zero loss (%d by a repair)\n", c.name, runs, ok, g.repairs)
	}
	fmt.Printf("faults: %-34s %3d injected, %3d survived with zero loss\n", "all", injected, survived)
	for _, f := range failures {
		t.Error(f)
	}
}

// golden is a synced data directory and what it holds.
type golden struct {
	env       map[string]string // without BANKDESK_DATA_DIR
	synced    string            // data dir after connect and a full sync (with its snapshot)
	connected string            // data dir after connect, before any sync
	truth     string            // state(synced)
	syncTook  time.Duration
	nth       int
	repairs   int // runs that needed `bankdesk repair`
}

func newGolden(t *testing.T) *golden {
	t.Setenv("BANKDESK_TEST_KDF", "cheap") // the key files made in-process
	env, _ := cliEnv(t)
	env["BANKDESK_TEST_KDF"] = "cheap"
	connectOnly(t, env)
	g := &golden{env: map[string]string{}, connected: t.TempDir(), synced: env["BANKDESK_DATA_DIR"]}
	for k, v := range env {
		if k != "BANKDESK_DATA_DIR" {
			g.env[k] = v
		}
	}
	copyDir(t, g.synced, g.connected)
	start := time.Now()
	if _, errOut, code := g.cli(g.synced, "sync"); code != 0 {
		t.Fatalf("golden sync: %s", errOut)
	}
	g.syncTook = time.Since(start)
	state, _, err := g.state(g.synced)
	if err != nil {
		t.Fatalf("golden state: %v", err)
	}
	g.truth = state
	return g
}

// cli runs a command in a process of its own on data dir dir.
func (g *golden) cli(dir string, args ...string) (stdout, stderr string, code int) {
	cmd := g.process(dir, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code == 0 {
		code = -1
	}
	return out.String(), errb.String(), code
}

func (g *golden) process(dir string, args ...string) *exec.Cmd {
	env := map[string]string{"BANKDESK_DATA_DIR": dir}
	for k, v := range g.env {
		env[k] = v
	}
	return process(env, args...)
}

// crashed says a process died as no command should: a signal (SIGBUS), a
// panic's stack, the usage status.
func crashed(code int, stderr string) bool {
	return code == -1 || code == 2 || strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") || strings.Contains(stderr, "SIGBUS")
}

// state is what a data dir holds, as the user sees it: every booked
// transaction (stable fields) and every account, sorted. damaged says a
// command noticed damage.
func (g *golden) state(dir string) (state string, damaged bool, err error) {
	out, errOut, code := g.cli(dir, "transactions", "--json")
	if crashed(code, errOut) {
		return "", false, fmt.Errorf("crashed (%d): %.300s", code, errOut)
	}
	if code != 0 {
		return "", strings.Contains(errOut, "repair"), fmt.Errorf("transactions: %d: %s", code, strings.TrimSpace(errOut))
	}
	damaged = strings.Contains(errOut, "could not be read") || strings.Contains(errOut, "is damaged")
	var txs []txJSON
	if err := json.Unmarshal([]byte(out), &txs); err != nil {
		return "", damaged, fmt.Errorf("transactions --json: %v", err)
	}
	var lines []string
	for _, x := range txs {
		if x.Status != "pending" {
			lines = append(lines, strings.Join([]string{x.AccountID, x.ID, x.BookedAt, x.Amount, x.Status, x.Description}, "|"))
		}
	}
	accts, errOut, code := g.cli(dir, "accounts")
	if crashed(code, errOut) || code != 0 {
		return "", damaged, fmt.Errorf("accounts: %d: %.300s", code, errOut)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n--\n" + accts, damaged, nil
}

// mend does what the user is told: repair when a command says the file is
// damaged; then the state must be the truth.
func (g *golden) mend(dir string) error {
	state, damaged, err := g.state(dir)
	if err == nil && !damaged {
		return g.same(state)
	}
	if err != nil && !damaged {
		return err // not something a repair is offered for
	}
	g.repairs++
	out, errOut, code := g.cli(dir, "repair")
	if crashed(code, errOut) || code != 0 {
		return fmt.Errorf("repair: %d: %.300s %.300s", code, out, errOut)
	}
	state, damaged, err = g.state(dir)
	if err != nil {
		return fmt.Errorf("after the repair: %w", err)
	}
	if damaged {
		return fmt.Errorf("still damaged after the repair")
	}
	return g.same(state)
}

func (g *golden) same(state string) error {
	if state == g.truth {
		return nil
	}
	want, got := strings.Count(g.truth, "\n"), strings.Count(state, "\n")
	return fmt.Errorf("loss: %d lines of state, want %d", got, want)
}

// fresh copies the synced data dir for one run.
func (g *golden) fresh(t *testing.T, from string) string {
	dir := t.TempDir()
	copyDir(t, from, dir)
	return dir
}

func (g *golden) db(dir string) string { return filepath.Join(dir, "bankdesk.db") }

// damage hurts the data file (db) of a fresh copy of the synced data
// dir, then mends the copy as a user would.
func (g *golden) damage(t *testing.T, hurt func(db string) error) error {
	dir := g.fresh(t, g.synced)
	if err := hurt(g.db(dir)); err != nil {
		return err
	}
	return g.mend(dir)
}

func (g *golden) pageWrite(t *testing.T, rng *rand.Rand) error {
	return g.damage(t, func(db string) error {
		size, n := pages(db)
		page := make([]byte, size)
		for i := range page {
			page[i] = byte(rng.UintN(256))
		}
		f, err := os.OpenFile(db, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.WriteAt(page, rng.Int64N(max(n, 1))*size)
		f.Close()
		return err
	})
}

func (g *golden) byteFlips(t *testing.T, rng *rand.Rand) error {
	return g.damage(t, func(db string) error {
		b, err := os.ReadFile(db)
		if err != nil {
			return err
		}
		for range 20 {
			b[rng.IntN(len(b))] ^= byte(1 + rng.UintN(255))
		}
		return os.WriteFile(db, b, 0o600)
	})
}

func (g *golden) truncate(t *testing.T, rng *rand.Rand) error {
	return g.damage(t, func(db string) error {
		info, err := os.Stat(db)
		if err != nil {
			return err
		}
		return os.Truncate(db, rng.Int64N(info.Size()))
	})
}

var faultBuckets = []string{
	"meta", "connections", "accounts", "balances", "transactions", "txdir", "pending",
	"providers", "attempts", "settings", "checkpoints", "standing_orders", "direct_debits",
}

func (g *golden) deleteBucket(t *testing.T, _ *rand.Rand) error {
	dir := g.fresh(t, g.synced)
	db, err := bbolt.Open(g.db(dir), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	name := faultBuckets[g.nth]
	err = db.Update(func(tx *bbolt.Tx) error { return tx.DeleteBucket([]byte(name)) })
	db.Close()
	if err != nil {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	if err := g.mend(dir); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// faultFiles are what a deleted-file run removes, and what the user does
// about it.
var faultFiles = []string{"bankdesk.db", "vault.key", "snapshots", "bankdesk.lock"}

func (g *golden) deleteFile(t *testing.T, _ *rand.Rand) error {
	dir := g.fresh(t, g.synced)
	switch g.nth {
	case 0: // the data file: the snapshot rebuilds it
		_ = os.Remove(g.db(dir))
		return g.mend(dir)
	case 1: // the key: refused, nothing changed; restoring it is the remedy
		key, _ := os.ReadFile(filepath.Join(dir, "vault.key"))
		before := tree(t, dir)
		_ = os.Remove(filepath.Join(dir, "vault.key"))
		_, errOut, code := g.cli(dir, "accounts")
		if crashed(code, errOut) || code != 1 || !strings.Contains(errOut, "encryption key for this data is missing") {
			return fmt.Errorf("a missing key: %d %s", code, errOut)
		}
		if err := os.WriteFile(filepath.Join(dir, "vault.key"), key, 0o600); err != nil {
			return err
		}
		if after := tree(t, dir); after != before {
			return fmt.Errorf("the refusal changed the data dir")
		}
		return g.mend(dir)
	case 2: // the snapshots: nothing lost
		_ = os.RemoveAll(filepath.Join(dir, "snapshots"))
		return g.mend(dir)
	default: // the lock file: it is made again
		_ = os.Remove(filepath.Join(dir, "bankdesk.lock"))
		return g.mend(dir)
	}
}

// tree lists a dir's files with their sizes.
func tree(t *testing.T, dir string) string {
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "bankdesk.lock" { // the lock comes first, by design
			info, _ := d.Info()
			fmt.Fprintf(&b, "%s %d\n", strings.TrimPrefix(p, dir), info.Size())
		}
		return nil
	})
	return b.String()
}

// firstRuns starts two commands at once on an empty data dir, as two
// windows or a window and a script would: the dir must work after.
func (g *golden) firstRuns(t *testing.T, _ *rand.Rand) error {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]string, 2)
	codes := make([]int, 2)
	for i := range 2 {
		wg.Go(func() { _, errs[i], codes[i] = g.cli(dir, "accounts") })
	}
	wg.Wait()
	for i := range 2 {
		if crashed(codes[i], errs[i]) || codes[i] != 0 && !strings.Contains(errs[i], "already running") {
			return fmt.Errorf("first run %d: %d %s", i, codes[i], errs[i])
		}
	}
	if _, errOut, code := g.cli(dir, "accounts"); code != 0 {
		return fmt.Errorf("after two first runs: %d %s", code, errOut)
	}
	return nil
}

// kill starts a command and kills it (SIGKILL) after a random part of d.
func (g *golden) kill(dir string, rng *rand.Rand, d time.Duration, args ...string) (killed bool, err error) {
	cmd := g.process(dir, args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		return false, err
	}
	time.Sleep(time.Duration(rng.Int64N(int64(d))))
	killed = cmd.Process.Kill() == nil
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != -1 && crashed(code, errb.String()) {
		return false, fmt.Errorf("%s crashed: %d %.300s", args[0], code, errb.String())
	}
	return killed, nil
}

// killSync kills the first sync of a new connection part-way; the next
// sync must end with everything, as an uninterrupted one does.
func (g *golden) killSync(t *testing.T, rng *rand.Rand) error {
	dir := g.fresh(t, g.connected)
	if _, err := g.kill(dir, rng, g.syncTook, "sync"); err != nil {
		return err
	}
	if _, errOut, code := g.cli(dir, "sync"); code != 0 {
		return fmt.Errorf("the sync after the kill: %d %.300s", code, errOut)
	}
	return g.mend(dir)
}

// killExport kills an export part-way: the target's folder holds nothing
// but the target, the data dir nothing new, and the data is whole.
func (g *golden) killExport(t *testing.T, rng *rand.Rand) error {
	dir := g.fresh(t, g.synced)
	out := t.TempDir()
	start := time.Now()
	if _, errOut, code := g.cli(dir, "export", "--format", "csv", "-o", filepath.Join(out, "ref.csv")); code != 0 {
		return fmt.Errorf("export: %s", errOut)
	}
	before := testhost.DirNames(t, dir) // with the lock file the first command made
	took := time.Since(start)
	_ = os.Remove(filepath.Join(out, "ref.csv"))
	if _, err := g.kill(dir, rng, took, "export", "--format", "csv", "-o", filepath.Join(out, "e.csv")); err != nil {
		return err
	}
	if got := testhost.DirNames(t, out); len(got) > 1 || len(got) == 1 && got[0] != "e.csv" {
		return fmt.Errorf("the target's folder holds %q", got)
	}
	if got := testhost.DirNames(t, dir); !slices.Equal(got, before) {
		return fmt.Errorf("the data dir holds %q, held %q", got, before)
	}
	return g.mend(dir)
}

// killChangePassphrase kills a passphrase change part-way: the data then
// opens with exactly one of the two passphrases, whole.
func (g *golden) killChangePassphrase(t *testing.T, rng *rand.Rand) error {
	dir := g.fresh(t, g.synced)
	newPass := "a new passphrase for the faults"
	env := g.env
	g.env = map[string]string{"BANKDESK_NEW_PASSPHRASE": newPass}
	for k, v := range env {
		g.env[k] = v
	}
	ref := g.fresh(t, g.synced)
	start := time.Now()
	_, errOut, code := g.cli(ref, "change-passphrase")
	took := time.Since(start)
	if code != 0 {
		g.env = env
		return fmt.Errorf("change-passphrase: %s", errOut)
	}
	_, err := g.kill(dir, rng, took, "change-passphrase")
	g.env = env
	if err != nil {
		return err
	}
	_, oldErr, oldCode := g.cli(dir, "accounts")
	g.env = map[string]string{"BANKDESK_PASSPHRASE": newPass}
	for k, v := range env {
		if k != "BANKDESK_PASSPHRASE" {
			g.env[k] = v
		}
	}
	_, newErr, newCode := g.cli(dir, "accounts")
	defer func() { g.env = env }()
	switch {
	case oldCode == 0 && newCode == 0:
		return fmt.Errorf("both passphrases open the data")
	case oldCode != 0 && newCode != 0:
		return fmt.Errorf("neither passphrase opens the data: %s / %s", oldErr, newErr)
	case oldCode == 0:
		g.env = env
	}
	return g.mend(dir)
}

// copyDir copies a data dir (files and one level of folders).
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		if strings.HasSuffix(p, ".lock") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
