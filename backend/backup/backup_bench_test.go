package backup

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"bankdesk/backend/datadir"
	"bankdesk/backend/internal/fixture"
	"bankdesk/backend/internal/testbank"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// store100k is a data file of fixture.N transactions of one account, under
// a real XChaCha20-Poly1305 vault, as the store's benchmarks build it.
func store100k(b *testing.B) *store.Store {
	b.Helper()
	st := testbank.Store(b)
	if err := st.PutConnection(store.Connection{ID: "c", RefreshToken: "r"}); err != nil {
		b.Fatal(err)
	}
	if err := st.PutAccounts("c", []store.Account{{ID: fixture.Account, Kind: store.KindAccount}}); err != nil {
		b.Fatal(err)
	}
	if _, _, err := st.PutTransactions(fixture.Account, fixture.Transactions(fixture.N)); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkBackup100k writes `bankdesk backup` of 100,000 transactions to
// a file: the copy sealed again under the backup's key, checked and
// counted, archived, encrypted by age under scrypt at the real work
// factor (2^18), synced and renamed into place. file-MB is the backup's
// size.
func BenchmarkBackup100k(b *testing.B) {
	b.Setenv("BANKDESK_TEST_KDF", "") // the real scrypt cost
	st := store100k(b)
	path := filepath.Join(b.TempDir(), "bankdesk.age")
	for b.Loop() {
		m, err := WriteFile(context.Background(), path, st, "benchmark passphrase", time.Now())
		if err != nil || m.Transactions != fixture.N {
			b.Fatalf("%d transactions, %v", m.Transactions, err)
		}
	}
	reportSize(b, path)
	b.ReportMetric(float64(fixture.N)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkRestore100k restores that backup onto a clean data directory:
// scrypt at 2^18, every byte decrypted and written, the new passphrase
// vault made (its Argon2id key file at the test binaries' fixed cost, not
// a calibration) and every record sealed again under its key, the file
// renamed into place.
func BenchmarkRestore100k(b *testing.B) {
	b.Setenv("BANKDESK_TEST_KDF", "")
	st := store100k(b)
	path := filepath.Join(b.TempDir(), "bankdesk.age")
	if _, err := WriteFile(context.Background(), path, st, "benchmark passphrase", time.Now()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		o := datadir.Options{Store: filepath.Join(dir, "bankdesk.db"),
			Vault: vault.Options{Mode: vault.ModeFile, Dir: dir, Passphrase: pass("benchmark target passphrase")}}
		b.StartTimer()
		m, err := RestoreFile(context.Background(), path, o, pass("benchmark passphrase"), false)
		if err != nil || m.Transactions != fixture.N {
			b.Fatalf("%d transactions, %v", m.Transactions, err)
		}
	}
	reportSize(b, path)
	b.ReportMetric(float64(fixture.N)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

func reportSize(b *testing.B, path string) {
	if info, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(info.Size())/1e6, "file-MB")
	}
}

// BenchmarkPassphrase is the fixed part of both: age's scrypt at
// WorkFactor, what each guess at a backup's passphrase costs too.
func BenchmarkPassphrase(b *testing.B) {
	r, err := age.NewScryptRecipient("benchmark passphrase")
	if err != nil {
		b.Fatal(err)
	}
	r.SetWorkFactor(WorkFactor)
	var file bytes.Buffer
	w, err := age.Encrypt(&file, r)
	if err != nil || w.Close() != nil {
		b.Fatal(err)
	}
	id, err := age.NewScryptIdentity("benchmark passphrase")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := age.Decrypt(bytes.NewReader(file.Bytes()), id); err != nil {
			b.Fatal(err)
		}
	}
}
