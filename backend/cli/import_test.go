package cli

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// importedRow is what an import round trip must keep of a transaction.
type importedRow struct {
	BookingDate string `json:"booking_date"`
	Amount      string `json:"amount"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Status      string `json:"status"`
	AccountID   string `json:"account_id"`
}

func bookedRows(t *testing.T, env map[string]string, account string) []string {
	t.Helper()
	var out []string
	for _, r := range runJSON[[]importedRow](t, env, "transactions", "--account", account) {
		if r.Status == "booked" {
			out = append(out, fmt.Sprintf("%s %s %s %s", r.BookingDate, r.Amount, r.Type, r.Description))
		}
	}
	slices.Sort(out)
	return out
}

var addedLine = regexp.MustCompile(`^(dry run: )?added (\d+), skipped (\d+)(, needs review (\d+))?\n$`)

// importCounts runs import and returns its "added N, skipped M" line.
func importLine(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, env, append([]string{"import"}, args...)...)
	if code != 0 || !addedLine.MatchString(out) {
		t.Fatalf("import %v: exit %d\nstdout %q\nstderr %s", args, code, out, errOut)
	}
	return strings.TrimSpace(out)
}

// The app's own CSV and OFX exports of a synced account, imported into a
// new manual account, give the same transactions, and a second import adds
// nothing; imported into the account they came from, they add nothing.
// Undo takes back exactly the import.
func TestImportRoundTripsTheAppsOwnExports(t *testing.T) {
	env, _ := syncedEnv(t)
	var source string
	for _, a := range accountsJSON(t, env) {
		if a["kind"] == "account" {
			source = a["id"].(string)
			break
		}
	}
	want := bookedRows(t, env, source)
	if len(want) < 20 {
		t.Fatalf("the sandbox account has only %d bookings", len(want))
	}
	dir := t.TempDir()
	for _, format := range []string{"csv", "ofx"} {
		t.Run(format, func(t *testing.T) {
			file := filepath.Join(dir, "export."+format)
			if _, errOut, code := run(t, env, "export", "--format", format, "--account", source, "-o", file); code != 0 {
				t.Fatalf("export: %s", errOut)
			}
			n := len(want)
			if got := importLine(t, env, file, "--account", source); got != fmt.Sprintf("added 0, skipped %d", n) {
				t.Fatalf("into the connected account: %q, want nothing added and %d skipped", got, n)
			}
			name := "Imported " + format
			if got := importLine(t, env, file, "--new-account", name); got != fmt.Sprintf("added %d, skipped 0", n) {
				t.Fatalf("into a new manual account: %q", got)
			}
			var manual string
			for _, a := range accountsJSON(t, env) {
				if a["display_name"] == name {
					manual = a["id"].(string)
					if a["manual"] != true || a["disconnected"] == true {
						t.Fatalf("the new account lists as %v", a)
					}
				}
			}
			if manual == "" {
				t.Fatal("the new account is not listed")
			}
			if got := bookedRows(t, env, manual); !slices.Equal(got, want) {
				t.Fatalf("imported rows differ from the source's:\n got %d %q\nwant %d %q", len(got), got[:min(3, len(got))], len(want), want[:3])
			}
			if got := importLine(t, env, file, "--account", manual); got != fmt.Sprintf("added 0, skipped %d", n) {
				t.Fatalf("a second import: %q", got)
			}
			if got := bookedRows(t, env, manual); len(got) != n {
				t.Fatalf("after the second import the account holds %d, want %d", len(got), n)
			}
		})
	}
	if got := bookedRows(t, env, source); !slices.Equal(got, want) {
		t.Fatalf("the connected account changed: %d rows, want %d", len(got), len(want))
	}
}
