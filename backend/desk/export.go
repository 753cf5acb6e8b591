package desk

import (
	"context"
	"fmt"
	"io"
	"time"

	"bankdesk/backend/export"
	"bankdesk/backend/ledger"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// Export writes stored transactions to w as CSV or OFX (see package
// export). It reads only the store, so it works offline.
func (d *Desk) Export(ctx context.Context, w io.Writer, f export.Format, opts export.Options) (export.Summary, error) {
	return f.Write(ctx, w, d.store, d.withClock(opts))
}

// ExportFile writes them to path, typically one the user picked in a save
// dialog. The file appears only once complete; on error an existing file
// at path is left untouched (see export.ToFile).
func (d *Desk) ExportFile(ctx context.Context, path string, f export.Format, opts export.Options) (export.Summary, error) {
	return f.WriteFile(ctx, path, d.store, d.withClock(opts))
}

// withClock gives the export the desk's clock, so an injected one dates
// OFX files too.
func (d *Desk) withClock(opts export.Options) export.Options {
	if opts.Now == nil {
		opts.Now = d.now
	}
	return opts
}

// exportTimeout bounds one export the window asked for.
const exportTimeout = 10 * time.Minute

// CheckExport checks an export request before the save dialog opens and
// names the file to suggest and its pattern.
func (d *Desk) CheckExport(r view.ExportRequest) (name, pattern string, err error) {
	f, _, err := d.exportOptions(r)
	if err != nil {
		return "", "", err
	}
	return fmt.Sprintf("bankdesk-%s.%s", d.now().Format(time.DateOnly), f), "*." + string(f), nil
}

// ExportTo writes what r asks for to path (ExportFile); progress hears the
// rows written so far and the total.
func (d *Desk) ExportTo(ctx context.Context, path string, r view.ExportRequest, progress func(rows, total int)) (view.ExportDone, error) {
	f, opts, err := d.exportOptions(r)
	if err != nil {
		return view.ExportDone{}, err
	}
	if progress != nil {
		opts.Progress = func(p export.Progress) { progress(p.Rows, p.Total) }
	}
	ctx, cancel := context.WithTimeout(ctx, exportTimeout)
	defer cancel()
	sum, err := d.ExportFile(ctx, path, f, opts)
	if err != nil {
		return view.ExportDone{}, err
	}
	d.log.Info("exported", "format", f, "rows", sum.Rows)
	return view.ExportDone{Path: path, Rows: sum.Rows}, nil
}

func (d *Desk) exportOptions(r view.ExportRequest) (export.Format, export.Options, error) {
	f, err := export.ParseFormat(r.Format)
	if err != nil {
		return "", export.Options{}, err
	}
	from, err := ParseDay(r.From, "from")
	if err != nil {
		return "", export.Options{}, err
	}
	to, err := ParseDay(r.To, "to")
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
	// The list's category and search, by the list's own rule.
	if filter := (ledger.Filter{Category: r.Category, Search: r.Search}); !filter.IsZero() {
		if opts.Keep, err = d.Keep(filter); err != nil {
			return "", export.Options{}, err
		}
	}
	return f, opts, nil
}

// Keep is filter as a test of stored transactions (the list's own rule),
// for an export or a listing of the same selection. A search that does
// not parse is refused (a *query.Error): what is written or printed is
// what was asked, or nothing.
func (d *Desk) Keep(filter ledger.Filter) (func(store.Transaction) bool, error) {
	if err := filter.Check(); err != nil {
		return nil, err
	}
	accts, err := d.store.Accounts()
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	names := make(map[string]string, len(accts))
	for _, a := range accts {
		names[a.ID] = a.DisplayName
	}
	return filter.Keep(names), nil
}
