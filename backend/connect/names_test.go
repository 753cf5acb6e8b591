package connect

import (
	"testing"

	"bankdesk/backend/store"
)

// The name shown for a connection's bank is the one it goes by, else the
// bank list's, and its provider id only when neither is known.
func TestBankNameFallsBackToTheIdLast(t *testing.T) {
	f := &Flow{Listed: func(id string) string { return map[string]string{"ob-kestrel": "Kestrel Bank"}[id] }}
	for _, c := range []struct {
		conn store.Connection
		want string
	}{
		{store.Connection{ProviderID: "ob-kestrel", ProviderName: "Kestrel"}, "Kestrel"},
		{store.Connection{ProviderID: "ob-kestrel"}, "Kestrel Bank"},
		{store.Connection{ProviderID: "ob-unlisted"}, "ob-unlisted"},
		{store.Connection{}, ""},
	} {
		if got := f.BankName(c.conn); got != c.want {
			t.Errorf("BankName(%+v) = %q, want %q", c.conn, got, c.want)
		}
	}
	if got := (&Flow{}).BankName(store.Connection{ProviderID: "mock"}); got != "mock" {
		t.Errorf("without a bank list: %q", got)
	}
}
