package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"bankdesk/backend/desk"
	"bankdesk/backend/store"
)

func runCheck(_ context.Context, _ *desk.Desk, io IO) error {
	rep, err := withDeskOptions(io, desk.Check)
	if err != nil {
		return err
	}
	printCheck(io.Stdout, rep)
	if !rep.OK() {
		return errors.New("the data file is damaged: `bankdesk repair` rebuilds it (the damaged file is kept)")
	}
	return nil
}

// printCheck says what Check found, a line per finding.
func printCheck(w io.Writer, rep store.CheckReport) {
	if rep.OpenErr != nil {
		fmt.Fprintf(w, "The data file cannot be opened: %v\n", rep.OpenErr)
		return
	}
	for _, b := range rep.Buckets {
		switch {
		case b.Missing:
			fmt.Fprintf(w, "%-16s missing\n", b.Name)
		case b.Unreadable > 0:
			fmt.Fprintf(w, "%-16s %d records, %d cannot be read\n", b.Name, b.Records, b.Unreadable)
		default:
			fmt.Fprintf(w, "%-16s %d records\n", b.Name, b.Records)
		}
	}
	for _, p := range rep.PageErrors {
		fmt.Fprintf(w, "page problem: %s\n", firstLine(p))
	}
	for _, d := range rep.Unreadable {
		fmt.Fprintf(w, "cannot be read: %s/%s\n", d.Bucket, d.Key)
	}
	if rep.OK() {
		fmt.Fprintln(w, "Every page and every record reads.")
	}
}

func runRepair(_ context.Context, _ *desk.Desk, io IO) error {
	rep, err := withDeskOptions(io, desk.Repair)
	if err != nil {
		return err
	}
	printRepair(io.Stdout, rep)
	return nil
}

// printRepair says what Repair did and what, if anything, is lost.
func printRepair(w io.Writer, rep store.RepairReport) {
	for _, l := range desk.RepairSummary(rep) {
		fmt.Fprintln(w, l)
	}
}
