package desk

import (
	"fmt"
	"strings"
	"time"

	"bankdesk/backend/datadir"
	"bankdesk/backend/store"
)

// Check verifies the data file (store.Check): every page, every record
// unsealed. It needs the key, not an open store, so it works on a file
// that no longer opens.
func Check(opts Options) (store.CheckReport, error) {
	key, err := openKey(opts)
	if err != nil {
		return store.CheckReport{}, err
	}
	defer func() { _ = key.Close() }() // Close only releases the lock and the key
	return store.Check(opts.Config.StorePath(), key.Vault)
}

// Repair rebuilds a damaged data file from what is readable in it and from
// the newest snapshot (store.Repair), keeping the damaged file beside it.
func Repair(opts Options) (store.RepairReport, error) {
	key, err := openKey(opts)
	if err != nil {
		return store.RepairReport{}, err
	}
	defer func() { _ = key.Close() }() // Close only releases the lock and the key
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	return store.Repair(opts.Config.StorePath(), key.Vault, now())
}

// Damaged lists the saved records this desk met unreadable and that no
// sync has written again since (store.Damaged).
func (d *Desk) Damaged() []store.Damage {
	var out []store.Damage
	for _, x := range d.store.Damaged() {
		if !x.Healed {
			out = append(out, x)
		}
	}
	return out
}

// RepairSummary says in sentences what a repair did, for the CLI and the
// window alike.
func RepairSummary(rep store.RepairReport) []string {
	lines := []string{"The data file was rebuilt. The damaged file is kept as " + rep.Damaged + "."}
	var fromPages, fromSnapshot int
	for _, b := range rep.Buckets {
		fromPages += b.FromPages
		fromSnapshot += b.FromSnapshot
	}
	if rep.Snapshot != "" {
		lines = append(lines, fmt.Sprintf("%d record(s) came from the snapshot of %s.", fromSnapshot, rep.SnapshotTaken.Local().Format("2 Jan 2006 15:04")))
	}
	if fromPages > 0 {
		lines = append(lines, fmt.Sprintf("%d record(s) were found in damaged parts of the file.", fromPages))
	}
	if len(rep.Lost) == 0 {
		return append(lines, "Nothing readable was lost. A sync brings in what changed at the bank since.")
	}
	byBucket := map[string]int{}
	var names []string
	for _, d := range rep.Lost {
		if byBucket[d.Bucket] == 0 {
			names = append(names, d.Bucket)
		}
		byBucket[d.Bucket]++
	}
	parts := make([]string, len(names))
	for i, b := range names {
		parts[i] = fmt.Sprintf("%s: %d", b, byBucket[b])
	}
	return append(lines, fmt.Sprintf("%d record(s) could not be recovered (%s). A sync fetches again what the bank still has.",
		len(rep.Lost), strings.Join(parts, ", ")))
}

// openKey takes the data directory's lock and opens its key, not the
// data file (datadir.OpenKey).
func openKey(opts Options) (*datadir.Opened, error) {
	ctx, o := dirOptions(opts)
	return datadir.OpenKey(ctx, o)
}
