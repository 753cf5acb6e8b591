package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"bankdesk/backend/config"
	"bankdesk/backend/desk"
	"bankdesk/backend/store"
)

func init() {
	commands["check"] = command{"verify the data file: every page read, every record unsealed", runCheck}
	commands["repair"] = command{"rebuild a damaged data file from what is readable and the newest snapshot", runRepair}
}

// deskOptions are what check and repair open the key with: the store
// itself may not open.
func deskOptions(io IO) (desk.Options, error) {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return desk.Options{}, err
	}
	return desk.Options{Config: cfg, Log: logger(io), Passphrase: passphraseSource(io, cfg)}, nil
}

func runCheck(_ context.Context, io IO, args []string) error {
	fs := newFlags("check", io)
	if err := parse(fs, args); err != nil {
		return err
	}
	opts, err := deskOptions(io)
	if err != nil {
		return err
	}
	rep, err := desk.Check(opts)
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

func runRepair(_ context.Context, io IO, args []string) error {
	fs := newFlags("repair", io)
	if err := parse(fs, args); err != nil {
		return err
	}
	opts, err := deskOptions(io)
	if err != nil {
		return err
	}
	rep, err := desk.Repair(opts)
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
