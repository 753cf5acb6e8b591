package desk

import (
	"fmt"

	"bankdesk/backend/store"
)

// WindowPlace is where the window was and how big, in the desktop's
// logical pixels, as the window system reports them; Maximised keeps the
// size it had before it was maximised.
type WindowPlace struct {
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised"`
}

// Size is a width and a height.
type Size struct{ Width, Height int }

// Fitted is what to restore of a saved WindowPlace: its size (and then its
// position, or a centred window where the position is off the screen), and
// whether to maximise. What is not restored stays the window's default.
type Fitted struct {
	Size, Position, Maximise bool
	Place                    WindowPlace
}

// FitWindow decides what of saved to restore on a screen of the given size:
// the size only when it fits the screen and is at least min, the position
// only when the whole window is then on the screen. A size too big for this
// screen (saved on a larger one) falls back to the default size and place;
// an unknown screen restores nothing but the maximised state.
func FitWindow(saved WindowPlace, screen, min Size) Fitted {
	f := Fitted{Maximise: saved.Maximised, Place: saved}
	if screen.Width <= 0 || screen.Height <= 0 {
		return f
	}
	f.Size = saved.Width >= min.Width && saved.Height >= min.Height && saved.Width <= screen.Width && saved.Height <= screen.Height
	f.Position = f.Size && saved.X >= 0 && saved.Y >= 0 && saved.X+saved.Width <= screen.Width && saved.Y+saved.Height <= screen.Height
	return f
}

// WindowPlace is the window's saved place; store.ErrNotFound before the
// first save.
func (d *Desk) WindowPlace() (WindowPlace, error) {
	return store.GetSetting[WindowPlace](d.store, store.SettingWindow)
}

// SaveWindowPlace keeps the window's place for the next start. A
// maximised window keeps the normal size and position saved before, and
// a save that changes nothing writes nothing (it runs on every resize).
func (d *Desk) SaveWindowPlace(p WindowPlace) error {
	old, err := d.WindowPlace()
	if err != nil {
		old = WindowPlace{} // none yet, or unreadable: this save replaces it
	}
	if p.Maximised {
		p = old // the normal place from before it was maximised
		p.Maximised = true
	} else if p.Width <= 0 || p.Height <= 0 {
		return fmt.Errorf("save window place: size %dx%d", p.Width, p.Height)
	}
	if err == nil && p == old {
		return nil
	}
	return store.PutSettingJSON(d.store, store.SettingWindow, p)
}
