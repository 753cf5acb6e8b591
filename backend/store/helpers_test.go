package store

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// openTemp opens a fresh store in a temp dir, closed at cleanup.
func openTemp(t testing.TB, s Sealer) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "bankdesk.db")
	st, err := Open(path, s, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

// withAccount stores a connection and one account under it.
func withAccount(t testing.TB, st *Store, connID, accountID string) {
	t.Helper()
	if _, err := st.Connection(connID); err != nil {
		if err := st.PutConnection(Connection{ID: connID, ProviderID: "mock"}); err != nil {
			t.Fatalf("PutConnection: %v", err)
		}
	}
	if err := st.PutAccounts(connID, []Account{{ID: accountID, Kind: KindAccount, Currency: "GBP", DisplayName: accountID}}); err != nil {
		t.Fatalf("PutAccounts: %v", err)
	}
}

// accountStore is a new store holding account "acc" under connection "c",
// where most transaction tests start.
func accountStore(t testing.TB) *Store {
	t.Helper()
	st, _ := openTemp(t, xorSealer{})
	withAccount(t, st, "c", "acc")
	return st
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decp(s string) *decimal.Decimal { d := dec(s); return &d }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// sameJSON compares two values by their JSON, which is how decimals and
// times compare by value rather than by representation.
func sameJSON(t testing.TB, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func mustNoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
