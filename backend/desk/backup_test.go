package desk

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"bankdesk/backend/backup"
	"bankdesk/backend/datadir"
	"bankdesk/backend/store"
)

// A backup made on one computer and restored on another (a second data
// directory, a passphrase of its own) brings the connection back with its
// tokens and the built-in bank's memory of them: the restored desk syncs
// without a reconnect, with what the first one had. The first desk is
// closed before, as a person moving to a new computer would.
func TestABackupMovesTheDataToAnotherComputer(t *testing.T) {
	t.Setenv("BANKDESK_TEST_KDF", "cheap")
	ctx := context.Background()
	from := fileVaultConfig(t, nil)
	d := openDesk(t, Options{Config: from})
	res := connectJohn(t, d)
	file := filepath.Join(t.TempDir(), "bankdesk.age")
	m, err := d.Backup(ctx, file, "moving day passphrase")
	if err != nil {
		t.Fatal(err)
	}
	before, err := d.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	_ = d.Close()

	to := fileVaultConfig(t, map[string]string{"BANKDESK_PASSPHRASE": "the new computer's own"})
	pass := func() (string, error) { return "moving day passphrase", nil }
	got, err := Restore(Options{Config: to}, file, pass, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.Transactions != m.Transactions || got.Connections != 1 {
		t.Errorf("restored %d transactions of %d connections, the backup said %d of 1", got.Transactions, got.Connections, m.Transactions)
	}
	if _, err := Restore(Options{Config: to}, file, pass, false); !errors.Is(err, datadir.ErrNotEmpty) {
		t.Errorf("a second restore without force: %v, want ErrNotEmpty", err)
	}

	r := openDesk(t, Options{Config: to})
	after, err := r.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, before) {
		t.Errorf("accounts after the restore differ:\n got %+v\nwant %+v", after, before)
	}
	rep, err := r.Sync(ctx, res.ConnectionID, false, nil)
	if err != nil || !rep.OK() {
		t.Fatalf("sync on the new computer: %v %+v", err, rep)
	}
	if c, err := r.Store().Connection(res.ConnectionID); err != nil || c.Status != store.StatusActive {
		t.Errorf("connection %s, %v", c.Status, err)
	}
	var be *backup.Error
	if _, err := r.Backup(ctx, filepath.Join(t.TempDir(), "x.age"), "short"); !errors.Is(err, backup.ErrWeakPassphrase) || !errors.As(err, &be) {
		t.Errorf("a short backup passphrase: %v", err)
	}
}
