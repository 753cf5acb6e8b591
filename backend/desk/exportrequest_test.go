package desk

import (
	"slices"
	"testing"

	"bankdesk/backend/export"
	"bankdesk/backend/view"
)

// The dialog's choices reach the export options, each of them.
func TestExportRequestOptions(t *testing.T) {
	format, opts, err := (&Desk{}).exportOptions(view.ExportRequest{Format: "csv", AccountIDs: []string{"a"}, From: "2025-03-01", To: "2025-03-31",
		IncludePending: true, Semicolon: true, Excel: true, Raw: true, FlattenNewlines: true})
	if err != nil || format != export.FormatCSV {
		t.Fatalf("%q, %v", format, err)
	}
	if !slices.Equal(opts.Accounts, []string{"a"}) || opts.From.String() != "2025-03-01" || opts.To.String() != "2025-03-31" ||
		!opts.IncludePending || opts.Delimiter != ';' || !opts.Excel || !opts.Raw || !opts.FlattenNewlines || opts.BOM {
		t.Fatalf("%+v", opts)
	}
	if _, opts, _ := (&Desk{}).exportOptions(view.ExportRequest{Format: "csv"}); opts.Delimiter != 0 || opts.Excel || opts.Raw || opts.FlattenNewlines || opts.IncludePending {
		t.Fatalf("defaults: %+v", opts)
	}
	for _, bad := range []view.ExportRequest{{Format: "xlsx"}, {Format: "csv", From: "1/3/2025"}, {Format: "csv", To: "tomorrow"}} {
		if _, _, err := (&Desk{}).exportOptions(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
