package store

import (
	"errors"
	"testing"
	"time"
)

func sampleConnection(id string) Connection {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return Connection{
		ID:                id,
		CredentialsID:     "6L7RxyPKX0THy1tw93PB4V+8DB+KjnX9Pxa451yXPu0=",
		ProviderID:        "ob-lloyds",
		ProviderName:      "Lloyds",
		Scopes:            []string{"info", "accounts", "balance", "transactions", "cards", "offline_access"},
		AccessToken:       "ACCESS-TOKEN-SECRET-" + id,
		AccessTokenExpiry: now.Add(time.Hour),
		RefreshToken:      "REFRESH-TOKEN-SECRET-" + id,
		ConsentCreatedAt:  now,
		ConsentExpiresAt:  now.AddDate(0, 0, 90),
		LastRefreshAt:     now,
		CreatedAt:         now,
		UpdatedAt:         now,
		Status:            StatusActive,
		User:              User{Name: "Jane Doe", Email: "jane@example.com", Phone: "+44 7700 900123"},
	}
}

func TestConnectionRoundTrip(t *testing.T) {
	st, _ := openTemp(t, newGCMSealer())
	c := sampleConnection(NewConnectionID())
	// A non-UTC zone comes back as the same instant in UTC.
	c.AccessTokenExpiry = c.AccessTokenExpiry.In(time.FixedZone("BST", 3600))
	mustNoErr(t, st.PutConnection(c))
	got, err := st.Connection(c.ID)
	mustNoErr(t, err)
	c.AccessTokenExpiry = c.AccessTokenExpiry.UTC()
	sameJSON(t, "connection", got, c)
	if !got.AccessTokenExpiry.Equal(c.AccessTokenExpiry) || got.AccessTokenExpiry.Location() != time.UTC {
		t.Errorf("expiry = %v", got.AccessTokenExpiry)
	}

	// Rotating the refresh token keeps CreatedAt when the caller leaves it zero.
	c.RefreshToken, c.CreatedAt, c.UpdatedAt = "ROTATED", time.Time{}, time.Time{}
	mustNoErr(t, st.PutConnection(c))
	got, err = st.Connection(c.ID)
	mustNoErr(t, err)
	if got.RefreshToken != "ROTATED" || !got.CreatedAt.Equal(sampleConnection("").CreatedAt) || got.UpdatedAt.IsZero() {
		t.Errorf("after rotation: refresh %q created %v updated %v", got.RefreshToken, got.CreatedAt, got.UpdatedAt)
	}

	if _, err := st.Connection("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing connection: %v, want ErrNotFound", err)
	}
	if err := st.PutConnection(Connection{ID: "x", Status: "weird"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad status: %v, want ErrInvalid", err)
	}
	if err := st.PutConnection(Connection{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty id: %v, want ErrInvalid", err)
	}
}

func TestConnectionsListsAll(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	b := sampleConnection("b")
	a := sampleConnection("a")
	a.CreatedAt = b.CreatedAt.Add(time.Minute) // newer, so listed second
	mustNoErr(t, st.PutConnection(b))
	mustNoErr(t, st.PutConnection(a))
	mustNoErr(t, st.PutConnection(Connection{ID: "c", Status: StatusRevoked, CreatedAt: a.CreatedAt.Add(time.Minute)}))
	all, err := st.Connections()
	mustNoErr(t, err)
	var ids []string
	for _, c := range all {
		ids = append(ids, c.ID)
	}
	if len(ids) != 3 || ids[0] != "b" || ids[1] != "a" || ids[2] != "c" {
		t.Errorf("Connections order = %v, want [b a c]", ids)
	}
	if all[2].Status != StatusRevoked {
		t.Errorf("status = %q", all[2].Status)
	}
	if a, b := NewConnectionID(), NewConnectionID(); len(a) != 32 || a == b {
		t.Error("NewConnectionID is not 128 random bits in hex")
	}
}

func TestAccountsRoundTripAndOrder(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	if err := st.PutAccounts("c1", []Account{{ID: "a", Kind: KindAccount}}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("accounts of a missing connection: %v, want ErrNotFound", err)
	}
	mustNoErr(t, st.PutConnection(Connection{ID: "c1"}))
	mustNoErr(t, st.PutConnection(Connection{ID: "c2"}))
	updated := time.Date(2026, 2, 7, 17, 29, 24, 740802000, time.UTC)
	current := Account{
		ID: "f1234560abf9f57287637624def390871", ProviderID: "lloyds", Kind: KindAccount, Type: "TRANSACTION",
		DisplayName: "Club Lloyds", Currency: "GBP", Number: "12345678", SortCode: "12-34-56",
		IBAN: "GB35LOYD12345678901234", SwiftBIC: "LOYDGB2L", HolderName: "Jane Doe", UpdatedAt: updated,
	}
	card := Account{
		ID: "card1", ProviderID: "lloyds", Kind: KindCard, Type: "CREDIT", DisplayName: "Avios Card",
		Currency: "GBP", CardNetwork: "VISA", PartialCardNumber: "0044", NameOnCard: "J DOE", UpdatedAt: updated,
	}
	savings := Account{ID: "sav", Kind: KindAccount, Type: "SAVINGS", DisplayName: "Bonus Saver", Currency: "GBP"}
	mustNoErr(t, st.PutAccounts("c1", []Account{card, current, savings}))
	mustNoErr(t, st.PutAccounts("c2", []Account{{ID: "other", Kind: KindAccount, DisplayName: "AAA"}}))

	got, err := st.Account(current.ID)
	mustNoErr(t, err)
	current.ConnectionID = "c1"
	sameJSON(t, "account", got, current)

	all, err := st.Accounts()
	mustNoErr(t, err)
	var ids []string
	for _, a := range all {
		ids = append(ids, a.ID)
	}
	// connection, then accounts before cards, then display name.
	want := []string{"sav", current.ID, "card1", "other"}
	sameJSON(t, "Accounts order", ids, want)

	of, err := st.AccountsOf("c2")
	mustNoErr(t, err)
	if len(of) != 1 || of[0].ID != "other" || of[0].ConnectionID != "c2" {
		t.Errorf("AccountsOf(c2) = %+v", of)
	}
	if none, err := st.AccountsOf("unknown"); err != nil || len(none) != 0 {
		t.Errorf("AccountsOf(unknown) = %v, %v", none, err)
	}
	if _, err := st.Account("missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing account: %v", err)
	}
	if err := st.PutAccounts("c1", []Account{{ID: "x", Kind: "wallet"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad kind: %v, want ErrInvalid", err)
	}
	if err := st.PutAccounts("c1", []Account{{ID: "x", Kind: KindCard, ConnectionID: "c2"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("mismatched connection: %v, want ErrInvalid", err)
	}
	if err := st.PutAccounts("c1", []Account{{ID: "a\x00b", Kind: KindCard}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("NUL in id: %v, want ErrInvalid", err)
	}
}

func TestBalanceRoundTrip(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	if err := st.PutBalance(Balance{AccountID: "acc", Current: dec("1")}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("balance of a missing account: %v, want ErrNotFound", err)
	}
	withAccount(t, st, "c", "acc")
	withAccount(t, st, "c", "card")
	account := Balance{
		AccountID: "acc", Currency: "GBP", Current: dec("1161.2"), Available: decp("2150.80"),
		Overdraft: decp("1000"), UpdatedAt: time.Date(2017, 2, 7, 17, 33, 30, 1222000, time.UTC),
	}
	card := Balance{
		AccountID: "card", Currency: "GBP", Current: dec("20"), Available: decp("3279"), CreditLimit: decp("3300"),
		LastStatementBalance: decp("420"), LastStatementDate: day("2017-01-28"),
		PaymentDue: decp("5"), PaymentDueDate: day("2017-02-24"),
	}
	mustNoErr(t, st.PutBalance(account))
	mustNoErr(t, st.PutBalance(card))
	got, err := st.Balance("acc")
	mustNoErr(t, err)
	sameJSON(t, "account balance", got, account)
	if got.CreditLimit != nil || !got.Available.Equal(dec("2150.8")) {
		t.Errorf("optional amounts: limit %v available %v", got.CreditLimit, got.Available)
	}
	got, err = st.Balance("card")
	mustNoErr(t, err)
	sameJSON(t, "card balance", got, card)
	if _, err := st.Balance("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing balance: %v", err)
	}
}

func TestProvidersSettingsCheckpoints(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	if _, _, err := st.Providers(); !errors.Is(err, ErrNotFound) {
		t.Errorf("empty providers cache: %v, want ErrNotFound", err)
	}
	fetched := time.Date(2026, 5, 1, 9, 30, 0, 123, time.UTC)
	raw := []byte(`[{"provider_id":"ob-lloyds"}]`)
	mustNoErr(t, st.PutProviders(fetched, raw))
	gotRaw, gotAt, err := st.Providers()
	mustNoErr(t, err)
	if string(gotRaw) != string(raw) || !gotAt.Equal(fetched) {
		t.Errorf("Providers = %s at %v", gotRaw, gotAt)
	}

	if _, err := st.Setting("theme"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing setting: %v", err)
	}
	mustNoErr(t, st.PutSetting("theme", []byte("dark")))
	if v, err := st.Setting("theme"); err != nil || string(v) != "dark" {
		t.Errorf("Setting = %q, %v", v, err)
	}
	mustNoErr(t, st.DeleteSetting("theme"))
	mustNoErr(t, st.DeleteSetting("theme"))
	if _, err := st.Setting("theme"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted setting: %v", err)
	}

	if err := st.PutCheckpoint("acc", []byte("x")); !errors.Is(err, ErrNotFound) {
		t.Errorf("checkpoint of a missing account: %v", err)
	}
	withAccount(t, st, "c", "acc")
	if _, err := st.Checkpoint("acc"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing checkpoint: %v", err)
	}
	mustNoErr(t, st.PutCheckpoint("acc", []byte(`{"to":"2026-05-01"}`)))
	if cp, err := st.Checkpoint("acc"); err != nil || string(cp) != `{"to":"2026-05-01"}` {
		t.Errorf("Checkpoint = %q, %v", cp, err)
	}
}

// fillConnection gives connection id two accounts with every kind of data.
func fillConnection(t *testing.T, st *Store, id string) {
	t.Helper()
	withAccount(t, st, id, id+"-acc1")
	withAccount(t, st, id, id+"-acc2")
	for _, acc := range []string{id + "-acc1", id + "-acc2"} {
		_, _, err := st.PutTransactions(acc, []Transaction{
			{BookedAt: day("2026-01-01"), Description: "A", Amount: dec("-1")},
			{BookedAt: day("2026-01-02"), Description: "B", Amount: dec("2"), NormalisedProviderID: "n1"},
		})
		mustNoErr(t, err)
		mustNoErr(t, st.PutBalance(Balance{AccountID: acc, Current: dec("5")}))
		mustNoErr(t, st.ReplacePending(acc, []Transaction{{BookedAt: day("2026-01-03"), Description: "P", Amount: dec("-3")}}))
		mustNoErr(t, st.PutCheckpoint(acc, []byte("cp")))
	}
	mustNoErr(t, st.PutAttempt(Attempt{State: "reauth-" + id, ConnectionID: id, ExpiresAt: time.Now().Add(time.Hour)}))
}

// accountData summarises what is left of an account.
func accountData(t *testing.T, st *Store, acc string) (account, balance, pending, checkpoint bool, txs int, index int) {
	t.Helper()
	_, err := st.Account(acc)
	account = err == nil
	_, err = st.Balance(acc)
	balance = err == nil
	p, err := st.Pending(acc)
	mustNoErr(t, err)
	pending = len(p) > 0
	_, err = st.Checkpoint(acc)
	checkpoint = err == nil
	txs, err = st.CountTransactions(acc)
	mustNoErr(t, err)
	for _, key := range []string{DedupeKey(Transaction{AccountID: acc, BookedAt: day("2026-01-01"), Description: "A", Amount: dec("-1")}), "n:n1"} {
		if _, err := st.Transaction(acc, key); err == nil {
			index++
		}
	}
	return
}

func TestDeleteConnectionKeepingData(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	fillConnection(t, st, "c1")
	fillConnection(t, st, "c2")
	mustNoErr(t, st.DeleteConnection("c1", true))
	if _, err := st.Connection("c1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("connection after delete: %v", err)
	}
	if _, err := st.TakeAttempt("reauth-c1", time.Now()); !errors.Is(err, ErrNotFound) {
		t.Errorf("re-auth attempt of a deleted connection: %v, want ErrNotFound", err)
	}
	// Its pending rows are not: no sync will ever settle them.
	a, b, p, c, n, i := accountData(t, st, "c1-acc1")
	if !a || !b || p || !c || n != 2 || i != 2 {
		t.Errorf("kept data: account %v balance %v pending %v checkpoint %v txs %d index %d", a, b, p, c, n, i)
	}
	// The kept accounts are adopted by a new connection listing them.
	mustNoErr(t, st.PutConnection(Connection{ID: "c3"}))
	mustNoErr(t, st.PutAccounts("c3", []Account{{ID: "c1-acc1", Kind: KindAccount}}))
	if acc, _ := st.Account("c1-acc1"); acc.ConnectionID != "c3" {
		t.Errorf("adopted account belongs to %q", acc.ConnectionID)
	}
	// Purging later still reaches the data left by c1.
	mustNoErr(t, st.DeleteConnection("c1", false))
	if a, _, _, _, n, _ := accountData(t, st, "c1-acc2"); a || n != 0 {
		t.Errorf("purge after keepData left account %v, %d txs", a, n)
	}
	if err := st.DeleteConnection("c1", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting nothing: %v, want ErrNotFound", err)
	}
}

func TestDeleteConnectionWithData(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	fillConnection(t, st, "c1")
	fillConnection(t, st, "c2")
	mustNoErr(t, st.DeleteConnection("c1", false))
	for _, acc := range []string{"c1-acc1", "c1-acc2"} {
		a, b, p, c, n, i := accountData(t, st, acc)
		if a || b || p || c || n != 0 || i != 0 {
			t.Errorf("%s left: account %v balance %v pending %v checkpoint %v txs %d index %d", acc, a, b, p, c, n, i)
		}
	}
	// The other connection is untouched.
	if _, err := st.Connection("c2"); err != nil {
		t.Errorf("c2: %v", err)
	}
	for _, acc := range []string{"c2-acc1", "c2-acc2"} {
		a, b, p, c, n, i := accountData(t, st, acc)
		if !a || !b || !p || !c || n != 2 || i != 2 {
			t.Errorf("%s damaged: account %v balance %v pending %v checkpoint %v txs %d index %d", acc, a, b, p, c, n, i)
		}
	}
	if _, err := st.TakeAttempt("reauth-c2", time.Now()); err != nil {
		t.Errorf("c2's attempt: %v", err)
	}
	if err := st.PutAccounts("c1", []Account{{ID: "late", Kind: KindAccount}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("sync writing after delete: %v, want ErrNotFound", err)
	}
}

func TestDeleteConnectionSparesAccountsSharingAPrefix(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	// "acc" is a byte prefix of "acc2", and "ac" of both.
	withAccount(t, st, "c1", "acc")
	withAccount(t, st, "c2", "acc2")
	withAccount(t, st, "c3", "ac")
	for _, acc := range []string{"acc", "acc2", "ac"} {
		put(t, st, acc,
			Transaction{BookedAt: day("2026-01-01"), Description: "X", Amount: dec("1")},
			Transaction{BookedAt: day("2026-01-02"), Description: "Y", Amount: dec("1"), NormalisedProviderID: "shared-id"})
	}
	mustNoErr(t, st.DeleteConnection("c1", false))
	if n, _ := st.CountTransactions("acc"); n != 0 {
		t.Errorf("acc kept %d", n)
	}
	for _, acc := range []string{"acc2", "ac"} {
		if n, _ := st.CountTransactions(acc); n != 2 {
			t.Errorf("%s has %d transactions, want 2", acc, n)
		}
		if _, err := st.Transaction(acc, "n:shared-id"); err != nil {
			t.Errorf("%s lost its dedupe entry: %v", acc, err)
		}
	}
}
