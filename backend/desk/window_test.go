package desk

import (
	"errors"
	"testing"

	"bankdesk/backend/store"
)

func TestFitWindow(t *testing.T) {
	screen, min := Size{1920, 1080}, Size{800, 560}
	for name, tc := range map[string]struct {
		saved                    WindowPlace
		screen                   Size
		size, position, maximise bool
	}{
		"fits":                   {WindowPlace{X: 100, Y: 50, Width: 1200, Height: 800}, screen, true, true, false},
		"fills the screen":       {WindowPlace{X: 0, Y: 0, Width: 1920, Height: 1080}, screen, true, true, false},
		"wider than the screen":  {WindowPlace{X: 0, Y: 0, Width: 2560, Height: 800}, screen, false, false, false},
		"taller than the screen": {WindowPlace{X: 0, Y: 0, Width: 1200, Height: 1440}, screen, false, false, false},
		"smaller than allowed":   {WindowPlace{X: 10, Y: 10, Width: 300, Height: 200}, screen, false, false, false},
		"off to the right":       {WindowPlace{X: 1800, Y: 50, Width: 1200, Height: 800}, screen, true, false, false},
		"off the top":            {WindowPlace{X: 100, Y: -40, Width: 1200, Height: 800}, screen, true, false, false},
		"on a monitor now gone":  {WindowPlace{X: 2500, Y: 100, Width: 1200, Height: 800}, screen, true, false, false},
		"maximised":              {WindowPlace{X: 100, Y: 50, Width: 1200, Height: 800, Maximised: true}, screen, true, true, true},
		"maximised, too big":     {WindowPlace{Width: 2560, Height: 1440, Maximised: true}, screen, false, false, true},
		"unknown screen":         {WindowPlace{X: 100, Y: 50, Width: 1200, Height: 800}, Size{}, false, false, false},
		"nothing saved":          {WindowPlace{}, screen, false, false, false},
	} {
		f := FitWindow(tc.saved, tc.screen, min)
		if f.Size != tc.size || f.Position != tc.position || f.Maximise != tc.maximise || f.Place != tc.saved {
			t.Errorf("%s: %+v, want size %v position %v maximise %v", name, f, tc.size, tc.position, tc.maximise)
		}
	}
}

// The window's place survives a restart; a maximised window keeps the
// normal place it had, and a nonsense size is refused, changing nothing.
func TestWindowPlaceIsSavedAcrossRestarts(t *testing.T) {
	cfg := fileVaultConfig(t, nil)
	d := openDesk(t, Options{Config: cfg})
	if _, err := d.WindowPlace(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("before any save: %v", err)
	}
	normal := WindowPlace{X: 40, Y: 30, Width: 1024, Height: 700}
	if err := d.SaveWindowPlace(normal); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveWindowPlace(WindowPlace{X: 0, Y: 0, Width: 1920, Height: 1080, Maximised: true}); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveWindowPlace(WindowPlace{Width: 0, Height: 700}); err == nil {
		t.Fatal("a zero width was saved")
	}
	d.Close()

	d = openDesk(t, Options{Config: cfg})
	got, err := d.WindowPlace()
	want := normal
	want.Maximised = true
	if err != nil || got != want {
		t.Fatalf("after a restart: %+v %v, want %+v", got, err, want)
	}
	if err := d.SaveWindowPlace(normal); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.WindowPlace(); got != normal {
		t.Fatalf("unmaximised: %+v, want %+v", got, normal)
	}
}
