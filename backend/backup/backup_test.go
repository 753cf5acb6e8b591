package backup

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"bankdesk/backend/datadir"
	"bankdesk/backend/internal/spectest"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/internal/testhost"
	"bankdesk/backend/internal/wiring"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/vault"
)

// These tests talk to the sandbox; every response is validated against
// TrueLayer's OpenAPI specs.
func TestMain(m *testing.M) { os.Exit(spectest.Main(m)) }

// cheap makes the backups' scrypt and the key files' Argon2id trivial
// (honoured by test binaries only).
func cheap(t testing.TB) { t.Setenv("BANKDESK_TEST_KDF", "cheap") }

const (
	backupPass = "correct horse battery"
	targetPass = "this computer's passphrase"
)

// synced is a backend on the sandbox with john connected and synced, and
// a setting saved.
func synced(t *testing.T) *testenv.Env {
	t.Helper()
	cheap(t)
	e := testenv.Connected(t, testenv.Options{User: "john", Pass: "doe", HistoryYears: 1})
	rep, err := e.Syncer.Sync(context.Background(), e.ConnID, syncer.Attended, nil)
	if err != nil || !rep.OK() {
		t.Fatalf("sync: %v %+v", err, rep)
	}
	if err := store.PutSettingJSON(e.Store, store.SettingTheme, map[string]string{"theme": "dark"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// backupOf writes a backup of s under backupPass and returns its bytes.
func backupOf(t *testing.T, s *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Write(&buf, s, backupPass, testenv.Start); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// target is a clean data directory on "another computer", with a
// passphrase vault.
func target(t *testing.T) datadir.Options {
	t.Helper()
	dir := t.TempDir()
	return datadir.Options{
		Store: filepath.Join(dir, "bankdesk.db"),
		Vault: vault.Options{Mode: vault.ModeFile, Dir: dir, Passphrase: pass(targetPass)},
	}
}

func pass(p string) func() (string, error) { return func() (string, error) { return p, nil } }

func restore(o datadir.Options, file []byte, passphrase string, force bool) (Manifest, error) {
	return Restore(context.Background(), bytes.NewReader(file), o, pass(passphrase), force)
}

// contents is what a store holds, as its readers return it.
type contents struct {
	Connections []store.Connection
	Accounts    []store.Account
	Booked      map[string][]store.Transaction
	Pending     map[string][]store.Transaction
	Balances    map[string]store.Balance
	Standing    map[string][]store.StandingOrder
	Debits      map[string][]store.DirectDebit
	Settings    map[string]string
}

func contentsOf(t *testing.T, s *store.Store) contents {
	t.Helper()
	c := contents{Booked: map[string][]store.Transaction{}, Pending: map[string][]store.Transaction{},
		Balances: map[string]store.Balance{}, Standing: map[string][]store.StandingOrder{},
		Debits: map[string][]store.DirectDebit{}, Settings: map[string]string{}}
	var err error
	if c.Connections, err = s.Connections(); err != nil {
		t.Fatal(err)
	}
	if c.Accounts, err = s.Accounts(); err != nil {
		t.Fatal(err)
	}
	for _, a := range c.Accounts {
		err := s.Transactions(a.ID, 0, 0, func(tx store.Transaction) error {
			c.Booked[a.ID] = append(c.Booked[a.ID], tx)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if c.Pending[a.ID], err = s.Pending(a.ID); err != nil {
			t.Fatal(err)
		}
		if b, err := s.Balance(a.ID); err == nil {
			c.Balances[a.ID] = b
		}
		c.Standing[a.ID], _ = s.StandingOrders(a.ID)
		c.Debits[a.ID], _ = s.DirectDebits(a.ID)
	}
	for _, name := range []string{store.SettingTheme, store.SettingBuiltinSandbox, store.SettingEnvironment} {
		if v, err := s.Setting(name); err == nil {
			c.Settings[name] = string(v)
		}
	}
	return c
}

func openTarget(t *testing.T, o datadir.Options) *datadir.Opened {
	t.Helper()
	op, err := datadir.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("open the restored data directory: %v", err)
	}
	t.Cleanup(func() { _ = op.Close() })
	return op
}

// The round trip of the "done": a backup restored on a clean data
// directory, under a key of that directory's own, holds exactly what the
// store held, and the connection syncs from there with the tokens it
// carried: the bank (the same sandbox) accepts the restored refresh token.
func TestARestoredBackupHoldsEverythingAndSyncs(t *testing.T) {
	e := synced(t)
	want := contentsOf(t, e.Store)
	if len(want.Booked) == 0 || len(want.Connections) != 1 || want.Connections[0].RefreshToken == "" {
		t.Fatalf("the source has too little to prove anything: %d accounts with transactions, %d connections", len(want.Booked), len(want.Connections))
	}
	o := target(t)
	m, err := restore(o, backupOf(t, e.Store), backupPass, false)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, txs := range want.Booked {
		n += len(txs)
	}
	if m.Connections != 1 || m.Accounts != len(want.Accounts) || m.Transactions != n || m.Key != nil {
		t.Errorf("manifest = %d connections, %d accounts, %d transactions (key returned: %v), want 1, %d, %d",
			m.Connections, m.Accounts, m.Transactions, m.Key != nil, len(want.Accounts), n)
	}

	op := openTarget(t, o)
	if got := contentsOf(t, op.Store); !reflect.DeepEqual(got, want) {
		t.Fatalf("restored store differs:\n got %+v\nwant %+v", got, want)
	}
	if op.Vault.Backend() != vault.BackendFile {
		t.Errorf("restored under %s, want this directory's own passphrase vault", op.Vault.Backend())
	}

	// A day later the access token has expired: the sync refreshes with
	// the restored refresh token, at the same bank.
	e.Clock.Add(24 * time.Hour)
	s := wiring.New(wiring.Options{Store: op.Store, Client: e.Client, Now: e.Clock.Now, RedirectURI: testenv.RedirectURI,
		Sync: syncer.Options{HistoryYears: 1, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}})
	rep, err := s.Syncer.Sync(context.Background(), e.ConnID, syncer.Background, nil)
	if err != nil || !rep.OK() {
		t.Fatalf("sync after restore: %v %+v", err, rep)
	}
	c, err := op.Store.Connection(e.ConnID)
	if err != nil || c.Status != store.StatusActive || !c.LastRefreshAt.After(want.Connections[0].LastRefreshAt) {
		t.Errorf("after the sync: status %s, last refresh %v (before %v), %v", c.Status, c.LastRefreshAt, want.Connections[0].LastRefreshAt, err)
	}
}

// The file is a standard age file under the passphrase: age itself opens
// it, and inside are the manifest and the copy, in that order. Neither
// the file nor what age decrypts shows a token in clear: the copy's
// records are sealed under the backup's own key.
func TestTheBackupIsAnAgeFileWithTokensSealedInside(t *testing.T) {
	e := synced(t)
	file := backupOf(t, e.Store)
	c := e.Connection(t, e.ConnID)
	plain := decrypted(t, file)
	var names []string
	tr := tar.NewReader(bytes.NewReader(plain))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
	if want := []string{manifestName, storeName}; !reflect.DeepEqual(names, want) {
		t.Errorf("entries %q, want %q", names, want)
	}
	for _, secret := range []string{c.AccessToken, c.RefreshToken} {
		if secret == "" {
			t.Fatal("no token to look for")
		}
		if bytes.Contains(file, []byte(secret)) || bytes.Contains(plain, []byte(secret)) {
			t.Errorf("a token is in clear in the backup")
		}
	}
}

// requireEmpty fails unless the data directory holds nothing: no
// data, no key, no temporary file.
func requireEmpty(t *testing.T, o datadir.Options) {
	t.Helper()
	for _, name := range testhost.DirNames(t, filepath.Dir(o.Store)) {
		if name != datadir.LockFileName {
			t.Errorf("%s left in the data directory", name)
		}
	}
}

// A wrong passphrase is told as such, in a sentence, and nothing is
// written.
func TestAWrongPassphraseIsRefusedCleanly(t *testing.T) {
	e := synced(t)
	o := target(t)
	_, err := restore(o, backupOf(t, e.Store), "not the passphrase", false)
	if !errors.Is(err, ErrWrongPassphrase) || err.Error() != ErrWrongPassphrase.Error() {
		t.Fatalf("err = %v, want ErrWrongPassphrase's sentence alone", err)
	}
	requireEmpty(t, o)
}

// Any changed byte of the encrypted content, and any cut, is found (age
// authenticates every chunk and marks the last): "damaged", nothing
// written. The cuts include one at a chunk's edge, where only the missing
// last-chunk mark tells.
func TestATamperedOrTruncatedBackupIsRefusedCleanly(t *testing.T) {
	e := synced(t)
	file := backupOf(t, e.Store)
	header := bytes.Index(file, []byte("\n---"))
	if header < 0 {
		t.Fatal("no age header")
	}
	body := header + bytes.IndexByte(file[header+1:], '\n') + 2 // first byte after the header's MAC line
	const chunk = 64*1024 + 16                                  // age's sealed chunk
	flip := func(i int) []byte { return flipIn(file, i) }
	cases := map[string][]byte{
		"a byte of the first chunk":   flip(body + 20),
		"a byte in the middle":        flip(len(file) / 2),
		"the last byte":               flip(len(file) - 1),
		"the header's MAC":            flip(header + 6),
		"cut in half":                 file[:len(file)/2],
		"cut at a chunk's edge":       file[:body+16+chunk],
		"cut by one byte":             file[:len(file)-1],
		"cut inside the header":       file[:header/2],
		"cut after the header":        file[:body],
		"cut to a few bytes of intro": file[:10],
	}
	// Bytes after the archive's end are read (and so authenticated) too:
	// a restore uses nothing from a file not all of which is as written.
	trailing := ageFile(t, append(decrypted(t, file), make([]byte, 3*64*1024)...), scrypt(t))
	cases["a byte after the archive's end"] = flipIn(trailing, len(trailing)-100)
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			o := target(t)
			_, err := restore(o, b, backupPass, false)
			if !errors.Is(err, ErrDamaged) || err.Error() != ErrDamaged.Error() {
				t.Fatalf("err = %v, want ErrDamaged's sentence alone", err)
			}
			var be *Error
			if !errors.As(err, &be) || be.Cause() == nil {
				t.Errorf("no technical cause kept for the details: %v", err)
			}
			requireEmpty(t, o)
		})
	}
}

func flipIn(file []byte, i int) []byte {
	b := bytes.Clone(file)
	b[i] ^= 0x01
	return b
}

// scrypt is a recipient for backupPass, cheap to open.
func scrypt(t *testing.T) *age.ScryptRecipient {
	t.Helper()
	r, err := age.NewScryptRecipient(backupPass)
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(10)
	return r
}

// decrypted is what age decrypts file to, under backupPass.
func decrypted(t *testing.T, file []byte) []byte {
	t.Helper()
	id, err := age.NewScryptIdentity(backupPass)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(file), id)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// A file that is not a backup says so: not an age file at all, an age
// file under another kind of key, or an age file under the right
// passphrase holding something else.
func TestAFileThatIsNotABackupSaysSo(t *testing.T) {
	x, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	sr := scrypt(t)
	cases := map[string][]byte{
		"empty":                nil,
		"text":                 []byte("date,amount\n2026-01-01,1.00\n"),
		"to a public key":      ageFile(t, []byte("hello"), x.Recipient()),
		"holding other bytes":  ageFile(t, []byte("hello, not a tar"), sr),
		"a tar of other files": ageFile(t, tarOf(t, map[string]string{"notes.txt": "hi"}), sr),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			o := target(t)
			_, err := restore(o, b, backupPass, false)
			if !errors.Is(err, ErrNotBackup) {
				t.Fatalf("err = %v, want ErrNotBackup", err)
			}
			requireEmpty(t, o)
		})
	}
}

func ageFile(t *testing.T, plain []byte, to age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A backup from a newer Bankdesk (a newer archive format, or a data file
// of a newer schema) asks for an update, before anything is written.
func TestABackupFromANewerBankdeskAsksForAnUpdate(t *testing.T) {
	e := synced(t)
	for name, edit := range map[string]func(*Manifest){
		"format": func(m *Manifest) { m.Format = FormatVersion + 1 },
		"schema": func(m *Manifest) { m.Schema = store.LatestSchema() + 1 },
	} {
		t.Run(name, func(t *testing.T) {
			file := rewritten(t, backupOf(t, e.Store), edit)
			o := target(t)
			_, err := restore(o, file, backupPass, false)
			if !errors.Is(err, ErrNewer) {
				t.Fatalf("err = %v, want ErrNewer", err)
			}
			requireEmpty(t, o)
		})
	}
}

// rewritten is file with its manifest edited, encrypted again.
func rewritten(t *testing.T, file []byte, edit func(*Manifest)) []byte {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, storeName)
	m, err := unpack(bytes.NewReader(file), backupPass, db)
	if err != nil {
		t.Fatal(err)
	}
	edit(&m)
	carried, err := vault.OpenCarried(m.Key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.Open(db, carried, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	var buf bytes.Buffer
	if err := m.encrypt(&buf, c, backupPass); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// existing is a data directory in use: its own store with a setting, and
// its key under targetPass, and a snapshot. It returns the data file's
// bytes.
func existing(t *testing.T) (datadir.Options, []byte) {
	t.Helper()
	o := target(t)
	op, err := datadir.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutSettingJSON(op.Store, store.SettingAutoLock, map[string]int{"minutes": 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := op.Store.Snapshot(store.SnapshotDir(o.Store), 0, testenv.Start); err != nil {
		t.Fatal(err)
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(o.Store)
	if err != nil {
		t.Fatal(err)
	}
	return o, data
}

// Restoring over data in use needs force: without it the restore stops
// before it asks for the passphrase, and the data file is untouched.
// With force the backup replaces the data whole (no merge: the old
// setting is gone, and so is the old data's snapshot, from which a repair
// would bring it back), under the directory's own key.
func TestRestoringOverDataNeedsForceAndNeverMerges(t *testing.T) {
	e := synced(t)
	file := backupOf(t, e.Store)
	o, before := existing(t)

	asked := false
	_, err := Restore(context.Background(), bytes.NewReader(file), o, func() (string, error) { asked = true; return backupPass, nil }, false)
	if !errors.Is(err, datadir.ErrNotEmpty) {
		t.Fatalf("err = %v, want datadir.ErrNotEmpty", err)
	}
	if asked {
		t.Error("the backup passphrase was asked for a restore that could not go ahead")
	}
	if after, _ := os.ReadFile(o.Store); !bytes.Equal(after, before) {
		t.Error("the data file changed")
	}

	if _, err := restore(o, file, backupPass, true); err != nil {
		t.Fatal(err)
	}
	if snaps, _ := store.Snapshots(store.SnapshotDir(o.Store)); len(snaps) != 0 {
		t.Errorf("the replaced data's snapshot is still there: %v", snaps)
	}
	op := openTarget(t, o) // targetPass still opens it: the directory kept its key
	if _, err := op.Store.Setting(store.SettingAutoLock); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the replaced data's setting is still there (%v): a merge", err)
	}
	if got, want := contentsOf(t, op.Store), contentsOf(t, e.Store); !reflect.DeepEqual(got, want) {
		t.Error("the forced restore does not hold the backup's data")
	}
}

// A forced restore that fails (a damaged backup, or the directory's own
// passphrase wrong) leaves the data in use exactly as it was.
func TestAFailedForcedRestoreKeepsTheOldData(t *testing.T) {
	e := synced(t)
	file := backupOf(t, e.Store)
	damaged := bytes.Clone(file)
	damaged[len(damaged)/2] ^= 0x80

	for name, tc := range map[string]struct {
		file    []byte
		wrongPW bool
		want    error
	}{
		"damaged backup":                   {file: damaged, want: ErrDamaged},
		"this computer's passphrase wrong": {file: file, wrongPW: true, want: vault.ErrWrongPassphrase},
	} {
		t.Run(name, func(t *testing.T) {
			o, before := existing(t)
			if tc.wrongPW {
				o.Vault.Passphrase = pass("not this computer's passphrase")
			}
			if _, err := restore(o, tc.file, backupPass, true); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if after, _ := os.ReadFile(o.Store); !bytes.Equal(after, before) {
				t.Error("the data file changed")
			}
			for _, name := range testhost.DirNames(t, filepath.Dir(o.Store)) {
				if strings.Contains(name, ".restore") {
					t.Errorf("%s left behind", name)
				}
			}
		})
	}
}

// A backup file is written whole or not at all, private, and never into
// the data directory; a refused passphrase writes nothing.
func TestWriteFileIsAtomicAndPrivate(t *testing.T) {
	e := synced(t)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "bankdesk.age")

	if _, err := WriteFile(ctx, path, e.Store, "short", testenv.Start); !errors.Is(err, ErrWeakPassphrase) {
		t.Errorf("a short passphrase: %v, want ErrWeakPassphrase", err)
	}
	inData := filepath.Join(filepath.Dir(e.Store.Path()), "backup.age")
	var te *TargetError
	if _, err := WriteFile(ctx, inData, e.Store, backupPass, testenv.Start); !errors.As(err, &te) {
		t.Errorf("into the data directory: %v, want a *TargetError", err)
	}
	if left := testhost.DirNames(t, dir); len(left) != 0 {
		t.Fatalf("a refused backup left %v", left)
	}

	if _, err := WriteFile(ctx, path, e.Store, backupPass, testenv.Start); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	for _, d := range []string{dir, filepath.Dir(e.Store.Path())} {
		for _, name := range testhost.DirNames(t, d) {
			if strings.Contains(name, "tmp") || strings.HasPrefix(name, tempDirPrefix) {
				t.Errorf("%s left in %s", name, d)
			}
		}
	}
	if _, err := RestoreFile(ctx, path, target(t), pass(backupPass), false); err != nil {
		t.Errorf("the written file does not restore: %v", err)
	}
}
