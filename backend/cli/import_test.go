package cli

import (
	"fmt"
	"os"
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

// An import is one unit: `imports` lists it, undo removes exactly what it
// added (not the rows of another import, not the bank's), and a row
// already stored is never added twice; near-matches are left for review.
func TestImportUndoAndReview(t *testing.T) {
	env, _ := cliEnv(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "first.csv")
	second := filepath.Join(dir, "second.csv")
	writeFile(t, first, "\ufeffDate;Details;Paid out;Paid in\r\n01/07/2026;COFFEE SHOP;2,50;\r\n02/07/2026;SALARY;;1.234,56\r\n03/07/2026;RENT;(800,00);\r\n")
	// A row of the first file again, one like it two days on, one on its
	// day with its amount but other words, and a new one.
	writeFile(t, second, "Date;Details;Paid out;Paid in\r\n01/07/2026;Coffee  shop;2,50;\r\n04/07/2026;RENT;800,00;\r\n02/07/2026;PAYROLL;;1.234,56\r\n05/07/2026;BOOKS;12,00;\r\n")
	tea := filepath.Join(dir, "tea.csv")
	writeFile(t, tea, "When,What,Amount\n2026-07-01,TEA,1.00\n")
	cols := []string{"--column", "date=Date", "--date-format", "DD/MM/YYYY", "--column", "description=Details",
		"--column", "debit=Paid out", "--column", "credit=Paid in", "--decimal", ","}
	if got := importLine(t, env, append([]string{first, "--new-account", "Cash book", "--currency", "GBP", "--save-mapping", "mybank"}, cols...)...); got != "added 3, skipped 0" {
		t.Fatalf("first import: %q", got)
	}
	var acct string
	for _, a := range accountsJSON(t, env) {
		acct = a["id"].(string)
	}
	rows := bookedRows(t, env, acct)
	if want := []string{"2026-07-01 -2.50 DEBIT COFFEE SHOP", "2026-07-02 1234.56 CREDIT SALARY", "2026-07-03 -800.00 DEBIT RENT"}; !slices.Equal(rows, want) {
		t.Fatalf("rows %q, want %q", rows, want)
	}
	out, _, code := run(t, env, "import", second, "--account", acct, "--mapping", "mybank", "--dry-run")
	if code != 0 || !strings.HasSuffix(out, "dry run: added 1, skipped 1, needs review 2\n") || strings.Count(out, "needs review:") != 2 {
		t.Fatalf("dry run: %d %q", code, out)
	}
	if got := bookedRows(t, env, acct); len(got) != 3 {
		t.Fatalf("a dry run stored rows: %q", got)
	}
	if got := importLine(t, env, second, "--account", acct, "--mapping", "mybank"); got != "added 1, skipped 1, needs review 2" {
		t.Fatalf("second import: %q", got)
	}
	if got := importLine(t, env, second, "--account", acct, "--mapping", "mybank"); got != "added 0, skipped 2, needs review 2" {
		t.Fatalf("the second file again: %q", got)
	}
	type imp struct {
		ID    string `json:"id"`
		File  string `json:"file"`
		Added int    `json:"added"`
	}
	list := runJSON[[]imp](t, env, "imports")
	if len(list) != 2 || list[0].File != "second.csv" || list[0].Added != 1 || list[1].Added != 3 {
		t.Fatalf("imports: %+v", list)
	}
	if out, errOut, code := run(t, env, "imports", "undo", list[1].ID); code != 0 || out != "removed 3 (import "+list[1].ID+" of first.csv)\n" {
		t.Fatalf("undo: %d %q %s", code, out, errOut)
	}
	if got := bookedRows(t, env, acct); !slices.Equal(got, []string{"2026-07-05 -12.00 DEBIT BOOKS"}) {
		t.Fatalf("after undo: %q", got)
	}
	if _, errOut, code := run(t, env, "import", "--undo", list[1].ID); code == 0 || !strings.Contains(errOut, "There is no import") {
		t.Fatalf("undo twice: %d %s", code, errOut)
	}
	if list := runJSON[[]imp](t, env, "imports"); len(list) != 1 {
		t.Fatalf("imports after undo: %+v", list)
	}
}

// Bad input is refused with a sentence, and nothing is stored.
func TestImportRefusals(t *testing.T) {
	env, _ := cliEnv(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	writeFile(t, bad, "When,What,Amount\n2026-07-01,TEA,1.00\n")
	good := filepath.Join(dir, "good.csv")
	writeFile(t, good, "When,What,Amount\n2026-07-01,TEA,1.00\n2026-07-02,CAKE,1.0.0\n")
	tea := filepath.Join(dir, "tea.csv")
	writeFile(t, tea, "When,What,Amount\n2026-07-01,TEA,1.00\n")
	cols := []string{"--column", "date=When", "--column", "description=What", "--column", "amount=Amount"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{bad, "--new-account", "X", "--currency", "GBP"}, `there is no column "date"`},
		{append([]string{good, "--new-account", "X", "--currency", "GBP"}, cols...), `on line 3, the amount "1.0.0" is not a number`},
		{append([]string{good, "--new-account", "X", "--date-format", "DD/MM/YYYY"}, cols...), `the date "2026-07-01" does not read as DD/MM/YYYY`},
		{append([]string{tea, "--account", "nope"}, cols...), `There is no account "nope"`},
		{append([]string{tea, "--new-account", "X"}, cols...), "give the new account's"},
		{[]string{bad}, "give one of --account ID and --new-account NAME"},
		{[]string{bad, "--new-account", "X", "--currency", "GBP", "--mapping", "nope"}, `There is no saved mapping "nope"`},
		{[]string{bad, "--new-account", "X", "--column", "when=When"}, `"when" is not a column of a mapping`},
	} {
		_, errOut, code := run(t, env, append([]string{"import"}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("import %v: exit %d, stderr %q; want %q", tc.args, code, errOut, tc.want)
		}
	}
	if _, errOut, _ := run(t, env, "accounts"); !strings.Contains(errOut, "No accounts") {
		t.Fatalf("a refused import created an account: %s", errOut)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
