package cli

import (
	"bufio"
	"bytes"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// killDelayMS slows every Data API call of the standalone sandbox a little,
// so kills land inside a sync rather than between them.
const killDelayMS = 4

// A `bankdesk sync` process killed (SIGKILL) at random moments, by time and
// at random progress lines, over and over, each kill resuming where the
// last one left off: after every kill, a complete sync (on a copy of the
// data dir as the kill left it) ends with exactly the bank's data, nothing
// missing and nothing twice; and so does the last one, read back through
// `bankdesk transactions --json`.
func TestSyncSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 20 processes and checks each (about 30 s)")
	}
	env := standaloneSandbox(t)
	for k, v := range map[string]string{"BANKDESK_DATA_DIR": t.TempDir(), "BANKDESK_KEYRING": "file", "BANKDESK_PASSPHRASE": "kill test passphrase"} {
		env[k] = v
	}
	connectOnly(t, env)
	v, err := vault.Open(vault.Options{Mode: vault.ModeFile, Dir: env["BANKDESK_DATA_DIR"],
		Passphrase: func() (string, error) { return env["BANKDESK_PASSPHRASE"], nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	// Every Data API call waits a little, so kills land inside the sync.
	setFaults(t, env, sandbox.Faults{DelayMS: killDelayMS})

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 42))
	kills, byLine := 0, 0
	// Kill points are drawn within the length of a whole sync, as last
	// seen: the first is a six-year backfill (about 90 lines), later ones
	// are incremental (about 16).
	lastLines, lastTime := 90, 3*time.Second
	for run := 0; kills < 20 && run < 60; run++ {
		cmd := process(env, "sync")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		runStart := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var timer <-chan time.Time
		atLine := 0
		if run%2 == 0 {
			timer = time.After(time.Duration(rng.Int64N(int64(lastTime)))) // from process start: the vault opening too
		} else {
			atLine = 1 + rng.IntN(lastLines)
		}
		seen, killed := 0, false
	wait:
		for {
			select {
			case _, ok := <-lines:
				if !ok {
					break wait
				}
				if seen++; seen == atLine {
					killed = cmd.Process.Kill() == nil
					byLine++
					break wait
				}
			case <-timer:
				killed = cmd.Process.Kill() == nil
				break wait
			}
		}
		go func() {
			for range lines {
			}
		}()
		err = cmd.Wait()
		if killed && cmd.ProcessState.ExitCode() == -1 {
			kills++
			verifySnapshot(t, env, v)
		} else if err != nil {
			t.Fatalf("run %d: sync failed on its own: %v", run, err)
		} else {
			lastLines, lastTime = seen, time.Since(runStart)
		}
	}
	if kills < 20 || byLine < 7 {
		t.Fatalf("only %d kills (%d at progress lines) landed inside a sync", kills, byLine)
	}

	setFaults(t, env, sandbox.Faults{})
	final := process(env, "sync")
	var errOut bytes.Buffer
	final.Stderr = &errOut
	if err := final.Run(); err != nil {
		t.Fatalf("final sync: %v\n%s", err, errOut.String())
	}
	assertTruthJSON(t, transactionsJSON(t, env), truthOf(t, env))
	t.Logf("%d kills (%d at a progress line), each followed by a complete sync equal to the bank", kills, byLine)
}

// verifySnapshot copies the data dir as the kill left it and checks that
// one complete `bankdesk sync` from there ends equal to the bank. The copy
// is read with the vault opened once (v), sparing an Argon2id derivation per
// check; the final check goes through `bankdesk transactions --json`.
func verifySnapshot(t *testing.T, env map[string]string, v *vault.Vault) {
	t.Helper()
	snap := maps.Clone(env)
	snap["BANKDESK_DATA_DIR"] = t.TempDir()
	defer func() { _ = os.RemoveAll(snap["BANKDESK_DATA_DIR"]) }()
	if err := os.CopyFS(snap["BANKDESK_DATA_DIR"], os.DirFS(env["BANKDESK_DATA_DIR"])); err != nil {
		t.Fatal(err)
	}
	setFaults(t, env, sandbox.Faults{})
	defer setFaults(t, env, sandbox.Faults{DelayMS: killDelayMS})
	sync := process(snap, "sync")
	var errOut bytes.Buffer
	sync.Stderr = &errOut
	if err := sync.Run(); err != nil {
		t.Fatalf("sync after the kill: %v\n%s", err, errOut.String())
	}
	st, err := store.Open(filepath.Join(snap["BANKDESK_DATA_DIR"], "bankdesk.db"), v, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	truth := truthOf(t, env)
	var txs []txJSON
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		add := func(tx store.Transaction) error {
			txs = append(txs, txJSON{ID: tx.Key, AccountID: tx.AccountID, BookedAt: tx.BookedAt.Format(time.RFC3339),
				Description: tx.Description, Merchant: &tx.Merchant, Category: &tx.Category, Amount: tx.Amount.String(),
				Currency: tx.Currency, Type: tx.Type, Status: tx.Status})
			return nil
		}
		if err := st.Transactions(a.AccountID, 0, 0, add); err != nil {
			t.Fatal(err)
		}
		pending, err := st.Pending(a.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pending {
			_ = add(p) // add never fails
		}
	}
	assertTruthJSON(t, txs, truth)
}
