package desk

import (
	"context"
	"io"

	"bankdesk/backend/export"
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
