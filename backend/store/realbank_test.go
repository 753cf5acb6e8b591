package store

import (
	"bytes"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"bankdesk/backend/bankday"
)

// What real banks do to the store: local-midnight stamps, reused ids,
// bookings that disappear.

var bst = time.FixedZone("", 3600)

// A UK booking stamped at local midnight in summer is on the bank's day,
// keeps its offset through the record format, and a range read by day
// finds it on that day and not the one before.
func TestBookingDayIsTheBanksDay(t *testing.T) {
	st := accountStore(t)
	midnight := time.Date(2026, 7, 1, 0, 0, 0, 0, bst) // 30 June 23:00 UTC
	put(t, st, "acc",
		Transaction{NormalisedProviderID: "n1", BookedAt: midnight, Description: "RENT", Amount: dec("-950"), Type: TypeDebit},
		Transaction{BookedAt: midnight.Add(5 * time.Hour), Description: "NO ID", Amount: dec("-1"), Type: TypeDebit})

	got := all(t, st, "acc")
	if len(got) != 2 {
		t.Fatalf("stored %+v", got)
	}
	for _, tx := range got {
		if tx.Day() != bankday.Date(2026, 7, 1) {
			t.Errorf("%s: day %s, want 2026-07-01", tx.Description, tx.Day())
		}
		if _, off := tx.BookedAt.Zone(); off != 3600 {
			t.Errorf("%s: offset %d, want +01:00 kept", tx.Description, off)
		}
	}
	if !got[0].BookedAt.Equal(midnight) {
		t.Errorf("instant changed: %v", got[0].BookedAt)
	}
	// The content hash covers the bank's day.
	noID := got[1]
	if want := contentKey(Transaction{AccountID: "acc", BookedAt: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), Amount: dec("-1"), Description: "NO ID"}); noID.Key != want {
		t.Errorf("content key %s, want the one for 2026-07-01 (%s)", noID.Key, want)
	}
	count := func(from, to bankday.Day) int {
		n := 0
		mustNoErr(t, st.Transactions("acc", from, to, func(Transaction) error { n++; return nil }))
		return n
	}
	if n := count(bankday.Date(2026, 7, 1), bankday.Date(2026, 7, 1)); n != 2 {
		t.Errorf("1 July: %d transactions, want 2", n)
	}
	if n := count(bankday.Date(2026, 6, 30), bankday.Date(2026, 6, 30)); n != 0 {
		t.Errorf("30 June: %d transactions, want 0", n)
	}
}

// The content-hash key holds when the bank enriches a transaction that
// has no ids: merchant, category and classification may change.
func TestContentKeySurvivesEnrichment(t *testing.T) {
	st := accountStore(t)
	plain := Transaction{BookedAt: day("2026-03-02"), Description: "CARD PAYMENT TO TESCO", Amount: dec("-12.50"), Type: TypeDebit}
	put(t, st, "acc", plain)
	enriched := plain
	enriched.Merchant, enriched.Category, enriched.Classification = "Tesco", "PURCHASE", []string{"Shopping", "Groceries"}
	enriched.BookedAt = enriched.BookedAt.Add(9 * time.Hour) // a time of day added too
	putWant(t, st, "acc", "enriched", 0, 1, enriched)
	if got := only(t, st, "acc"); got.Merchant != "Tesco" {
		t.Fatalf("stored %+v", got)
	}
}

// A bank that reuses an id for another transaction, far apart or the other
// way round, keeps both, under stable keys; an ordinary update still
// updates.
func TestReusedIDsAreTwoTransactions(t *testing.T) {
	st := accountStore(t)
	first := Transaction{ProviderTransactionID: "77", BookedAt: day("2026-01-05"), Description: "COFFEE", Amount: dec("-3"), Type: TypeDebit}
	later := first
	later.BookedAt, later.Description, later.Amount = day("2026-02-20"), "BOOKS", dec("-20") // 46 days on
	refund := first
	refund.BookedAt, refund.Description, refund.Amount, refund.Type = day("2026-01-06"), "REFUND", dec("3"), TypeCredit

	putWant(t, st, "acc", "first", 1, 0, first)
	putWant(t, st, "acc", "same id 46 days later", 1, 0, later)
	putWant(t, st, "acc", "same id, the other direction", 1, 0, refund)
	keys := map[string]string{}
	for _, tx := range all(t, st, "acc") {
		keys[tx.Description] = tx.Key
	}
	want := map[string]string{"COFFEE": "p:77", "BOOKS": "p:77@2026-02-20", "REFUND": "p:77@2026-01-06"}
	for d, k := range want {
		if keys[d] != k {
			t.Errorf("%s stored as %q, want %q (all: %v)", d, keys[d], k, keys)
		}
	}

	// The bank sends them again, in any order and in one answer: nothing
	// new, nothing changed.
	putWant(t, st, "acc", "all three again", 0, 0, refund, later, first)
	// An ordinary update of each still lands on its own record.
	first.Merchant = "Pret"
	later.BookedAt = later.BookedAt.AddDate(0, 0, 2) // the bank corrected the date
	putWant(t, st, "acc", "updates", 0, 2, later, first)
	got := all(t, st, "acc")
	if len(got) != 3 {
		t.Fatalf("%d stored, want 3: %+v", len(got), got)
	}
	for _, tx := range got {
		switch tx.Description {
		case "COFFEE":
			if tx.Merchant != "Pret" || tx.Key != "p:77" {
				t.Errorf("coffee %+v", tx)
			}
		case "BOOKS":
			if tx.Day() != bankday.Date(2026, 2, 22) || tx.Key != "p:77@2026-02-20" {
				t.Errorf("books %+v", tx)
			}
		}
	}
	// The index, rebuilt from the file, knows the variants too.
	st.index.mu.Lock()
	st.index.forgetAll()
	st.index.mu.Unlock()
	putWant(t, st, "acc", "after a restart", 0, 0, first, later, refund)
}

// A booking the bank stops returning inside a window it served in full is
// missing once, then removed: kept, marked, and booked again if it comes
// back. Bookings outside the served days are left alone.
func TestPutWindowMarksVanishedBookingsRemoved(t *testing.T) {
	st := accountStore(t)
	mk := func(id, d string) Transaction {
		return Transaction{NormalisedProviderID: id, BookedAt: day(d).Add(-time.Hour).In(bst), Description: id, Amount: dec("-1"), Type: TypeDebit}
	}
	a, b, c, outside := mk("a", "2026-03-10"), mk("b", "2026-03-11"), mk("c", "2026-03-12"), mk("z", "2026-03-20")
	w := Window{From: bankday.Date(2026, 3, 10), To: bankday.Date(2026, 3, 12)}
	r, err := st.PutWindow("acc", w, []Transaction{a, b, c, outside}, nil)
	mustNoErr(t, err)
	if r.Added != 4 || r.Removed != 0 {
		t.Fatalf("first: %+v", r)
	}
	status := func() map[string]string {
		m := map[string]string{}
		for _, tx := range all(t, st, "acc") {
			m[tx.Description] = tx.Status
		}
		return m
	}
	// First answer without b: missing once, still booked and counted.
	r, err = st.PutWindow("acc", w, []Transaction{a, c}, []byte("cp"))
	mustNoErr(t, err)
	if r.Removed != 0 || status()["b"] != TxBooked {
		t.Fatalf("after one miss: %+v %v", r, status())
	}
	// Second answer in a row without b: removed, and only b.
	r, err = st.PutWindow("acc", w, []Transaction{a, c}, nil)
	mustNoErr(t, err)
	if got := status(); r.Removed != 1 || got["b"] != TxRemoved || got["a"] != TxBooked || got["z"] != TxBooked {
		t.Fatalf("after two misses: %+v %v", r, got)
	}
	removed, err := st.Transaction("acc", "n:b")
	mustNoErr(t, err)
	if removed.Counts() || removed.Description != "b" {
		t.Errorf("removed %+v counts", removed)
	}
	// Once removed, further misses change nothing.
	r, _ = st.PutWindow("acc", w, []Transaction{a, c}, nil)
	if r.Removed != 0 || r.Updated != 0 || r.Added != 0 {
		t.Errorf("third miss: %+v", r)
	}
	// It comes back: booked again.
	r, _ = st.PutWindow("acc", w, []Transaction{a, b, c}, nil)
	if got := status(); r.Updated != 1 || got["b"] != TxBooked {
		t.Errorf("returned: %+v %v", r, got)
	}
	if cp, _ := st.Checkpoint("acc"); string(cp) != "cp" {
		t.Errorf("checkpoint %q", cp)
	}
	// A miss then a return resets the count: two separate misses are not
	// two in a row.
	if _, err := st.PutWindow("acc", w, []Transaction{a, c}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutWindow("acc", w, []Transaction{a, b, c}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutWindow("acc", w, []Transaction{a, c}, nil); err != nil {
		t.Fatal(err)
	}
	if got := status(); got["b"] != TxBooked {
		t.Errorf("misses not in a row removed it: %v", got)
	}
}

// A schema 3 file (UTC booking times, format 1 records, content keys on
// the UTC day) is migrated in place: times move to the provider's zone,
// days become the bank's days, content keys follow, nothing is fetched.
func TestMigrationTurnsUTCDaysIntoBankDays(t *testing.T) {
	saved := migrations
	migrations, currentSchemaVersion = saved[:3], 3
	st, path := openTemp(t, xorSealer{})
	mustNoErr(t, st.PutConnection(Connection{ID: "c", ProviderID: "ob-lloyds"}))
	mustNoErr(t, st.PutAccounts("c", []Account{{ID: "acc", ProviderID: "ob-lloyds", Kind: KindAccount, Currency: "GBP"}}))
	summer := time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC) // was stamped 2026-07-01T00:00:00+01:00
	winter := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	old := []Transaction{
		{NormalisedProviderID: "n-summer", BookedAt: summer, Description: "RENT", Amount: dec("-950"), Type: TypeDebit},
		{BookedAt: summer, Description: "NO ID", Amount: dec("-4.20"), Type: TypeDebit},
		{NormalisedProviderID: "n-winter", BookedAt: winter, Description: "GAS", Amount: dec("-60"), Type: TypeDebit},
	}
	writeV1(t, st, "acc", old)
	pendingAt := time.Date(2026, 7, 31, 23, 30, 0, 0, time.UTC)
	mustNoErr(t, st.ReplacePending("acc", []Transaction{{BookedAt: pendingAt, Description: "PENDING", Amount: dec("-2"), Type: TypeDebit}}))
	mustNoErr(t, st.Close())
	migrations, currentSchemaVersion = saved, len(saved)

	st, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	defer st.Close()
	days := map[string]bankday.Day{}
	for _, tx := range all(t, st, "acc") {
		days[tx.Description] = tx.Day()
		if tx.Description == "NO ID" {
			if want := contentKey(Transaction{AccountID: "acc", BookedAt: day("2026-07-01"), Amount: dec("-4.20"), Description: "NO ID"}); tx.Key != want {
				t.Errorf("content key %s, want %s (the bank's day)", tx.Key, want)
			}
		}
	}
	want := map[string]bankday.Day{"RENT": bankday.Date(2026, 7, 1), "NO ID": bankday.Date(2026, 7, 1), "GAS": bankday.Date(2026, 1, 15)}
	for d, w := range want {
		if days[d] != w {
			t.Errorf("%s on %s, want %s", d, days[d], w)
		}
	}
	p, err := st.Pending("acc")
	mustNoErr(t, err)
	if len(p) != 1 || p[0].Day() != bankday.Date(2026, 8, 1) {
		t.Errorf("pending %+v", p)
	}
	// The next sync's stamps (with the bank's offset) find what is stored.
	again := []Transaction{
		{NormalisedProviderID: "n-summer", BookedAt: summer.In(bst), Description: "RENT", Amount: dec("-950"), Type: TypeDebit},
		{BookedAt: summer.In(bst), Description: "NO ID", Amount: dec("-4.20"), Type: TypeDebit},
	}
	putWant(t, st, "acc", "the same bookings after the migration", 0, 0, again...)
}

// writeV1 stores txs as schema 3 did: format 1 records, UTC times, content
// keys on the UTC day.
func writeV1(t testing.TB, st *Store, accountID string, txs []Transaction) {
	t.Helper()
	mustNoErr(t, st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketTransactions)
		for _, x := range txs {
			x.AccountID, x.Status = accountID, TxBooked
			x.BookedAt = x.BookedAt.UTC()
			x.Key = DedupeKey(x)
			v2, err := encodeRecord(x)
			if err != nil {
				return err
			}
			// Format 2 is format 1 with the offset and the missing count
			// (two zero bytes here) after the version byte.
			if !bytes.HasPrefix(v2, []byte{txFormatV2, 0, 0}) {
				t.Fatalf("unexpected encoding % x", v2[:3])
			}
			v1 := append([]byte{txFormatV1}, v2[3:]...)
			if err := st.put(b, bucketTransactions, primaryKey(accountID, x.BookedAt, x.Key), v1); err != nil {
				return err
			}
		}
		return nil
	}))
}

// writeV2 stores txs as schema 4 did: format 2 records under keys of
// account, booking time and dedupe key, in clear.
func writeV2(t testing.TB, st *Store, accountID string, txs []Transaction) {
	t.Helper()
	mustNoErr(t, st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketTransactions)
		for _, x := range txs {
			mustNoErr(t, normalise(&x, accountID, TxBooked))
			v2, err := encodeRecord(x)
			if err != nil {
				return err
			}
			if err := st.put(b, bucketTransactions, primaryKey(accountID, x.BookedAt, x.Key), v2); err != nil {
				return err
			}
		}
		return nil
	}))
}
