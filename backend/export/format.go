package export

import (
	"context"
	"io"
	"strings"
)

// Format is an export file format.
type Format string

// The formats.
const (
	FormatCSV Format = "csv"
	FormatOFX Format = "ofx"
)

// ParseFormat reads a format name, case-insensitively.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatCSV, FormatOFX:
		return f, nil
	}
	return "", unknownFormat(s)
}

// Extension is the file name extension for the format, with its dot.
func (f Format) Extension() string { return "." + string(f) }

// Write exports in format f to w: CSV or OFX.
func (f Format) Write(ctx context.Context, w io.Writer, src Source, opts Options) (Summary, error) {
	switch f {
	case FormatCSV:
		return CSV(ctx, w, src, opts)
	case FormatOFX:
		return OFX(ctx, w, src, opts)
	}
	return Summary{}, unknownFormat(string(f))
}

// WriteFile exports in format f to path atomically (see ToFile).
func (f Format) WriteFile(ctx context.Context, path string, src Source, opts Options) (Summary, error) {
	var sum Summary
	err := ToFile(path, func(w io.Writer) error {
		var err error
		sum, err = f.Write(ctx, w, src, opts)
		return err
	})
	return sum, err
}
