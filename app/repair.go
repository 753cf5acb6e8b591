package app

import (
	"errors"

	"bankdesk/backend/desk"
	"bankdesk/backend/view"
)

// Repair rebuilds a damaged data file (desk.Repair): the backend is closed
// for it and opened again after, so it serves both a file that no longer
// opens and one with unreadable records.
func (a *App) Repair() (view.RepairView, error) {
	a.mu.Lock()
	if a.repairing {
		a.mu.Unlock()
		return view.RepairView{}, errRepairing
	}
	a.repairing = true
	d, l := a.desk, a.loopback
	a.desk, a.loopback = nil, nil
	opts := a.options()
	a.mu.Unlock()
	a.closeBackend(d, l)
	rep, err := desk.Repair(opts)
	a.mu.Lock()
	a.repairing = false
	a.mu.Unlock()
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

// errRepairing answers every call while Repair has the data file.
var errRepairing = errors.New("Bankdesk is repairing its data file; try again in a moment")
