package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// items is `transactions --json` as raw items, by account and id.
func items(t *testing.T, env map[string]string, args ...string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, it := range runJSON[[]map[string]any](t, env, append([]string{"transactions"}, args...)...) {
		out[it["account_id"].(string)+"|"+it["id"].(string)] = it
	}
	return out
}

func tagsOf(it map[string]any) []string {
	var out []string
	for _, t := range it["tags"].([]any) {
		out = append(out, t.(string))
	}
	return out
}

// `transactions --json` items carry the effective category, the bank's,
// the note, tags ([] when none), payee, hidden and transfer_with (null
// when none); `annotate` sets them, flag by flag, and refuses what it
// cannot use with a sentence and exit status 2.
func TestAnnotateAndTransactionsJSON(t *testing.T) {
	env, _ := syncedEnv(t)
	before := items(t, env)
	var cur, sav map[string]any
	for _, it := range before {
		for _, k := range []string{"category", "bank_category", "transaction_category", "note", "tags", "payee", "hidden", "transfer_with"} {
			if _, ok := it[k]; !ok {
				t.Fatalf("item without %s: %v", k, it)
			}
		}
		if it["category"] != it["bank_category"] || len(it["tags"].([]any)) != 0 || it["note"] != "" || it["payee"] != "" ||
			it["hidden"] != false || it["transfer_with"] != nil {
			t.Fatalf("an item with fields nobody set: %v", it)
		}
		if it["status"] == "booked" && it["transaction_category"] == "PURCHASE" && (cur == nil || it["account_id"] == cur["account_id"]) {
			cur = it
		}
	}
	for _, it := range before {
		if it["status"] == "booked" && it["account_id"] != cur["account_id"] {
			sav = it
		}
	}
	id, acct := cur["id"].(string), cur["account_id"].(string)

	out, errOut, code := run(t, env, "annotate", id, "--category", "Eating out", "--note", "lunch with Sam", "--tag", "work", "--tag", "lunch",
		"--payee", "Sam's café", "--json")
	if code != 0 {
		t.Fatalf("annotate: %d %s", code, errOut)
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(out), &row); err != nil || row["note"] != "lunch with Sam" || row["id"] != id {
		t.Fatalf("annotate --json: %v %s", err, out)
	}
	got := items(t, env)[acct+"|"+id]
	if got["category"] != "Eating out" || got["bank_category"] != cur["bank_category"] || got["note"] != "lunch with Sam" ||
		!slices.Equal(tagsOf(got), []string{"lunch", "work"}) || got["payee"] != "Sam's café" {
		t.Errorf("after annotate: %v", got)
	}

	if _, errOut, code := run(t, env, "annotate", id, "--untag", "WORK", "--hidden", "--transfer-with", sav["id"].(string)); code != 0 {
		t.Fatalf("annotate: %d %s", code, errOut)
	}
	after := items(t, env)
	got, back := after[acct+"|"+id], after[sav["account_id"].(string)+"|"+sav["id"].(string)]
	if !slices.Equal(tagsOf(got), []string{"lunch"}) || got["hidden"] != true || got["note"] != "lunch with Sam" ||
		got["transfer_with"] != sav["id"] || got["transfer_with_account_id"] != sav["account_id"] || back["transfer_with"] != id {
		t.Errorf("untagged, hidden and linked: %v, the other half %v", got, back)
	}
	if out, _, code := run(t, env, "annotate", id, "--hidden=false"); code != 0 || !strings.Contains(out, "lunch with Sam") || strings.Contains(out, "hidden") {
		t.Errorf("annotate's line: %d %q", code, out)
	}

	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"annotate", id}, "nothing to change"},
		{[]string{"annotate", "n:no-such-id", "--note", "x"}, "no stored transaction has the id n:no-such-id"},
		{[]string{"annotate", id, "--account", sav["account_id"].(string), "--note", "x"}, "holds no transaction"},
		{[]string{"annotate", id, "--tag", "a,b"}, `The tag "a,b" has a comma`},
		{[]string{"annotate", id, "--transfer-with", id}, "points at the transaction itself"},
		{[]string{"annotate", id, "--transfer-account", acct}, "--transfer-account needs --transfer-with"},
	} {
		if _, errOut, code := run(t, env, c.args...); code != 2 || !strings.Contains(errOut, c.says) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: %d %q, want exit 2 saying %q", c.args, code, errOut, c.says)
		}
	}

	if _, errOut, code := run(t, env, "annotate", id, "--clear"); code != 0 {
		t.Fatalf("annotate --clear: %d %s", code, errOut)
	}
	cleared := items(t, env)
	if got := cleared[acct+"|"+id]; got["category"] != cur["category"] || len(got["tags"].([]any)) != 0 || got["transfer_with"] != nil ||
		cleared[sav["account_id"].(string)+"|"+sav["id"].(string)]["transfer_with"] != nil {
		t.Errorf("after --clear: %v", got)
	}
}

// --not-transfer counts a booking the bank calls a transfer as income or
// spending, in transactions --json too; --not-transfer=false gives the
// bank's word back.
func TestAnnotateNotTransfer(t *testing.T) {
	env, _ := syncedEnv(t)
	var id, acct string
	for _, it := range items(t, env) {
		if it["status"] == "booked" && it["transaction_category"] == "TRANSFER" {
			id, acct = it["id"].(string), it["account_id"].(string)
			if it["transfer"] != true || it["category"] != "Transfers" {
				t.Fatalf("a TRANSFER before: %v", it)
			}
			break
		}
	}
	if _, errOut, code := run(t, env, "annotate", id, "--account", acct, "--not-transfer"); code != 0 {
		t.Fatalf("annotate --not-transfer: %d %s", code, errOut)
	}
	if it := items(t, env)[acct+"|"+id]; it["transfer"] == true || it["category"] == "Transfers" || it["bank_category"] != "Transfers" {
		t.Errorf("after --not-transfer: transfer %v, category %v, bank_category %v", it["transfer"], it["category"], it["bank_category"])
	}
	if _, errOut, code := run(t, env, "annotate", id, "--account", acct, "--not-transfer=false"); code != 0 {
		t.Fatalf("annotate --not-transfer=false: %d %s", code, errOut)
	}
	if it := items(t, env)[acct+"|"+id]; it["transfer"] != true {
		t.Errorf("after --not-transfer=false: transfer %v", it["transfer"])
	}
}
