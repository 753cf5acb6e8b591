package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"bankdesk/backend/rules"
)

// `rules import` saves a file's rules and they show at once on the past
// transactions `transactions --json` lists (the documented match and set
// fields: merchant_contains, description_contains, account, amount_min
// and amount_max on the signed amount; category, tags, payee); `rules
// export` prints them back, each with an id; --append adds after them;
// `rules preview` says what an import would change and saves nothing; a
// bad file is refused with exit status 2 and changes nothing.
func TestRulesImportExportAndApply(t *testing.T) {
	env, _ := syncedEnv(t)
	before := items(t, env)
	var acct string
	for _, it := range before {
		if it["merchant"] == "Pret A Manger" {
			acct = it["account_id"].(string)
		}
	}
	if acct == "" {
		t.Fatal("no Pret rows: the test proves little")
	}
	dir := t.TempDir()
	file := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	coffee := file("coffee.json", `[{"name": "coffee", "match": {"merchant_contains": "pret", "account": "`+acct+`", "amount_min": "-10", "amount_max": "0"},
	  "set": {"category": "Eating out", "tags": ["coffee"], "payee": "Pret"}}]`)
	rent := file("rent.json", `[{"match": {"description_contains": "lettings"}, "set": {"category": "Home › Rent"}}]`)

	out, errOut, code := run(t, env, "rules", "preview", coffee)
	if code != 0 || !strings.Contains(out, "transactions would change") {
		t.Fatalf("preview: %d %s %s", code, out, errOut)
	}
	if got := runJSON[[]map[string]any](t, env, "rules", "export"); len(got) != 0 {
		t.Fatalf("preview saved %v", got)
	}
	out, errOut, code = run(t, env, "rules", "import", coffee)
	if code != 0 || !strings.HasPrefix(out, "1 rules saved; ") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	n := 0
	for k, it := range items(t, env) {
		pret := it["merchant"] == "Pret A Manger" && it["account_id"] == acct
		if was := before[k]; pret != (it["category"] == "Eating out") || pret != (it["payee"] == "Pret") ||
			pret != (strings.Join(tagsOf(it), ",") == "coffee") || it["bank_category"] != was["bank_category"] {
			t.Fatalf("after import: %v (before %v)", it, was)
		}
		if pret {
			n++
		}
	}
	if !strings.Contains(out, "; "+strconv.Itoa(n)+" transactions changed") {
		t.Errorf("import said %q; %d changed", out, n)
	}

	if _, _, code = run(t, env, "rules", "import", rent, "--append"); code != 0 {
		t.Fatal("append")
	}
	out, _, _ = run(t, env, "rules", "export")
	rs, err := rules.Read([]byte(out))
	if err != nil || len(rs) != 2 || rs[0].Name != "coffee" || rs[1].Set.Category != "Home › Rent" || rs[0].ID == "" || rs[1].ID == "" {
		t.Fatalf("export: %v %s", err, out)
	}
	rented := false
	for _, it := range items(t, env) {
		rented = rented || it["category"] == "Home › Rent"
	}
	if !rented {
		t.Error("the appended rule changed nothing")
	}
	if out, _, _ = run(t, env, "rules", "list"); !strings.Contains(out, `1. coffee (`) || !strings.Contains(out, `set category "Home › Rent"`) {
		t.Errorf("list: %s", out)
	}
	// Exported rules import as they were.
	exported, _, _ := run(t, env, "rules", "export")
	if _, _, code = run(t, env, "rules", "import", file("exported.json", exported)); code != 0 {
		t.Fatal("re-import of the export")
	}
	if back, _, _ := run(t, env, "rules", "export"); back != exported {
		t.Errorf("export → import → export changed the rules:\n%s\n%s", exported, back)
	}

	for _, bad := range []string{`[{"match": {"merchant_contain": "x"}, "set": {"category": "X"}}]`, `[{"match": {"amount_min": "lots"}, "set": {"category": "X"}}]`, `{}`} {
		if _, errOut, code := run(t, env, "rules", "import", file("bad.json", bad)); code != 2 || errOut == "" {
			t.Errorf("import %s: %d %s", bad, code, errOut)
		}
	}
	if back, _, _ := run(t, env, "rules", "export"); back != exported {
		t.Errorf("a refused file changed the rules")
	}
	if _, _, code := run(t, env, "rules", "import"); code != 2 {
		t.Errorf("import without a file: %d", code)
	}
}
