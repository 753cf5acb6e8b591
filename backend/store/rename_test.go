package store

import (
	"errors"
	"testing"
)

// seedAccount stores one of everything an account can own.
func seedAccount(t *testing.T, st *Store, connID, acc string) []Transaction {
	t.Helper()
	withAccount(t, st, connID, acc)
	coffee := Transaction{BookedAt: day("2026-01-05"), Description: "COFFEE", Amount: dec("-2.50"), Currency: "GBP", Type: TypeDebit}
	txs := []Transaction{
		googlePlay(),
		{ProviderTransactionID: "p-1", BookedAt: day("2026-01-04"), Description: "RENT", Amount: dec("-900"), Currency: "GBP", Type: TypeDebit},
		coffee,
		coffee, // a second identical coffee that day: "h:…#2"
	}
	put(t, st, acc, txs...)
	mustNoErr(t, st.ReplacePending(acc, []Transaction{{BookedAt: day("2026-01-06"), Description: "TAXI", Amount: dec("-12"), Currency: "GBP", Type: TypeDebit}}))
	mustNoErr(t, st.PutBalance(Balance{AccountID: acc, Currency: "GBP", Current: dec("100.10")}))
	mustNoErr(t, st.PutCheckpoint(acc, []byte(`{"v":1}`)))
	mustNoErr(t, st.PutStandingOrders(acc, []StandingOrder{{Frequency: "EvryDay", Payee: "Landlord"}}))
	mustNoErr(t, st.PutDirectDebits(acc, []DirectDebit{{Name: "Water", MandateID: "m-1"}}))
	return txs
}

func TestRenameAccountMovesEverythingAndDedupeContinues(t *testing.T) {
	st, _ := openTemp(t, newGCMSealer()) // binds each value to its key: a value not re-sealed would not open
	txs := seedAccount(t, st, "c1", "old")
	seedAccount(t, st, "c1", "old-2") // a neighbour whose id the old one prefixes
	before := all(t, st, "old")

	mustNoErr(t, st.RenameAccount("old", "new"))

	if _, err := st.Account("old"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old account still there: %v", err)
	}
	a, err := st.Account("new")
	if err != nil || a.ID != "new" || a.ConnectionID != "c1" {
		t.Fatalf("renamed account %+v %v", a, err)
	}
	if got := all(t, st, "old"); len(got) != 0 {
		t.Fatalf("%d transactions left under the old id", len(got))
	}
	after := all(t, st, "new")
	if len(after) != len(before) {
		t.Fatalf("%d transactions after, %d before", len(after), len(before))
	}
	for i := range after {
		if after[i].AccountID != "new" || after[i].Description != before[i].Description || !after[i].Amount.Equal(before[i].Amount) {
			t.Errorf("transaction %d: %+v, was %+v", i, after[i], before[i])
		}
	}
	if b, err := st.Balance("new"); err != nil || b.AccountID != "new" || b.Current.String() != "100.1" {
		t.Fatalf("balance %+v %v", b, err)
	}
	if _, err := st.Balance("old"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old balance: %v", err)
	}
	if p, err := st.Pending("new"); err != nil || len(p) != 1 || p[0].AccountID != "new" || p[0].Key != DedupeKey(p[0]) {
		t.Fatalf("pending %+v %v", p, err)
	}
	if cp, err := st.Checkpoint("new"); err != nil || string(cp) != `{"v":1}` {
		t.Fatalf("checkpoint %q %v", cp, err)
	}
	if so, err := st.StandingOrders("new"); err != nil || len(so) != 1 {
		t.Fatalf("standing orders %v %v", so, err)
	}
	if dd, err := st.DirectDebits("new"); err != nil || len(dd) != 1 {
		t.Fatalf("direct debits %v %v", dd, err)
	}
	if got := all(t, st, "old-2"); len(got) != len(txs) {
		t.Fatalf("the neighbour has %d transactions, want %d", len(got), len(txs))
	}

	// The next sync delivers the same transactions under the new id: all
	// recognised, the content-hash ones included.
	putWant(t, st, "new", "same transactions after rename", 0, 0, txs...)
}

func TestRenameAccountRefusesToMerge(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	seedAccount(t, st, "c1", "a")
	seedAccount(t, st, "c1", "b")
	if err := st.RenameAccount("a", "b"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("rename onto an existing account: %v", err)
	}
	if n := len(all(t, st, "a")); n != 4 {
		t.Fatalf("a failed rename moved data: %d left", n)
	}
	if err := st.RenameAccount("missing", "c"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
	if err := st.RenameAccount("a", "a"); err != nil {
		t.Fatalf("rename to itself: %v", err)
	}
	if err := st.RenameAccount("a", ""); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty id: %v", err)
	}
}
