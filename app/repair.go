package app

import (
	"errors"

	"bankdesk/backend/desk"
	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// Repair rebuilds a damaged data file (desk.Repair): the backend is closed
// for it and opened again after, so it serves both a file that no longer
// opens and one with unreadable records.
func (a *App) Repair() (view.RepairView, error) {
	var rep store.RepairReport
	err := a.withDataFile(func(opts desk.Options) (err error) {
		rep, err = desk.Repair(opts)
		return err
	})
	if err != nil {
		a.log.Error("repair failed", "err", err)
		return view.RepairView{}, err
	}
	a.log.Info("data file repaired", "lost", len(rep.Lost), "snapshot", rep.Snapshot)
	if _, err := a.backend(); err != nil {
		return view.RepairView{}, err
	}
	sink{a}.DataChanged()
	return view.RepairView{Lines: desk.RepairSummary(rep), Lost: len(rep.Lost)}, nil
}

// withDataFile closes the backend, runs f on the data file with the
// options it opens with, and lets the backend open again after (Repair,
// ChangePassphrase). Every other call meanwhile gets errDataBusy.
func (a *App) withDataFile(f func(desk.Options) error) error {
	a.mu.Lock()
	if a.dataBusy {
		a.mu.Unlock()
		return errDataBusy
	}
	a.dataBusy = true
	d, l := a.desk, a.loopback
	a.desk, a.loopback = nil, nil
	opts := a.options()
	a.mu.Unlock()
	a.closeBackend(d, l)
	err := f(opts)
	a.mu.Lock()
	a.dataBusy = false
	a.mu.Unlock()
	return err
}

// errDataBusy answers every call while Repair or ChangePassphrase has the
// data file.
var errDataBusy = errors.New("Bankdesk is working on its data file; try again in a moment")
