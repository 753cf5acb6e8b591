package app

import (
	"context"
	"errors"

	"bankdesk/backend/desk"
	"bankdesk/backend/store"
)

// The window's size at a first start (and wherever a saved one does not
// fit), and the smallest the screens are laid out for.
const (
	defaultWidth, defaultHeight = 1200, 800
	minWidth, minHeight         = 800, 560
)

// restoreWindow puts the window back where it was when it last closed, as
// far as that fits this screen (desk.FitWindow); a size that does not fit
// leaves the default one, a position off the screen a centred window. It
// runs once the backend opened at the start: when the vault waits for a
// passphrase, the window keeps its default place.
func (a *App) restoreWindow(d *desk.Desk) {
	defer func() {
		a.mu.Lock()
		a.placed = true
		a.mu.Unlock()
	}()
	saved, err := d.WindowPlace()
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			a.log.Warn("cannot read the window's place", "err", err)
		}
		return
	}
	rt := a.runtime()
	w, h, _ := rt.ScreenSize()
	f := desk.FitWindow(saved, desk.Size{Width: w, Height: h}, desk.Size{Width: minWidth, Height: minHeight})
	if f.Size {
		rt.WindowSetSize(f.Place.Width, f.Place.Height)
		if f.Position {
			rt.WindowSetPosition(f.Place.X, f.Place.Y)
		} else {
			rt.WindowCenter()
		}
	}
	if f.Maximise {
		rt.WindowMaximise()
	}
}

// rememberWindow saves where the window is and how big, for the next
// start. Until restoreWindow ran it saves nothing, as the window still has
// its default place; nor while the backend is not open (the passphrase).
func (a *App) rememberWindow() {
	a.mu.Lock()
	d, placed := a.desk, a.placed
	a.mu.Unlock()
	if d == nil || !placed {
		return
	}
	rt := a.runtime()
	p := desk.WindowPlace{Maximised: rt.WindowIsMaximised()}
	p.X, p.Y = rt.WindowGetPosition()
	p.Width, p.Height = rt.WindowGetSize()
	if err := d.SaveWindowPlace(p); err != nil {
		a.log.Warn("cannot save the window's place", "err", err)
	}
}

// RememberWindow is called by the frontend after the user resized the
// window (debounced): its place is saved then too, not only at close.
func (a *App) RememberWindow() { a.rememberWindow() }

// beforeClose is Wails' OnBeforeClose (closing the window, and Quit):
// the window's place is saved while the backend is still open. It never
// stops the close.
func (a *App) beforeClose(context.Context) (prevent bool) {
	a.rememberWindow()
	return false
}
