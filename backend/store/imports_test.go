package store

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"go.etcd.io/bbolt"

	"bankdesk/backend/bankday"
)

func keysOf(t *testing.T, st *Store, accountID string) []string {
	t.Helper()
	var keys []string
	mustNoErr(t, st.Transactions(accountID, 0, 0, func(tx Transaction) error {
		keys = append(keys, tx.Key+" "+tx.Description+" "+tx.Status)
		return nil
	}))
	slices.Sort(keys)
	return keys
}

func bankTx(id, d, amount, desc string) Transaction {
	tt := Transaction{BookedAt: day(d), Description: desc, Amount: dec(amount), Currency: "GBP", Type: TypeDebit, ProviderTransactionID: id}
	if !tt.Amount.IsNegative() {
		tt.Type = TypeCredit
	}
	return tt
}

// An import only adds: a row whose key the account holds leaves the
// stored transaction as the bank gave it, and is not counted; the record
// lists exactly the keys it added, each row marked with its id.
func TestImportOnlyAdds(t *testing.T) {
	st := accountStore(t)
	_, _, err := st.PutTransactions("acc", []Transaction{bankTx("b1", "2026-07-01", "-5", "BANK TEXT")})
	mustNoErr(t, err)
	rec, err := st.ImportTransactions(Import{AccountID: "acc", File: "f.ofx"}, []Transaction{
		bankTx("b1", "2026-07-01", "-5", "FILE TEXT"), bankTx("f1", "2026-07-02", "-6", "NEW"),
	})
	mustNoErr(t, err)
	if rec.ID == "" || !slices.Equal(rec.Keys, []string{"p:f1"}) {
		t.Fatalf("record %+v, want p:f1 alone", rec)
	}
	if got := keysOf(t, st, "acc"); !slices.Equal(got, []string{"p:b1 BANK TEXT booked", "p:f1 NEW booked"}) {
		t.Fatalf("stored %q", got)
	}
	f1, err := st.Transaction("acc", "p:f1")
	mustNoErr(t, err)
	if f1.Imported() != rec.ID {
		t.Fatalf("the added row is marked %q, want %q", f1.Imported(), rec.ID)
	}
	if b1, _ := st.Transaction("acc", "p:b1"); b1.Imported() != "" {
		t.Fatal("the bank's row was marked as imported")
	}
}

// A bank's full window never marks an imported booking removed: the bank
// does not list it because it came from a file.
func TestImportedRowsAreNotMissingFromTheBanksWindow(t *testing.T) {
	st := accountStore(t)
	_, err := st.ImportTransactions(Import{AccountID: "acc"}, []Transaction{bankTx("f1", "2026-07-02", "-6", "FROM FILE")})
	mustNoErr(t, err)
	_, _, err = st.PutTransactions("acc", []Transaction{bankTx("b1", "2026-07-02", "-5", "BANK")})
	mustNoErr(t, err)
	w := Window{bankday.Date(2026, 7, 1), bankday.Date(2026, 7, 3)}
	for range missingToRemove {
		_, err := st.PutWindow("acc", w, nil, nil)
		mustNoErr(t, err)
	}
	if got := keysOf(t, st, "acc"); !slices.Equal(got, []string{"p:b1 BANK removed", "p:f1 FROM FILE booked"}) {
		t.Fatalf("after two empty windows: %q", got)
	}
}

// Undo removes exactly what the import added: not another import's rows,
// not the bank's, not a row a sync has since made the bank's; the
// person's fields of the removed rows and links into them go too; the
// indexes on disk agree after a reopen.
func TestUndoImport(t *testing.T) {
	st, path := openTemp(t, xorSealer{})
	withAccount(t, st, "c", "acc")
	_, _, err := st.PutTransactions("acc", []Transaction{bankTx("b1", "2026-06-01", "-5", "BANK")})
	mustNoErr(t, err)
	one, err := st.ImportTransactions(Import{AccountID: "acc", File: "one.csv"}, []Transaction{
		bankTx("", "2026-05-01", "-1", "ONE A"), bankTx("", "2026-05-01", "-1", "ONE A"), bankTx("x1", "2026-04-02", "-2", "ONE B"),
		bankTx("taken", "2026-05-03", "-3", "ONE C"),
	})
	mustNoErr(t, err)
	two, err := st.ImportTransactions(Import{AccountID: "acc", File: "two.csv"}, []Transaction{bankTx("y1", "2026-05-02", "-7", "TWO")})
	mustNoErr(t, err)
	if one.Added() != 4 || two.Added() != 1 {
		t.Fatalf("added %d and %d", one.Added(), two.Added())
	}
	// The bank lists one of the first file's rows: it is the bank's now.
	_, _, err = st.PutTransactions("acc", []Transaction{bankTx("taken", "2026-05-03", "-3", "ONE C")})
	mustNoErr(t, err)
	mustNoErr(t, st.SetUserFields("acc", "p:x1", UserFields{Note: "mine", TransferWith: &TxRef{"acc", "p:b1"}}))
	if f, _ := st.UserFields("acc", "p:b1"); f.TransferWith == nil {
		t.Fatal("the link was not set on both halves")
	}

	rec, n, err := st.UndoImport(one.ID)
	mustNoErr(t, err)
	if n != 3 || rec.File != "one.csv" {
		t.Fatalf("undo removed %d of %s, want 3 of one.csv", n, rec.File)
	}
	want := []string{"p:b1 BANK booked", "p:taken ONE C booked", "p:y1 TWO booked"}
	if got := keysOf(t, st, "acc"); !slices.Equal(got, want) {
		t.Fatalf("after undo %q, want %q", got, want)
	}
	if f, _ := st.UserFields("acc", "p:b1"); f.TransferWith != nil {
		t.Fatal("the link into a removed row stayed")
	}
	if f, _ := st.UserFields("acc", "p:x1"); !f.IsZero() {
		t.Fatalf("the removed row's fields stayed: %+v", f)
	}
	list, err := st.Imports()
	mustNoErr(t, err)
	if len(list) != 1 || list[0].ID != two.ID {
		t.Fatalf("imports %+v", list)
	}
	if _, _, err := st.UndoImport(one.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("undo twice: %v", err)
	}
	// A new row keyed like a removed one is new again.
	if _, err := st.ImportTransactions(Import{AccountID: "acc"}, []Transaction{bankTx("x1", "2026-04-02", "-2", "ONE B")}); err != nil {
		t.Fatal(err)
	}
	mustNoErr(t, st.Close())
	st2, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	defer st2.Close()
	want = []string{"p:b1 BANK booked", "p:taken ONE C booked", "p:x1 ONE B booked", "p:y1 TWO booked"}
	if got := keysOf(t, st2, "acc"); !slices.Equal(got, want) {
		t.Fatalf("reopened %q, want %q", got, want)
	}
	if n, err := st2.CountTransactions("acc"); err != nil || n != 4 {
		t.Fatalf("count %d %v", n, err)
	}
	if d := st2.Damaged(); len(d) != 0 {
		t.Fatalf("damage %+v", d)
	}
}

// A manual account belongs to no connection: listed with the others,
// refused without a name or a currency, untouched by a connection's
// removal, and with no pending rows.
func TestManualAccount(t *testing.T) {
	st := accountStore(t)
	for name, a := range map[string]Account{
		"no name":      {Currency: "GBP"},
		"bad currency": {DisplayName: "Cash", Currency: "pounds"},
		"a connection": {DisplayName: "Cash", Currency: "GBP", ConnectionID: "c"},
	} {
		if _, err := st.PutManualAccount(a); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	a, err := st.PutManualAccount(Account{DisplayName: " Cash book ", Currency: "eur"})
	mustNoErr(t, err)
	if !a.Manual || a.ConnectionID != "" || a.DisplayName != "Cash book" || a.Currency != "EUR" || a.Kind != KindAccount {
		t.Fatalf("stored %+v", a)
	}
	_, err = st.ImportTransactions(Import{AccountID: a.ID}, []Transaction{bankTx("", "2026-07-01", "-1", "TEA")})
	mustNoErr(t, err)
	mustNoErr(t, st.DeleteConnection("c", false))
	accts, err := st.Accounts()
	mustNoErr(t, err)
	if len(accts) != 1 || accts[0].ID != a.ID {
		t.Fatalf("accounts %+v", accts)
	}
	if p, err := st.Pending(a.ID); err != nil || len(p) != 0 {
		t.Fatalf("pending %v %v", p, err)
	}
	if n, _ := st.CountTransactions(a.ID); n != 1 {
		t.Fatalf("the manual account holds %d", n)
	}
}

// Schema 7 adds the imports bucket to a schema 6 file.
func TestMigrateImports(t *testing.T) {
	restore := UseSchema(6)
	path := filepath.Join(t.TempDir(), "bankdesk.db")
	st, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	mustNoErr(t, st.Close())
	restore()
	st, err = Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	defer st.Close()
	if st.SchemaVersion() != 7 {
		t.Fatalf("schema %d", st.SchemaVersion())
	}
	mustNoErr(t, st.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketImports) == nil {
			t.Fatal("no imports bucket")
		}
		return nil
	}))
	if list, err := st.Imports(); err != nil || len(list) != 0 {
		t.Fatalf("imports %v %v", list, err)
	}
}

// An import follows its account: a rename (a reconnect under new ids)
// takes its record along, content-hash keys and all, so undo still finds
// its rows; the account's removal removes its records.
func TestImportsFollowTheirAccount(t *testing.T) {
	st := accountStore(t)
	rec, err := st.ImportTransactions(Import{AccountID: "acc"}, []Transaction{bankTx("", "2026-07-01", "-1", "NO ID"), bankTx("i1", "2026-07-02", "-2", "AN ID")})
	mustNoErr(t, err)
	mustNoErr(t, st.RenameAccount("acc", "acc2"))
	list, err := st.Imports()
	mustNoErr(t, err)
	if len(list) != 1 || list[0].AccountID != "acc2" {
		t.Fatalf("imports after the rename %+v", list)
	}
	if _, n, err := st.UndoImport(rec.ID); err != nil || n != 2 {
		t.Fatalf("undo after the rename removed %d (%v), want 2", n, err)
	}
	if got := keysOf(t, st, "acc2"); len(got) != 0 {
		t.Fatalf("left %q", got)
	}
	_, err = st.ImportTransactions(Import{AccountID: "acc2"}, []Transaction{bankTx("i2", "2026-07-03", "-3", "AGAIN")})
	mustNoErr(t, err)
	mustNoErr(t, st.DeleteConnection("c", false))
	if list, err := st.Imports(); err != nil || len(list) != 0 {
		t.Fatalf("imports after the account's removal %+v %v", list, err)
	}
}
