package app

import (
	"context"
	"fmt"
	"time"

	"bankdesk/backend/export"
)

// EventExportProgress reports rows written during a large export.
const EventExportProgress = "export:progress"

// ExportRequest is what the export dialog asks for. Dates are YYYY-MM-DD.
type ExportRequest struct {
	Format         string   `json:"format"` // csv or ofx
	AccountIDs     []string `json:"accountIds"`
	From           string   `json:"from"`
	To             string   `json:"to"`
	IncludePending bool     `json:"includePending"`
	Semicolon      bool     `json:"semicolon"`
	Excel          bool     `json:"excel"` // BOM for Excel
	Raw            bool     `json:"raw"`   // no spreadsheet safety
	// FlattenNewlines writes line breaks in cells as spaces: one line per row.
	FlattenNewlines bool `json:"flattenNewlines"`
}

// ExportDone says where the file went; Path is "" when the user cancelled.
type ExportDone struct {
	Path string `json:"path"`
	Rows int    `json:"rows"`
}

// Export asks where to save (the native dialog) and writes the file
// atomically: an interrupted export never leaves a half file there.
func (a *App) Export(r ExportRequest) (ExportDone, error) {
	d, err := a.backend()
	if err != nil {
		return ExportDone{}, err
	}
	format, opts, err := r.options()
	if err != nil {
		return ExportDone{}, err
	}
	name := fmt.Sprintf("bankdesk-%s.%s", time.Now().Format("2006-01-02"), format)
	path, err := a.runtime().SaveFile("Export transactions", name, "*."+string(format))
	if err != nil || path == "" {
		return ExportDone{}, err
	}
	opts.Progress = func(p export.Progress) { a.runtime().EventsEmit(EventExportProgress, p.Rows, p.Total) }
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	sum, err := d.ExportFile(ctx, path, format, opts)
	if err != nil {
		return ExportDone{}, err
	}
	a.log.Info("exported", "format", format, "rows", sum.Rows)
	return ExportDone{Path: path, Rows: sum.Rows}, nil
}

// options are the format and options the request asks for (no Progress),
// checked before the save dialog opens.
func (r ExportRequest) options() (export.Format, export.Options, error) {
	format, err := export.ParseFormat(r.Format)
	if err != nil {
		return "", export.Options{}, err
	}
	from, err := parseDay(r.From, "from")
	if err != nil {
		return "", export.Options{}, err
	}
	to, err := parseDay(r.To, "to")
	if err != nil {
		return "", export.Options{}, err
	}
	opts := export.Options{
		Accounts: r.AccountIDs, From: from, To: to, IncludePending: r.IncludePending,
		Excel: r.Excel, Raw: r.Raw, FlattenNewlines: r.FlattenNewlines,
	}
	if r.Semicolon {
		opts.Delimiter = ';'
	}
	return format, opts, nil
}
