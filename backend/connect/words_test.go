package connect

import (
	"strings"
	"testing"

	"bankdesk/backend/sandbox"
)

// Reconnecting the same accounts, however the bank numbers them, never
// tells the user they are new, moved or unmatched: they are the ones
// Bankdesk had.
func TestReconnectingTheSameAccountsSaysNothingIsNew(t *testing.T) {
	for name, faults := range map[string]sandbox.Faults{
		"same ids":                   {},
		"new ids on re-consent":      {NewAccountIDs: true},
		"ids of their own per login": {AccountIDsPerConnection: true},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.sb.SetFaults(faults)
			first, _ := e.connectJohn()
			if _, err := e.flow.Complete(ctx, e.callback("john", "doe")); err != nil { // the same bank once more
				t.Fatal(err)
			}
			e.sb.SetFaults(faults)
			link, err := e.flow.Reconnect(ctx, first.ConnectionID)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.flow.Complete(ctx, e.login(link.URL, "john", "doe"))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Unmatched) != 0 || len(res.Missing) != 0 || len(res.Moved) != 0 || len(res.Elsewhere) != 0 {
				t.Errorf("unmatched %v missing %v moved %v elsewhere %v", res.Unmatched, res.Missing, res.Moved, res.Elsewhere)
			}
			for _, n := range res.Notes {
				if strings.Contains(n, "is new") || strings.Contains(n, "match") || strings.Contains(n, "moved to") {
					t.Errorf("note %q", n)
				}
			}
			t.Logf("notes %q", res.Notes)
		})
	}
}
