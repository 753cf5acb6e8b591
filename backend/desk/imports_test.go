package desk

import (
	"os"
	"path/filepath"
	"testing"

	"bankdesk/backend/importer"
	"bankdesk/backend/view"
)

// An import reaches the screens at once (the loaded index reloads, the
// Sink hears it), a new manual account lists as manual, and undo takes
// its rows off the screens again.
func TestImportReachesTheScreens(t *testing.T) {
	const file = "Day,Text,Sum\n2026-06-01,MARKET STALL,-4.50\n2026-06-02,CAR BOOT SALE,20\n"
	path := filepath.Join(t.TempDir(), "cash.csv")
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	sink := newRecordSink()
	d, _ := syncedSandboxDesk(t, sink)
	before, err := d.TransactionPage(view.TxFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	heard := func() int { sink.mu.Lock(); defer sink.mu.Unlock(); return sink.changed }
	changed := heard()
	res, err := d.Import(ImportRequest{Path: path, NewAccount: "Cash", Currency: "GBP",
		Mapping: importer.Mapping{Date: "Day", Description: "Text", Amount: "Sum"}})
	if err != nil || res.Added != 2 || res.Skipped != 0 || res.ID == "" {
		t.Fatalf("import %+v %v", res, err)
	}
	if heard() == changed {
		t.Error("the screens were not told")
	}
	accts, err := d.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	var cash *view.AccountView
	for i := range accts {
		if accts[i].ID == res.AccountID {
			cash = &accts[i]
		}
	}
	if cash == nil || !cash.Manual || cash.Disconnected || cash.Currency != "GBP" || cash.DisplayName != "Cash" {
		t.Fatalf("the new account lists as %+v", cash)
	}
	after, err := d.TransactionPage(view.TxFilter{Limit: 1})
	if err != nil || after.Total != before.Total+2 {
		t.Fatalf("the list holds %d, want %d (%v)", after.Total, before.Total+2, err)
	}
	only, err := d.TransactionPage(view.TxFilter{AccountIDs: []string{res.AccountID}})
	if err != nil || only.Total != 2 || only.Rows[0].Description != "CAR BOOT SALE" || only.Rows[0].Amount != "20.00" {
		t.Fatalf("the account's rows %+v %v", only.Rows, err)
	}
	if _, n, err := d.UndoImport(res.ID); err != nil || n != 2 {
		t.Fatalf("undo %d %v", n, err)
	}
	if page, err := d.TransactionPage(view.TxFilter{Limit: 1}); err != nil || page.Total != before.Total {
		t.Fatalf("after undo the list holds %d, want %d (%v)", page.Total, before.Total, err)
	}
}
