package app

import (
	"errors"

	"bankdesk/backend/desk"
	"bankdesk/backend/store"
)

// RepairView is what a repair did, in sentences for the screen.
type RepairView struct {
	Lines []string `json:"lines"`
	Lost  int      `json:"lost"` // records neither the file nor a snapshot held readable
}

// Repair rebuilds a damaged data file (desk.Repair): the backend is closed
// for it and opened again after, so it serves both a file that no longer
// opens and one with unreadable records.
func (a *App) Repair() (RepairView, error) {
	a.mu.Lock()
	if a.repairing {
		a.mu.Unlock()
		return RepairView{}, errRepairing
	}
	a.repairing = true
	defer func() {
		a.mu.Lock()
		a.repairing = false
		a.mu.Unlock()
	}()
	d, l := a.desk, a.loopback
	a.desk, a.loopback = nil, nil
	opts := desk.Options{Config: a.cfg, Log: a.log}
	if p := a.passphrase; p != "" {
		opts.Passphrase = func() (string, error) { return p, nil }
	}
	a.mu.Unlock()
	if l != nil {
		_ = l.Close() // the repair below reports what matters
	}
	if d != nil {
		_ = d.Close() // every write is committed already; Repair reopens the files
	}
	rep, err := desk.Repair(opts)
	a.mu.Lock()
	a.repairing = false
	a.mu.Unlock()
	if err != nil {
		a.log.Error("repair failed", "err", err)
		return RepairView{}, err
	}
	a.log.Info("data file repaired", "lost", len(rep.Lost), "snapshot", rep.Snapshot)
	if _, err := a.backend(); err != nil {
		return RepairView{}, err
	}
	if err := a.reloadLedger(); err != nil {
		a.log.Warn("reload ledger after repair", "err", err)
	}
	a.runtime().EventsEmit(EventDataChanged)
	return RepairView{Lines: desk.RepairSummary(rep), Lost: len(rep.Lost)}, nil
}

// errRepairing answers every call while Repair has the data file.
var errRepairing = errors.New("Bankdesk is repairing its data file; try again in a moment")

// damaged reports an open failure that a repair may fix.
func damaged(err error) bool { return errors.Is(err, store.ErrDamaged) }
