package cli

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aclindsa/ofxgo"
	"github.com/shopspring/decimal"

	"bankdesk/backend/desk"
	"bankdesk/backend/store"
)

// exportEnv is a data directory holding two accounts, a few tricky
// transactions and a pending one, filled through the same openDesk the
// commands use (withDesk).
func exportEnv(t *testing.T, extra int) map[string]string {
	t.Helper()
	env, _ := cliEnv(t)
	withDesk(t, env, func(d *desk.Desk) {
		st := d.Store()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(st.PutConnection(store.Connection{ID: "c1", ProviderID: "ob-lloyds"}))
		must(st.PutAccounts("c1", []store.Account{
			{ID: "cur", Kind: store.KindAccount, DisplayName: "Club Lloyds", ProviderID: "ob-lloyds", Currency: "GBP", SortCode: "30-94-57", Number: "12345678"},
			{ID: "sav", Kind: store.KindAccount, Type: "SAVINGS", DisplayName: "Saver", ProviderID: "ob-lloyds", Currency: "GBP", IBAN: "GB33BUKB20201555555555"},
		}))
		day := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
		txs := []store.Transaction{
			{ProviderTransactionID: "t1", BookedAt: day, Description: "=1+1", Amount: dec("-12.50"), Currency: "GBP", Type: "DEBIT"},
			{ProviderTransactionID: "t2", BookedAt: day.AddDate(0, 0, 1), Description: "ACME, \"LTD\"\r\nline two", Amount: dec("2500"), Currency: "GBP", Type: "CREDIT"},
			{ProviderTransactionID: "t3", BookedAt: day.AddDate(0, 0, 2), Description: "café 😀\nsecond line", Amount: dec("-0.99"), Currency: "GBP", Type: "DEBIT"},
		}
		for i := range extra {
			txs = append(txs, store.Transaction{ProviderTransactionID: fmt.Sprint("x", i), BookedAt: day.AddDate(-2, 0, 0).Add(time.Duration(i) * time.Minute),
				Description: "filler", Amount: dec("-1"), Currency: "GBP", Type: "DEBIT"})
		}
		_, _, err := st.PutTransactions("cur", txs)
		must(err)
		_, _, err = st.PutTransactions("sav", []store.Transaction{{ProviderTransactionID: "s1", BookedAt: day.AddDate(0, 0, 1), Description: "interest", Category: "INTEREST", Amount: dec("1.23"), Currency: "GBP", Type: "CREDIT"}})
		must(err)
		must(st.ReplacePending("cur", []store.Transaction{{ProviderTransactionID: "p1", BookedAt: day.AddDate(0, 0, 3), Description: "-pending", Amount: dec("-4"), Currency: "GBP", Type: "DEBIT"}}))
	})
	return env
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func csvRecords(t *testing.T, data string, comma rune) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(data, "\ufeff")))
	r.Comma = comma
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	return records
}

// column reads one column of the data rows by header name.
func column(records [][]string, name string) []string {
	i := 0
	for i < len(records[0]) && records[0][i] != name {
		i++
	}
	var out []string
	for _, r := range records[1:] {
		out = append(out, r[i])
	}
	return out
}

func TestExportCSVToStdout(t *testing.T) {
	env := exportEnv(t, 0)
	out, errOut, code := run(t, env, "export", "--format", "csv")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	records := csvRecords(t, out, ',')
	if got := strings.Join(column(records, "description"), "|"); got != "'=1+1|ACME, \"LTD\"\nline two|interest|café 😀\nsecond line" {
		t.Fatalf("descriptions %q", got)
	}
	// The cells' bytes are the stored text (encoding/csv reads CRLF as LF):
	// LF stays LF, CRLF stays CRLF, between CRLF record ends.
	if !strings.Contains(out, ",\"ACME, \"\"LTD\"\"\r\nline two\",") || !strings.Contains(out, ",\"café 😀\nsecond line\",") {
		t.Fatalf("line breaks in cells not as stored:\n%q", out)
	}
	if got := strings.Join(column(records, "amount"), " "); got != "-12.50 2500.00 1.23 -0.99" {
		t.Fatalf("amounts %q", got)
	}
	if strings.HasPrefix(out, "\ufeff") || !strings.HasSuffix(out, "\r\n") {
		t.Fatal("plain CSV: no BOM, CRLF line ends")
	}

	// Flags: one account, days, pending, ';', raw.
	out, _, code = run(t, env, "export", "--format", "CSV", "--account", "cur", "--from", "2025-03-02", "--to", "2025-03-04",
		"--include-pending", "--delimiter", ";", "--raw")
	records = csvRecords(t, out, ';')
	if got := strings.Join(column(records, "description"), "|"); code != 0 || got != "ACME, \"LTD\"\nline two|café 😀\nsecond line|-pending" {
		t.Fatalf("exit %d, descriptions %q", code, got)
	}
	// --excel: a BOM, still ','; --bom alone likewise; "-o -" is stdout.
	for _, args := range [][]string{{"--excel"}, {"--bom"}, {"--excel", "-o", "-"}} {
		out, _, code = run(t, env, append([]string{"export", "--format", "csv"}, args...)...)
		if code != 0 || !strings.HasPrefix(out, "\ufeffdate,booked_at,") {
			t.Fatalf("%v: exit %d, %.40q", args, code, out)
		}
	}
	// --flatten-newlines: one line per record, each line break a space.
	out, _, code = run(t, env, "export", "--format", "csv", "--flatten-newlines", "--delimiter", ";")
	records = csvRecords(t, out, ';')
	if got := strings.Join(column(records, "description"), "|"); code != 0 || got != "'=1+1|ACME, \"LTD\" line two|interest|café 😀 second line" {
		t.Fatalf("exit %d, flattened descriptions %q", code, got)
	}
	if strings.Count(out, "\n") != len(records) || strings.Count(out, "\r") != len(records) {
		t.Fatalf("flattened CSV has line breaks inside cells:\n%q", out)
	}
	// OFX on stdout.
	out, _, code = run(t, env, "export", "--format", "ofx")
	if resp, err := ofxgo.ParseResponse(strings.NewReader(out)); code != 0 || err != nil || len(resp.Bank) != 2 {
		t.Fatalf("ofx: exit %d, %v", code, err)
	}
	// --account twice.
	out, _, _ = run(t, env, "export", "--format", "csv", "--account", "sav", "--account", "cur")
	if n := len(csvRecords(t, out, ',')); n != 5 {
		t.Fatalf("two accounts: %d records", n)
	}
}

func TestExportToAFile(t *testing.T) {
	env := exportEnv(t, 0)
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, env, "export", "--format", "csv", "-o", path)
	if code != 0 || out != "" || errOut != "Exported 4 transactions from 2 accounts to "+path+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	data, _ := os.ReadFile(path)
	if n := len(csvRecords(t, string(data), ',')); n != 5 {
		t.Fatalf("%d records", n)
	}

	ofxPath := filepath.Join(dir, "out.ofx")
	if _, errOut, code := run(t, env, "export", "--format", "ofx", "--from", "2025-03-01", "-o", ofxPath); code != 0 {
		t.Fatalf("ofx: exit %d, %s", code, errOut)
	}
	f, _ := os.Open(ofxPath)
	defer f.Close()
	resp, err := ofxgo.ParseResponse(f)
	if err != nil || len(resp.Bank) != 2 {
		t.Fatalf("%v", err)
	}
	var fitids []string
	for _, m := range resp.Bank {
		s := m.(*ofxgo.StatementResponse)
		for _, tx := range s.BankTranList.Transactions {
			fitids = append(fitids, string(s.BankAcctFrom.AcctID)+"/"+string(tx.FiTID)+"/"+tx.TrnAmt.String())
		}
	}
	want := "12345678/p:t1/-12.5 12345678/p:t2/2500 12345678/p:t3/-0.99 GB33BUKB20201555555555/p:s1/1.23"
	if got := strings.Join(fitids, " "); got != want {
		t.Fatalf("OFX transactions %q, want %q", got, want)
	}

	// A failing export leaves the old file alone and creates no new one.
	bad := filepath.Join(dir, "bad.csv")
	_, errOut, code = run(t, env, "export", "--format", "csv", "--account", "nope", "-o", bad)
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "bankdesk export: no such account") {
		t.Fatalf("unknown account: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Fatal("a failed export left a file")
	}
	if _, _, code := run(t, env, "export", "--format", "csv", "-o", filepath.Join(dir, "missing", "x.csv")); code != 1 {
		t.Fatalf("missing directory: exit %d", code)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Fatalf("directory holds %d entries", len(entries))
	}
}

// Large exports to a file say how far they got; stdout exports and small
// ones keep stderr quiet.
func TestExportProgress(t *testing.T) {
	env := exportEnv(t, 20_500)
	path := filepath.Join(t.TempDir(), "big.csv")
	_, errOut, code := run(t, env, "export", "--format", "csv", "-o", path)
	want := "exported 10000 of 20504 transactions\nexported 20000 of 20504 transactions\nExported 20504 transactions from 2 accounts to " + path + "\n"
	if code != 0 || errOut != want {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = run(t, env, "export", "--format", "csv", "--from", "2023-01-01", "-o", path)
	if code != 0 || !strings.HasPrefix(errOut, "exported 10000 transactions\nexported 20000 transactions\nExported 20504") {
		t.Fatalf("unknown total: exit %d, stderr %q", code, errOut)
	}
	// Rows, header, and one line break inside a cell.
	out, errOut, code := run(t, env, "export", "--format", "csv")
	if code != 0 || errOut != "" || strings.Count(out, "\r\n") != 20506 {
		t.Fatalf("stdout: exit %d, stderr %q", code, errOut)
	}
}

func TestExportUsageErrors(t *testing.T) {
	env := exportEnv(t, 0)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "--format csv|ofx is required"},
		{[]string{"--format", "xlsx"}, "--format wants csv or ofx"},
		{[]string{"--format", "csv", "--delimiter", "|"}, "--delimiter wants ',' or ';', got \"|\""},
		{[]string{"--format", "csv", "--delimiter", ""}, "--delimiter wants ',' or ';', got \"\""},
		{[]string{"--format", "csv", "--delimiter", ",,"}, "--delimiter wants ',' or ';', got \",,\""},
		{[]string{"--format", "ofx", "--delimiter", "|"}, "--delimiter wants ',' or ';', got \"|\""},
		{[]string{"--format", "ofx", "--excel", "--include-pending"}, "--excel only applies to --format csv"},
		{[]string{"--format", "ofx", "--include-pending", "--from", "2025-03-02", "--to", "2025-03-01"}, "--to is before --from"},
		{[]string{"--format", "csv", "--from", "1/3/2025"}, "--from wants a date"},
		{[]string{"--format", "csv", "--from", "2025-03-02", "--to", "2025-03-01"}, "--to is before --from"},
		{[]string{"--format", "ofx", "--include-pending"}, "--include-pending only applies to --format csv"},
		{[]string{"--format", "ofx", "--excel"}, "--excel only applies to --format csv"},
		{[]string{"--format", "ofx", "--delimiter", ","}, "--delimiter only applies to --format csv"},
		{[]string{"--format", "ofx", "--bom"}, "--bom only applies to --format csv"},
		{[]string{"--format", "ofx", "--raw"}, "--raw only applies to --format csv"},
		{[]string{"--format", "ofx", "--flatten-newlines"}, "--flatten-newlines only applies to --format csv"},
		{[]string{"--format", "csv", "extra"}, "unexpected argument"},
		{[]string{"--nope"}, "not defined"},
	} {
		out, errOut, code := run(t, env, append([]string{"export"}, c.args...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out, errOut)
		}
	}
	if _, _, code := run(t, env, "export", "-h"); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
	if !bytes.Contains([]byte(usageText()), []byte("export ")) {
		t.Error("bankdesk help does not list export")
	}
}

func usageText() string {
	var b bytes.Buffer
	usage(&b)
	return b.String()
}

// -o naming a folder, or a file in a folder that does not exist, fails
// with one line naming the problem, before the store is opened: a wrong
// passphrase here would otherwise be the error.
func TestExportToAFolderFailsFirst(t *testing.T) {
	env := exportEnv(t, 0)
	env["BANKDESK_PASSPHRASE"] = "not the passphrase"
	dir := t.TempDir()
	for path, want := range map[string]string{
		dir:                                    dir + " is a folder",
		dir + "/":                              "ends with a slash",
		filepath.Join(dir, "missing", "x.csv"): "the folder " + filepath.Join(dir, "missing") + " does not exist",
	} {
		out, errOut, code := run(t, env, "export", "--format", "csv", "-o", path)
		if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "bankdesk export: ") || !strings.Contains(errOut, want) {
			t.Errorf("-o %s: exit %d, stdout %q, stderr %q", path, code, out, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the folder holds %d entries", len(entries))
	}
}

// -o to a link to the process's stdout (what /dev/stdout is on Linux) or
// to /dev/null writes through it and keeps the link. The links live in a
// temporary folder, so that a broken export run as root cannot replace
// the system's /dev nodes.
func TestExportToDevicesKeepsThem(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/self/fd is Linux's")
	}
	env := exportEnv(t, 0)
	dir := t.TempDir()
	stdout, null := filepath.Join(dir, "stdout"), filepath.Join(dir, "null")
	if err := os.Symlink("/proc/self/fd/1", stdout); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/null", null); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{stdout, null} {
		cmd := process(env, "export", "--format", "csv", "-o", path)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("-o %s: %v\n%s", path, err, errOut.String())
		}
		if path == stdout && len(csvRecords(t, out.String(), ',')) != 5 {
			t.Fatalf("stdout got %q", out.String())
		}
		if path == null && out.Len() != 0 {
			t.Fatalf("stdout got %q", out.String())
		}
		if info, err := os.Lstat(path); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a link: %v %v", path, info.Mode(), err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Fatalf("the folder holds %d entries", len(entries))
	}
}
