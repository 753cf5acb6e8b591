package store

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"bankdesk/backend/bankday"
)

// userOf is the fields a full listing attaches to the account's
// transaction under key ("" when it lists none with that key).
func userOf(t *testing.T, st *Store, acc, key string) (UserFields, bool) {
	t.Helper()
	for _, tx := range all(t, st, acc) {
		if tx.Key == key {
			return tx.UserFields(), true
		}
	}
	pending, err := st.Pending(acc)
	mustNoErr(t, err)
	for _, tx := range pending {
		if tx.Key == key {
			return tx.UserFields(), true
		}
	}
	return UserFields{}, false
}

func coffee(id, d string) Transaction {
	return Transaction{NormalisedProviderID: id, BookedAt: day(d), Description: "PRET A MANGER", Merchant: "Pret",
		Amount: dec("-3.20"), Currency: "GBP", Type: TypeDebit, Category: "PURCHASE", Classification: []string{"Food & Dining"}}
}

// The fields are the person's, in a form of their own: trimmed, tags a
// sorted set; every read attaches them; bad ones are refused with a
// sentence; zero fields remove them.
func TestUserFieldsAreSetNormalisedAndRead(t *testing.T) {
	st := accountStore(t)
	put(t, st, "acc", coffee("c1", "2026-03-02"), coffee("c2", "2026-03-03"))
	mustNoErr(t, st.SetUserFields("acc", "n:c1", UserFields{
		Category: "  Eating out ", Note: "with Sam\r\nat the station ", Tags: []string{"work", " Travel", "", "WORK", "lunch"},
		Payee: " Pret ", Hidden: true,
	}))
	want := UserFields{Category: "Eating out", Note: "with Sam\nat the station", Tags: []string{"lunch", "Travel", "work"}, Payee: "Pret", Hidden: true}
	got, err := st.UserFields("acc", "n:c1")
	mustNoErr(t, err)
	sameJSON(t, "UserFields", got, want)
	listed, _ := userOf(t, st, "acc", "n:c1")
	sameJSON(t, "Transactions", listed, want)
	one, err := st.Transaction("acc", "n:c1")
	mustNoErr(t, err)
	sameJSON(t, "Transaction", one.UserFields(), want)
	newest, err := st.NewestTransactions("acc", 2)
	mustNoErr(t, err)
	if len(newest) != 2 || !newest[0].UserFields().IsZero() || newest[1].UserFields().Category != "Eating out" {
		t.Errorf("NewestTransactions: %+v", newest)
	}
	byKey, err := st.UserFieldsOf("acc")
	mustNoErr(t, err)
	if len(byKey) != 1 || byKey["n:c1"].Payee != "Pret" {
		t.Errorf("UserFieldsOf: %+v", byKey)
	}
	// A caller changing what it was given changes nothing stored.
	got.Tags[0] = "changed"
	if again, _ := st.UserFields("acc", "n:c1"); again.Tags[0] != "lunch" {
		t.Errorf("tags shared with a caller: %v", again.Tags)
	}

	for name, f := range map[string]UserFields{
		"a comma in a tag":      {Tags: []string{"a,b"}},
		"a line break in a tag": {Tags: []string{"a\nb"}},
		"a long category":       {Category: strings.Repeat("x", MaxUserNameLen+1)},
		"a long note":           {Note: strings.Repeat("x", MaxNoteLen+1)},
		"a control character":   {Note: "bell\a"},
		"invalid UTF-8":         {Payee: "\xff"},
		"too many tags":         {Tags: strings.Fields("a b c d e f g h i j k l m n o p q r s t u")},
		"a link to itself":      {TransferWith: &TxRef{"acc", "n:c1"}},
		"a link to nothing":     {TransferWith: &TxRef{"acc", ""}},
	} {
		err := st.SetUserFields("acc", "n:c1", f)
		var fe *UserFieldError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &fe) || !strings.HasPrefix(fe.Say(), "The ") || !strings.HasSuffix(fe.Say(), ".") {
			t.Errorf("%s: %v, want a UserFieldError", name, err)
		}
	}
	if again, _ := st.UserFields("acc", "n:c1"); again.Category != "Eating out" {
		t.Errorf("a refused edit changed the fields: %+v", again)
	}
	for name, err := range map[string]error{
		"unknown transaction": st.SetUserFields("acc", "n:nope", UserFields{Note: "x"}),
		"unknown account":     st.SetUserFields("nope", "n:c1", UserFields{Note: "x"}),
		"link to unknown":     st.SetUserFields("acc", "n:c2", UserFields{TransferWith: &TxRef{"acc", "n:nope"}}),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", name, err)
		}
	}
	mustNoErr(t, st.SetUserFields("acc", "n:c1", UserFields{}))
	if byKey, _ := st.UserFieldsOf("acc"); len(byKey) != 0 {
		t.Errorf("zero fields kept: %+v", byKey)
	}
}

// A sync writes the bank's fields and never the person's: the same
// answer again, a changed merchant, category, booking date (a move to
// another month) and provider id under the same normalised id all leave
// them as they were; and setting them leaves the bank's record as it was.
func TestSyncNeverWritesUserFields(t *testing.T) {
	st := accountStore(t)
	c := coffee("c1", "2026-03-31")
	c.ProviderTransactionID = "BANK-1"
	put(t, st, "acc", c)
	before := only(t, st, "acc")
	f := UserFields{Category: "Eating out", Note: "n", Tags: []string{"t"}, Payee: "p"}
	mustNoErr(t, st.SetUserFields("acc", "n:c1", f))
	after := only(t, st, "acc")
	after.User = nil
	sameJSON(t, "the bank's record after SetUserFields", after, before)

	w := Window{From: bankday.Date(2026, 3, 30), To: bankday.Date(2026, 4, 2)}
	for _, change := range []func(*Transaction){
		func(*Transaction) {},
		func(t *Transaction) {
			t.Merchant, t.Category, t.Classification = "PRET", "BILL_PAYMENT", []string{"Bills"}
		},
		func(t *Transaction) { t.ProviderTransactionID = "BANK-2" },
		func(t *Transaction) { t.BookedAt = day("2026-04-01") },
	} {
		change(&c)
		c.User = &UserFields{Note: "what a sync passes is ignored"}
		if _, err := st.PutWindow("acc", w, []Transaction{c}, nil); err != nil {
			t.Fatal(err)
		}
		got := only(t, st, "acc")
		sameJSON(t, "fields after a sync", got.UserFields(), f)
		if got.Merchant != c.Merchant || got.ProviderTransactionID != c.ProviderTransactionID || !got.BookedAt.Equal(c.BookedAt) {
			t.Fatalf("the bank's change was not stored: %+v", got)
		}
	}
}

// A booking the bank no longer lists is kept as removed, and its fields
// with it.
func TestARemovedBookingKeepsItsFields(t *testing.T) {
	st := accountStore(t)
	a, b := coffee("a", "2026-03-10"), coffee("b", "2026-03-11")
	w := Window{From: bankday.Date(2026, 3, 10), To: bankday.Date(2026, 3, 11)}
	_, err := st.PutWindow("acc", w, []Transaction{a, b}, nil)
	mustNoErr(t, err)
	mustNoErr(t, st.SetUserFields("acc", "n:b", UserFields{Note: "refund expected"}))
	for range missingToRemove {
		_, err := st.PutWindow("acc", w, []Transaction{a}, nil)
		mustNoErr(t, err)
	}
	removed, err := st.Transaction("acc", "n:b")
	mustNoErr(t, err)
	if removed.Status != TxRemoved || removed.UserFields().Note != "refund expected" {
		t.Fatalf("removed booking %s with %+v", removed.Status, removed.UserFields())
	}
}

// A pending row's fields follow it to the booked row that replaced it:
// under the same key when the bank keeps its id, else the booking with
// the same amount and text, else the only one of the same amount, else
// the only one of the same text (a tip). A booking with fields of its own
// keeps them; fields whose booking has not come yet wait for it.
func TestPendingFieldsFollowTheirBooking(t *testing.T) {
	st := accountStore(t)
	withAccount(t, st, "c", "sav")
	pend := func(id, desc, amount, d string) Transaction {
		return Transaction{ProviderTransactionID: id, BookedAt: day(d).Add(13 * time.Hour), Description: desc, Amount: dec(amount), Currency: "GBP", Type: TypeDebit}
	}
	book := func(id, desc, amount, d string) Transaction {
		t := pend(id, desc, amount, d)
		t.BookedAt = day(d)
		return t
	}
	same := pend("SAME", "TESCO", "-10", "2026-03-02")
	coffeeP := pend("P-COFFEE", "PRET A MANGER", "-3.20", "2026-03-02")
	taxi := pend("P-TAXI", "UBER TRIP", "-12.00", "2026-03-02")
	dinner := pend("P-DINNER", "DISHOOM", "-40.00", "2026-03-02")
	books := pend("P-BOOKS", "WATERSTONES", "-8.99", "2026-03-02")
	late := pend("P-LATE", "TRAINLINE", "-55.00", "2026-03-02")
	mustNoErr(t, st.ReplacePending("acc", []Transaction{same, coffeeP, taxi, dinner, books, late}))
	put(t, st, "sav", coffee("s1", "2026-03-01"))
	for key, note := range map[string]string{"p:SAME": "same", "p:P-COFFEE": "coffee", "p:P-TAXI": "taxi", "p:P-DINNER": "dinner", "p:P-BOOKS": "books", "p:P-LATE": "late"} {
		mustNoErr(t, st.SetUserFields("acc", key, UserFields{Note: note}))
	}
	// The coffee is a transfer's other half, say: its link must follow.
	mustNoErr(t, st.SetUserFields("sav", "n:s1", UserFields{TransferWith: &TxRef{"acc", "p:P-COFFEE"}}))
	if f, _ := userOf(t, st, "acc", "p:P-COFFEE"); f.Note != "coffee" || f.TransferWith == nil {
		t.Fatalf("pending row shows %+v", f)
	}

	put(t, st, "acc",
		book("SAME", "TESCO", "-10", "2026-03-03"),
		book("B-COFFEE-EARLIER", "PRET A MANGER", "-3.20", "2026-03-01"), // before it was made: not it
		book("B-COFFEE", "PRET A MANGER", "-3.20", "2026-03-04"),
		book("B-COFFEE-LATER", "PRET A MANGER", "-3.20", "2026-03-05"),
		book("B-TAXI", "UBER *TRIP HELP.UBER.COM", "-12.00", "2026-03-03"),
		book("B-DINNER", "DISHOOM", "-46.00", "2026-03-04"), // with the tip
		book("B-BOOKS", "WATERSTONES", "-8.99", "2026-03-03"),
		book("B-OTHER", "AMAZON", "-20", "2026-03-20"), // too late for any
	)
	mustNoErr(t, st.SetUserFields("acc", "p:B-BOOKS", UserFields{Note: "my own"}))
	mustNoErr(t, st.ReplacePending("acc", nil)) // all booked, the train not yet

	want := map[string]string{"p:SAME": "same", "p:B-COFFEE": "coffee", "p:B-TAXI": "taxi", "p:B-DINNER": "dinner",
		"p:B-BOOKS": "my own", "p:B-COFFEE-EARLIER": "", "p:B-COFFEE-LATER": "", "p:B-OTHER": ""}
	for key, note := range want {
		if f, ok := userOf(t, st, "acc", key); !ok || f.Note != note {
			t.Errorf("%s: %q (listed %v), want %q", key, f.Note, ok, note)
		}
	}
	if f, _ := userOf(t, st, "sav", "n:s1"); f.TransferWith == nil || *f.TransferWith != (TxRef{"acc", "p:B-COFFEE"}) {
		t.Errorf("the link to the coffee: %+v", f.TransferWith)
	}
	// The books' pending fields had nowhere to go (the booking has its
	// own); the train's wait for its booking, which comes next sync.
	put(t, st, "acc", book("B-LATE", "TRAINLINE", "-55.00", "2026-03-06"))
	mustNoErr(t, st.ReplacePending("acc", nil))
	if f, _ := userOf(t, st, "acc", "p:B-LATE"); f.Note != "late" {
		t.Errorf("the late booking: %+v", f)
	}
}

// A pending row whose amount changes before it books (a pre-auth made
// final) is matched by what it last was.
func TestPendingFieldsFollowAChangedPendingRow(t *testing.T) {
	st := accountStore(t)
	p := Transaction{ProviderTransactionID: "P1", BookedAt: day("2026-03-02"), Description: "SHELL", Amount: dec("-1.00"), Currency: "GBP", Type: TypeDebit}
	mustNoErr(t, st.ReplacePending("acc", []Transaction{p}))
	mustNoErr(t, st.SetUserFields("acc", "p:P1", UserFields{Tags: []string{"car"}}))
	p.Amount, p.Description = dec("-61.20"), "SHELL 1234"
	mustNoErr(t, st.ReplacePending("acc", []Transaction{p}))
	b := p
	b.ProviderTransactionID, b.BookedAt = "B1", day("2026-03-03")
	other := b
	other.ProviderTransactionID, other.Description, other.Amount = "B2", "SHELL", dec("-1.00") // what it was first
	put(t, st, "acc", b, other)
	mustNoErr(t, st.ReplacePending("acc", nil))
	if f, _ := userOf(t, st, "acc", "p:B1"); len(f.Tags) != 1 {
		t.Errorf("the booking of the changed row: %+v", f)
	}
	if f, _ := userOf(t, st, "acc", "p:B2"); !f.IsZero() {
		t.Errorf("a booking like its first shape took its fields: %+v", f)
	}
}

// A transfer link is a pair: set on one half, it is on both; moving it
// unlinks the old halves; clearing clears both; deleting an account's
// data drops the links into it.
func TestTransferLinksArePairs(t *testing.T) {
	st := accountStore(t)
	withAccount(t, st, "c2", "sav")
	withAccount(t, st, "c2", "card")
	out := Transaction{ProviderTransactionID: "OUT", BookedAt: day("2026-03-02"), Description: "TO SAVER", Amount: dec("-100"), Currency: "GBP", Type: TypeDebit}
	in := Transaction{ProviderTransactionID: "IN", BookedAt: day("2026-03-02"), Description: "FROM CURRENT", Amount: dec("100"), Currency: "GBP", Type: TypeCredit}
	pay := Transaction{ProviderTransactionID: "PAY", BookedAt: day("2026-03-02"), Description: "PAYMENT", Amount: dec("100"), Currency: "GBP", Type: TypeCredit}
	put(t, st, "acc", out)
	put(t, st, "sav", in)
	put(t, st, "card", pay)
	link := func(acc, key string) *TxRef {
		f, _ := st.UserFields(acc, key)
		return f.TransferWith
	}
	a, b, c := TxRef{"acc", "p:OUT"}, TxRef{"sav", "p:IN"}, TxRef{"card", "p:PAY"}
	mustNoErr(t, st.SetUserFields("acc", "p:OUT", UserFields{Note: "saving", TransferWith: &b}))
	if l := link("sav", "p:IN"); l == nil || *l != a {
		t.Fatalf("the other half: %+v", l)
	}
	mustNoErr(t, st.SetUserFields("card", "p:PAY", UserFields{TransferWith: &a}))
	if l := link("acc", "p:OUT"); l == nil || *l != c {
		t.Errorf("relinked: %+v", l)
	}
	if l := link("sav", "p:IN"); l != nil {
		t.Errorf("the old half kept its link: %+v", l)
	}
	if f, _ := st.UserFields("acc", "p:OUT"); f.Note != "saving" {
		t.Errorf("linking back lost the note: %+v", f)
	}
	mustNoErr(t, st.SetUserFields("acc", "p:OUT", UserFields{Note: "saving"}))
	if link("card", "p:PAY") != nil {
		t.Error("clearing one half left the other")
	}
	if byKey, _ := st.UserFieldsOf("card"); len(byKey) != 0 {
		t.Errorf("an empty half kept: %+v", byKey)
	}
	mustNoErr(t, st.SetUserFields("acc", "p:OUT", UserFields{TransferWith: &c}))
	mustNoErr(t, st.DeleteConnection("c2", false))
	if f, _ := st.UserFields("acc", "p:OUT"); !f.IsZero() {
		t.Errorf("a link into deleted data: %+v", f)
	}
}

// An account the bank renumbers takes its fields along: under content
// keys computed for the new id too, a pending row's and a removed row's
// included, and links into it follow.
func TestRenamedAccountKeepsItsFields(t *testing.T) {
	st := accountStore(t)
	withAccount(t, st, "c", "sav")
	plain := Transaction{BookedAt: day("2026-03-02"), Description: "NO IDS", Amount: dec("-5"), Currency: "GBP", Type: TypeDebit}
	withID := coffee("c1", "2026-03-03")
	put(t, st, "acc", plain, withID)
	mustNoErr(t, st.ReplacePending("acc", []Transaction{{BookedAt: day("2026-03-04"), Description: "PENDING NO IDS", Amount: dec("-7"), Currency: "GBP", Type: TypeDebit}}))
	put(t, st, "sav", coffee("s1", "2026-03-03"))
	pendingKey := func(acc string) string {
		p, err := st.Pending(acc)
		mustNoErr(t, err)
		return p[0].Key
	}
	hashKey := all(t, st, "acc")[0].Key
	mustNoErr(t, st.SetUserFields("acc", hashKey, UserFields{Note: "hashed", TransferWith: &TxRef{"sav", "n:s1"}}))
	mustNoErr(t, st.SetUserFields("acc", "n:c1", UserFields{Note: "by id"}))
	mustNoErr(t, st.SetUserFields("acc", pendingKey("acc"), UserFields{Note: "pending"}))

	mustNoErr(t, st.RenameAccount("acc", "acc-new"))
	got := map[string]string{}
	for _, tx := range all(t, st, "acc-new") {
		got[tx.Description] = tx.UserFields().Note
	}
	p, err := st.Pending("acc-new")
	mustNoErr(t, err)
	got[p[0].Description] = p[0].UserFields().Note
	if got["NO IDS"] != "hashed" || got["PRET A MANGER"] != "by id" || got["PENDING NO IDS"] != "pending" {
		t.Errorf("after the rename: %v", got)
	}
	newHash := all(t, st, "acc-new")[0].Key
	if newHash == hashKey {
		t.Fatal("the content key did not change: the test proves nothing")
	}
	if f, _ := st.UserFields("sav", "n:s1"); f.TransferWith == nil || *f.TransferWith != (TxRef{"acc-new", newHash}) {
		t.Errorf("the link into the renamed account: %+v", f.TransferWith)
	}
	if byKey, _ := st.UserFieldsOf("acc"); len(byKey) != 0 {
		t.Errorf("fields left under the old id: %v", byKey)
	}
}

// Fields that cannot be read are left out of listings (noted), and are
// never written over unread.
func TestUnreadableUserFieldsAreNotOverwritten(t *testing.T) {
	sealer := newGCMSealer()
	st, path := openTemp(t, sealer)
	withAccount(t, st, "c", "acc")
	put(t, st, "acc", coffee("c1", "2026-03-02"), coffee("c2", "2026-03-03"))
	mustNoErr(t, st.SetUserFields("acc", "n:c1", UserFields{Note: "keep me"}))
	key := st.key(bucketUserFields, []byte("acc"))
	mustNoErr(t, st.Close())
	var was []byte
	editRaw(t, path, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketUserFields)
		was = slices.Clone(b.Get(key))
		was[len(was)/2] ^= 1
		return b.Put(key, was)
	})
	st, err := Open(path, sealer, Options{})
	mustNoErr(t, err)
	defer st.Close()
	if n := len(all(t, st, "acc")); n != 2 {
		t.Fatalf("%d transactions listed", n)
	}
	wantDamaged(t, st, "user_fields", printableKey(key))
	if err := st.SetUserFields("acc", "n:c2", UserFields{Note: "x"}); !errors.Is(err, ErrUnreadable) {
		t.Errorf("SetUserFields over unreadable fields: %v", err)
	}
	mustNoErr(t, st.ReplacePending("acc", nil)) // a sync goes on
	mustNoErr(t, st.view(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketUserFields).Get(key); !slices.Equal(v, was) {
			t.Error("the damaged record was rewritten")
		}
		return nil
	}))
}

// A schema 5 file gains the bucket, and its data stays.
func TestSchemaFiveGainsUserFields(t *testing.T) {
	path := t.TempDir() + "/bankdesk.db"
	restore := UseSchema(5)
	st, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	withAccount(t, st, "c", "acc")
	put(t, st, "acc", coffee("c1", "2026-03-02"))
	mustNoErr(t, st.Close())
	// As a Bankdesk of schema 5 left it: no such bucket, no damage logged
	// (this test's schema 5 made the bucket, as the current code's list of
	// buckets has it).
	editRaw(t, path, func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Delete(metaDamageLog); err != nil {
			return err
		}
		return tx.DeleteBucket(bucketUserFields)
	})
	restore()
	st, err = Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	defer st.Close()
	if st.SchemaVersion() != currentSchemaVersion || len(st.Damaged()) != 0 {
		t.Fatalf("schema %d, damage %v", st.SchemaVersion(), st.Damaged())
	}
	mustNoErr(t, st.SetUserFields("acc", "n:c1", UserFields{Note: "new"}))
	if f, _ := userOf(t, st, "acc", "n:c1"); f.Note != "new" {
		t.Errorf("after the migration: %+v", f)
	}
}

// A repair brings the person's fields back from the newest snapshot when
// the file lost them.
func TestRepairBringsBackUserFields(t *testing.T) {
	st, path, txs := filled(t, 50)
	mustNoErr(t, st.SetUserFields("acc", all(t, st, "acc")[7].Key, UserFields{Note: "mine", Tags: []string{"x"}}))
	_, err := st.Snapshot(SnapshotDir(path), 0, time.Now())
	mustNoErr(t, err)
	mustNoErr(t, st.Close())
	editRaw(t, path, func(tx *bbolt.Tx) error { return tx.DeleteBucket(bucketUserFields) })

	_, err = Repair(path, sealer, time.Now())
	mustNoErr(t, err)
	st, err = Open(path, sealer, Options{})
	mustNoErr(t, err)
	defer st.Close()
	got := all(t, st, "acc")
	if len(got) != len(txs) || got[7].UserFields().Note != "mine" || len(st.Damaged()) != 0 {
		t.Errorf("after the repair: %d transactions, the 8th with %+v; damage %v", len(got), got[7].User, st.Damaged())
	}
}
