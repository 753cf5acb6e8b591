package app

import (
	"context"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"bankdesk/backend/desk"
	"bankdesk/backend/view"
)

// A data file damaged while the app was closed: the app says so (not a
// raw error), offers Repair, and after it opens with the history back from
// the snapshot the last sync left.
func TestDamagedFileIsRepairedFromTheWindow(t *testing.T) {
	a, rt := newTestApp(t)
	unlock(t, a)
	a.handleURL(bankLogin(t, a, rt, "doe"))
	if done := waitEvent(t, rt, view.EventSyncDone+" "); !strings.Contains(done, `"ok":true`) {
		t.Fatalf("backfill: %s", done)
	}
	before, err := a.Transactions(view.TxFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	a.shutdown(context.Background())

	// Cut the file to a third of its pages in use (bbolt's meta page: page
	// size at byte 24, the high-water mark at byte 56).
	path := a.cfg.StorePath()
	head := make([]byte, 64)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadAt(head, 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	used := int64(binary.LittleEndian.Uint32(head[24:])) * int64(binary.LittleEndian.Uint64(head[56:]))
	if err := os.Truncate(path, used/3/4096*4096); err != nil {
		t.Fatal(err)
	}

	// The window opens again.
	a = openApp(t, a.cfg, rt)
	if v := a.Vault(); !v.NeedPassphrase {
		t.Fatalf("vault status %+v, want the passphrase asked for", v)
	}
	if err := a.Unlock("test passphrase 1"); !desk.IsDamaged(err) {
		t.Fatalf("unlock: %v, want the damage", err)
	}
	v := a.Vault()
	if v.Ready || !v.Damaged || !strings.Contains(v.Message, "damaged") {
		t.Fatalf("vault status %+v, want the damaged file reported", v)
	}
	// A sentence, and what was found (the file, the cut) behind Details.
	if strings.Contains(v.Message, path) || strings.Contains(v.Message, "cut short") || !strings.Contains(v.Details, path) || !strings.Contains(v.Details, "cut short") {
		t.Fatalf("vault status message %q, details %q: want the sentence apart from what was found", v.Message, v.Details)
	}
	rep, err := a.Repair()
	if err != nil || len(rep.Lines) == 0 || !strings.Contains(strings.Join(rep.Lines, " "), "snapshot") {
		t.Fatalf("repair %+v %v", rep, err)
	}
	if v := a.Vault(); !v.Ready {
		t.Fatalf("after the repair: %+v", v)
	}
	after, err := a.Transactions(view.TxFilter{Limit: 1})
	if err != nil || after.Total != before.Total {
		t.Fatalf("%d transactions after the repair, had %d (%v)", after.Total, before.Total, err)
	}
}
