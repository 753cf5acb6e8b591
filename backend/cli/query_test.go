package cli

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// `transactions --query` and `export --query` select the rows the
// window's search box does, with one implementation; a search that does
// not parse is a usage error that says what and where, and writes nothing.
func TestQuerySelectsTheSameRowsEverywhere(t *testing.T) {
	env, _ := syncedEnv(t)
	const q = "amount:>1000 -is:pending"
	all := items(t, env)
	want := 0
	for _, it := range all {
		a := decimal.RequireFromString(it["amount"].(string)).Abs()
		if a.GreaterThan(decimal.NewFromInt(1000)) && it["status"] != "pending" {
			want++
		}
	}
	got := items(t, env, "--query", q)
	if want == 0 || len(got) != want {
		t.Fatalf("transactions --query %q: %d rows, want %d (of %d)", q, len(got), want, len(all))
	}
	for _, it := range got {
		if a := decimal.RequireFromString(it["amount"].(string)).Abs(); !a.GreaterThan(decimal.NewFromInt(1000)) || it["status"] == "pending" {
			t.Fatalf("a row the search should not find: %v", it)
		}
	}
	out, errOut, code := run(t, env, "export", "--format", "csv", "--query", q)
	if code != 0 {
		t.Fatalf("export --query: %d %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs)-1 != want {
		t.Fatalf("export --query: %d rows (%v), want %d", len(recs)-1, err, want)
	}

	for _, cmd := range [][]string{{"transactions", "--query", "amount:lots"}, {"export", "--format", "csv", "--query", "amount:lots"}} {
		out, errOut, code := run(t, env, cmd...)
		if code != 2 || out != "" || !strings.Contains(errOut, `--query: amount: "lots" is not a number (at character 8)`) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", cmd, code, out, errOut)
		}
	}
}
