package store

import (
	"bankdesk/backend/bankday"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func put(t testing.TB, st *Store, acc string, txs ...Transaction) (added, updated int) {
	t.Helper()
	added, updated, err := st.PutTransactions(acc, txs)
	mustNoErr(t, err)
	return added, updated
}

func all(t testing.TB, st *Store, acc string) []Transaction {
	t.Helper()
	var out []Transaction
	mustNoErr(t, st.Transactions(acc, 0, 0, func(tx Transaction) error {
		out = append(out, tx)
		return nil
	}))
	return out
}

func wantCounts(t testing.TB, what string, added, updated, wantAdded, wantUpdated int) {
	t.Helper()
	if added != wantAdded || updated != wantUpdated {
		t.Errorf("%s: added %d updated %d, want %d and %d", what, added, updated, wantAdded, wantUpdated)
	}
}

// putWant puts txs into acc and wants what it counts as added and updated.
func putWant(t testing.TB, st *Store, acc, what string, wantAdded, wantUpdated int, txs ...Transaction) {
	t.Helper()
	added, updated := put(t, st, acc, txs...)
	wantCounts(t, what, added, updated, wantAdded, wantUpdated)
}

// only is the one transaction stored in acc; it fails t when there are
// more or none.
func only(t testing.TB, st *Store, acc string) Transaction {
	t.Helper()
	got := all(t, st, acc)
	if len(got) != 1 {
		t.Fatalf("%s holds %d transactions, want one: %+v", acc, len(got), got)
	}
	return got[0]
}

func googlePlay() Transaction {
	return Transaction{
		TransactionID:         "03c333979b729315545816aaa365c33f",
		NormalisedProviderID:  "txn-ajdifh38fheu5hgue",
		ProviderTransactionID: "9882ks-00js",
		BookedAt:              day("2018-03-06"),
		Description:           "GOOGLE PLAY STORE",
		Amount:                dec("-2.99"),
		Currency:              "GBP",
		Type:                  TypeDebit,
		Category:              "PURCHASE",
		Classification:        []string{"Entertainment", "Games"},
		Merchant:              "Google play",
		RunningBalance:        decp("1238.60"),
		Meta:                  map[string]string{"bank_transaction_id": "9882ks-00js", "provider_transaction_category": "DEB"},
	}
}

func TestTransactionRoundTrip(t *testing.T) {
	st, _ := openTemp(t, newGCMSealer())
	withAccount(t, st, "c", "acc")
	tx := googlePlay()
	putWant(t, st, "acc", "first put", 1, 0, tx)

	got := only(t, st, "acc")
	tx.Key, tx.AccountID, tx.Status = "n:txn-ajdifh38fheu5hgue", "acc", TxBooked
	sameJSON(t, "transaction", got, tx)
	byKey, err := st.Transaction("acc", tx.Key)
	mustNoErr(t, err)
	sameJSON(t, "Transaction(key)", byKey, tx)
	if _, err := st.Transaction("acc", "n:nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing transaction: %v", err)
	}
}

func TestDedupeKeyFallbacks(t *testing.T) {
	base := Transaction{AccountID: "acc", BookedAt: day("2026-01-02").Add(13 * time.Hour), Description: "TESCO", Amount: dec("-12.50")}
	if k := DedupeKey(Transaction{NormalisedProviderID: "n1", ProviderTransactionID: "p1"}); k != "n:n1" {
		t.Errorf("normalised: %q", k)
	}
	if k := DedupeKey(Transaction{ProviderTransactionID: "p1", TransactionID: "t1"}); k != "p:p1" {
		t.Errorf("provider: %q", k)
	}
	h := DedupeKey(base)
	if !strings.HasPrefix(h, "h:") || len(h) != 2+64 {
		t.Fatalf("hash key %q", h)
	}
	same := base
	same.BookedAt = day("2026-01-02") // same date, other time
	same.Amount = dec("-12.5")        // same amount, other representation
	same.TransactionID = "changes every request"
	if DedupeKey(same) != h {
		t.Error("hash depends on time of day, amount representation or transaction_id")
	}
	for name, change := range map[string]func(*Transaction){
		"account":     func(t *Transaction) { t.AccountID = "acc2" },
		"date":        func(t *Transaction) { t.BookedAt = t.BookedAt.AddDate(0, 0, 1) },
		"amount":      func(t *Transaction) { t.Amount = dec("12.50") },
		"description": func(t *Transaction) { t.Description = "TESCO STORES" },
	} {
		other := base
		change(&other)
		if DedupeKey(other) == h {
			t.Errorf("hash ignores the %s", name)
		}
	}
	// The fields are length-framed: moving bytes between fields changes it.
	a := Transaction{AccountID: "ab", BookedAt: base.BookedAt, Amount: dec("1"), Description: "c"}
	b := Transaction{AccountID: "a", BookedAt: base.BookedAt, Amount: dec("1"), Description: "bc"}
	if DedupeKey(a) == DedupeKey(b) {
		t.Error("fields are not framed")
	}
}

func TestDedupeOnNormalisedID(t *testing.T) {
	st := accountStore(t)
	tx := googlePlay()
	putWant(t, st, "acc", "first", 1, 0, tx)
	putWant(t, st, "acc", "same again", 0, 0, tx)

	tx.TransactionID = "a-new-per-request-id"
	putWant(t, st, "acc", "new transaction_id", 0, 0, tx)
	if got := only(t, st, "acc"); got.TransactionID != "a-new-per-request-id" {
		t.Fatalf("after transaction_id change: id %q, want the last seen", got.TransactionID)
	}

	tx.Merchant, tx.Category = "Google Play", "ENTERTAINMENT"
	putWant(t, st, "acc", "merchant/category change", 0, 1, tx)
	tx.Description, tx.Amount = "GOOGLE *PLAY", dec("-3.99")
	putWant(t, st, "acc", "description/amount change", 0, 1, tx)
	if got := only(t, st, "acc"); got.Merchant != "Google Play" || got.Description != "GOOGLE *PLAY" || !got.Amount.Equal(dec("-3.99")) {
		t.Fatalf("after updates: %+v", got)
	}
}

func TestDedupeOnProviderID(t *testing.T) {
	st := accountStore(t)
	tx := Transaction{ProviderTransactionID: "bank-77", TransactionID: "t1", BookedAt: day("2026-01-05"), Description: "RENT", Amount: dec("-900")}
	putWant(t, st, "acc", "first", 1, 0, tx)
	tx.TransactionID = "t2"
	tx.Classification = []string{"Bills"}
	putWant(t, st, "acc", "reclassified", 0, 1, tx)
	if got := only(t, st, "acc"); got.Key != "p:bank-77" {
		t.Fatalf("stored %+v", got)
	}
}

func TestDedupeOnContentHash(t *testing.T) {
	st := accountStore(t)
	coffee := Transaction{TransactionID: "t1", BookedAt: day("2026-01-05"), Description: "PRET A MANGER", Amount: dec("-3.20")}
	putWant(t, st, "acc", "first", 1, 0, coffee)
	coffee.TransactionID = "t2"
	coffee.BookedAt = coffee.BookedAt.Add(9 * time.Hour) // a bank that sends times later
	putWant(t, st, "acc", "same day, same content, new time", 0, 1, coffee)
	if got := only(t, st, "acc"); !got.BookedAt.Equal(coffee.BookedAt) {
		t.Fatalf("stored %+v", got)
	}

	// Two identical coffees on one day, in one sync, are two transactions;
	// the next sync of that day adds nothing.
	second := Transaction{BookedAt: day("2026-01-06"), Description: "PRET A MANGER", Amount: dec("-3.20")}
	putWant(t, st, "acc", "two identical coffees", 2, 0, second, second)
	putWant(t, st, "acc", "the same day again", 0, 0, second, second)
	got := all(t, st, "acc")
	if len(got) != 3 || got[1].Key == got[2].Key || !strings.HasSuffix(got[1].Key+got[2].Key, "#2") && !strings.HasSuffix(got[1].Key, "#2") {
		t.Fatalf("stored %d: %+v", len(got), got)
	}
}

// One answer lists a transaction once, so an id twice in one call is a
// bank reusing it: two transactions, each kept under a key of its own, and
// the same answer again changes nothing.
func TestRepeatedIDInOneCallKeepsBoth(t *testing.T) {
	st := accountStore(t)
	first := Transaction{NormalisedProviderID: "n1", BookedAt: day("2026-01-05"), Description: "ONE", Amount: dec("-1")}
	second := first
	second.Description = "TWO"
	putWant(t, st, "acc", "repeat in one call", 2, 0, first, second)
	putWant(t, st, "acc", "the same answer again", 0, 0, first, second)
	got := all(t, st, "acc")
	if len(got) != 2 || got[0].Key == got[1].Key {
		t.Fatalf("stored %+v", got)
	}
	descs := map[string]string{got[0].Key: got[0].Description, got[1].Key: got[1].Description}
	if descs["n:n1"] != "ONE" || descs["n:n1@2026-01-05"] != "TWO" {
		t.Fatalf("keys %v", descs)
	}
}

func TestBookingDateChangeMovesTheRecord(t *testing.T) {
	st := accountStore(t)
	early := Transaction{NormalisedProviderID: "n-move", BookedAt: day("2026-01-01"), Description: "MOVE ME", Amount: dec("-5")}
	a, u := put(t, st, "acc", early,
		Transaction{NormalisedProviderID: "n-mid", BookedAt: day("2026-01-15"), Description: "MID", Amount: dec("-1")})
	wantCounts(t, "first", a, u, 2, 0)
	moved := early
	moved.BookedAt = day("2026-01-06") // within a week: the bank corrected its date
	putWant(t, st, "acc", "date change", 0, 1, moved)

	got := all(t, st, "acc")
	if len(got) != 2 || got[0].Key != "n:n-move" || got[1].Key != "n:n-mid" || !got[0].BookedAt.Equal(moved.BookedAt) {
		t.Fatalf("after move: %+v", got)
	}
	if n, _ := st.CountTransactions("acc"); n != 2 {
		t.Errorf("count = %d, want 2", n)
	}
	byKey, err := st.Transaction("acc", "n:n-move")
	if err != nil || !byKey.BookedAt.Equal(moved.BookedAt) {
		t.Errorf("index not moved: %v %v", byKey.BookedAt, err)
	}
}

func TestTransactionsRangeIsInclusiveSortedAndPerAccount(t *testing.T) {
	st := accountStore(t)
	withAccount(t, st, "c", "acc2") // sorts right after "acc" bytewise
	withAccount(t, st, "c", "ac")   // a prefix of "acc"
	var txs []Transaction
	for i := 10; i >= 1; i-- { // given newest first; stored in order
		txs = append(txs, Transaction{
			NormalisedProviderID: fmt.Sprint("n", i),
			BookedAt:             day(fmt.Sprintf("2026-01-%02d", i)).Add(time.Duration(i) * time.Hour),
			Description:          fmt.Sprint("T", i), Amount: dec("-1"),
		})
	}
	put(t, st, "acc", txs...)
	put(t, st, "acc2", Transaction{BookedAt: day("2026-01-05"), Description: "OTHER", Amount: dec("1")})
	put(t, st, "ac", Transaction{BookedAt: day("2026-01-05"), Description: "PREFIX", Amount: dec("1")})

	between := func(from, to bankday.Day) string {
		var ds []string
		mustNoErr(t, st.Transactions("acc", from, to, func(tx Transaction) error {
			ds = append(ds, tx.Description)
			return nil
		}))
		return strings.Join(ds, ",")
	}
	d := func(s string) bankday.Day { return bankday.Of(day(s)) }
	cases := []struct {
		from, to bankday.Day
		want     string
	}{
		{0, 0, "T1,T2,T3,T4,T5,T6,T7,T8,T9,T10"},
		{d("2026-01-03"), d("2026-01-05"), "T3,T4,T5"}, // T5 is at 05:00, still on the 5th
		{d("2026-01-09"), 0, "T9,T10"},
		{0, d("2026-01-02"), "T1,T2"},
		{d("2026-01-04"), d("2026-01-04"), "T4"},
		{d("2026-01-06"), d("2026-01-05"), ""},
		{d("2025-01-01"), d("2025-12-31"), ""},
	}
	for _, c := range cases {
		if got := between(c.from, c.to); got != c.want {
			t.Errorf("Transactions(%s, %s) = %q, want %q", c.from, c.to, got, c.want)
		}
	}

	stop := errors.New("stop")
	n := 0
	err := st.Transactions("acc", 0, 0, func(Transaction) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("fn error: %v after %d calls", err, n)
	}

	newest, err := st.NewestTransactions("acc", 3)
	mustNoErr(t, err)
	if len(newest) != 3 || newest[0].Description != "T10" || newest[2].Description != "T8" {
		t.Errorf("NewestTransactions = %+v", newest)
	}
	if n, _ := st.CountTransactions("acc"); n != 10 {
		t.Errorf("count = %d", n)
	}
	if all, _ := st.NewestTransactions("acc", 50); len(all) != 10 {
		t.Errorf("NewestTransactions(50) = %d", len(all))
	}
	if got, _ := st.NewestTransactions("acc2", 5); len(got) != 1 || got[0].Description != "OTHER" {
		t.Errorf("acc2 newest = %+v", got)
	}
	if got, _ := st.NewestTransactions("ac", 5); len(got) != 1 || got[0].Description != "PREFIX" {
		t.Errorf("ac newest = %+v", got)
	}
	oldest, ok, err := st.OldestBookedAt("acc")
	if err != nil || !ok || !oldest.Equal(txs[9].BookedAt) {
		t.Errorf("OldestBookedAt = %v %v %v", oldest, ok, err)
	}
	newestAt, ok, err := st.NewestBookedAt("acc")
	if err != nil || !ok || !newestAt.Equal(txs[0].BookedAt) {
		t.Errorf("NewestBookedAt = %v %v %v", newestAt, ok, err)
	}
	if _, ok, err := st.NewestBookedAt("empty"); ok || err != nil {
		t.Errorf("NewestBookedAt(empty) = %v %v", ok, err)
	}
	if _, ok, err := st.OldestBookedAt("empty"); ok || err != nil {
		t.Errorf("OldestBookedAt(empty) = %v %v", ok, err)
	}
}

func TestTransactionsPagesAndChunks(t *testing.T) {
	st := accountStore(t)
	saved := maxPerUpdate
	maxPerUpdate = 700
	defer func() { maxPerUpdate = saved }()

	start := day("2020-01-01")
	var txs []Transaction
	for i := range 2017 { // across months and write chunks
		txs = append(txs, Transaction{NormalisedProviderID: fmt.Sprint("n", i), BookedAt: start.Add(time.Duration(i) * time.Hour), Amount: dec("1")})
	}
	putWant(t, st, "acc", "bulk", len(txs), 0, txs...)
	got := all(t, st, "acc")
	if len(got) != len(txs) {
		t.Fatalf("read %d of %d", len(got), len(txs))
	}
	for i := range got {
		if got[i].Key != "n:"+txs[i].NormalisedProviderID {
			t.Fatalf("at %d: %q", i, got[i].Key)
		}
	}
	putWant(t, st, "acc", "bulk again", 0, 0, txs...)
}

func TestPutTransactionsValidates(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	ok := Transaction{BookedAt: day("2026-01-01"), Amount: dec("1")}
	if _, _, err := st.PutTransactions("missing", []Transaction{ok}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing account: %v", err)
	}
	withAccount(t, st, "c", "acc")
	for name, bad := range map[string]Transaction{
		"zero time":     {Amount: dec("1")},
		"out of range":  {BookedAt: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
		"other account": {AccountID: "other", BookedAt: day("2026-01-01")},
	} {
		if _, _, err := st.PutTransactions("acc", []Transaction{ok, bad}); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if n, _ := st.CountTransactions("acc"); n != 0 {
		t.Errorf("a rejected batch wrote %d", n)
	}
	if a, u, err := st.PutTransactions("acc", nil); a != 0 || u != 0 || err != nil {
		t.Errorf("empty batch: %d %d %v", a, u, err)
	}
}

func TestPendingIsReplacedWholesale(t *testing.T) {
	st := accountStore(t)
	if p, err := st.Pending("acc"); err != nil || len(p) != 0 {
		t.Fatalf("no pending yet: %v %v", p, err)
	}
	first := []Transaction{
		{BookedAt: day("2026-01-06"), Description: "UBER", Amount: dec("-9.10"), NormalisedProviderID: "p-uber"},
		{BookedAt: day("2026-01-05"), Description: "AMAZON", Amount: dec("-20")},
	}
	mustNoErr(t, st.ReplacePending("acc", first))
	got, err := st.Pending("acc")
	mustNoErr(t, err)
	if len(got) != 2 || got[0].Description != "AMAZON" || got[1].Status != TxPending || got[0].Key == "" || got[1].AccountID != "acc" {
		t.Fatalf("pending = %+v", got)
	}
	mustNoErr(t, st.ReplacePending("acc", []Transaction{{BookedAt: day("2026-01-07"), Description: "TFL", Amount: dec("-2.80")}}))
	got, err = st.Pending("acc")
	mustNoErr(t, err)
	if len(got) != 1 || got[0].Description != "TFL" {
		t.Fatalf("after replace: %+v", got)
	}
	mustNoErr(t, st.ReplacePending("acc", nil))
	if got, _ := st.Pending("acc"); len(got) != 0 {
		t.Fatalf("after clear: %+v", got)
	}
	if n, _ := st.CountTransactions("acc"); n != 0 {
		t.Errorf("pending leaked into booked: %d", n)
	}
	if err := st.ReplacePending("missing", first); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing account: %v", err)
	}
}
