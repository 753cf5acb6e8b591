package cli

import (
	"bytes"
	"testing"

	"bankdesk/backend/view"
)

// The command line's --json is the window's view with snake_case names:
// the same fields in the same order, omitempty kept, values untouched
// (HTML-escaped like encoding/json, numbers exact).
func TestSnakeJSONRenamesOnlyTheNames(t *testing.T) {
	cur := "1247.25"
	got, err := snakeJSON([]view.AccountView{{ID: "a<1>", ConnectionID: "c", DisplayName: "Joint & Co", IBAN: "GB00", Current: &cur, HistoryLimited: true}})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"id":"a\u003c1\u003e","connection_id":"c","provider_id":"","kind":"","display_name":"Joint \u0026 Co","currency":"","current":"1247.25","iban":"GB00","history_limited":true}]`
	if !bytes.Equal(got, []byte(want)) {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	for in, want := range map[string]string{"connectionId": "connection_id", "iban": "iban", "refreshIdleDeadline": "refresh_idle_deadline", "id": "id"} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}
