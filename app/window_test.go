package app

import (
	"context"
	"testing"

	"bankdesk/backend/config"
	"bankdesk/backend/desk"
)

// screen1080 is a runtime on a 1920x1080 screen with the window where
// Wails opens it.
func screen1080() *fakeRuntime {
	rt := &fakeRuntime{}
	rt.screenW, rt.screenH = 1920, 1080
	rt.x, rt.y, rt.w, rt.h = 360, 140, defaultWidth, defaultHeight
	return rt
}

// start opens the app on cfg as the window's start does: the backend,
// then the saved place.
func start(t *testing.T, cfg config.Config, rt *fakeRuntime) *App {
	t.Helper()
	a := openApp(t, cfg, rt)
	unlock(t, a)
	a.restoreWindow(a.desk)
	return a
}

// The window opens where it was closed, at the size it had, and a window
// closed maximised opens maximised.
func TestWindowReopensWhereItClosed(t *testing.T) {
	cfg := testConfig(t)
	rt := screen1080()
	a := start(t, cfg, rt)
	if rt.x != 360 || rt.w != defaultWidth || rt.centred != 0 {
		t.Fatalf("a first start moved the window: %d,%d %dx%d centred %d", rt.x, rt.y, rt.w, rt.h, rt.centred)
	}
	rt.x, rt.y, rt.w, rt.h = 50, 40, 1000, 700 // the user moves and resizes it
	a.RememberWindow()
	rt.x = 80 // and moves it once more before closing
	a.beforeClose(context.Background())
	a.shutdown(context.Background())

	rt = screen1080()
	a = start(t, cfg, rt)
	if rt.x != 80 || rt.y != 40 || rt.w != 1000 || rt.h != 700 || rt.maximised {
		t.Fatalf("reopened at %d,%d %dx%d (maximised %v), want 80,40 1000x700", rt.x, rt.y, rt.w, rt.h, rt.maximised)
	}
	rt.maximised = true
	rt.x, rt.y, rt.w, rt.h = 0, 0, 1920, 1080
	a.beforeClose(context.Background())
	a.shutdown(context.Background())

	rt = screen1080()
	start(t, cfg, rt)
	if !rt.maximised || rt.x != 80 || rt.w != 1000 {
		t.Fatalf("a window closed maximised reopened at %d,%d %dx%d (maximised %v)", rt.x, rt.y, rt.w, rt.h, rt.maximised)
	}
}

// On a smaller screen than the one it was saved on, the window keeps its
// default size and place; a saved place off this screen opens centred.
func TestWindowFallsBackWhereTheSavedPlaceDoesNotFit(t *testing.T) {
	cfg := testConfig(t)
	save := func(p desk.WindowPlace) {
		t.Helper()
		a := openApp(t, cfg, &fakeRuntime{})
		unlock(t, a)
		if err := a.desk.SaveWindowPlace(p); err != nil {
			t.Fatal(err)
		}
		a.shutdown(context.Background())
	}

	save(desk.WindowPlace{X: 0, Y: 0, Width: 2400, Height: 1300})
	rt := screen1080()
	start(t, cfg, rt).shutdown(context.Background())
	if rt.x != 360 || rt.y != 140 || rt.w != defaultWidth || rt.h != defaultHeight || rt.centred != 0 {
		t.Fatalf("a size too big for the screen was applied: %d,%d %dx%d", rt.x, rt.y, rt.w, rt.h)
	}

	save(desk.WindowPlace{X: 2200, Y: 100, Width: 1000, Height: 700}) // was on a second monitor
	rt = screen1080()
	start(t, cfg, rt)
	if rt.w != 1000 || rt.h != 700 || rt.x != 360 || rt.centred != 1 {
		t.Fatalf("off-screen place: %d,%d %dx%d centred %d, want 1000x700 centred", rt.x, rt.y, rt.w, rt.h, rt.centred)
	}
}

// While the vault waits for its passphrase nothing is saved or moved; and
// a resize reported before the saved place was restored saves nothing
// (the window still has its default place then).
func TestWindowIsLeftAloneBeforeTheBackendIsUp(t *testing.T) {
	cfg := testConfig(t)
	rt := screen1080()
	a := openApp(t, cfg, rt)
	a.beforeClose(context.Background()) // locked: nothing to save into
	a.RememberWindow()
	unlock(t, a)
	rt.w, rt.h = 900, 600
	a.RememberWindow() // not restored yet
	if _, err := a.desk.WindowPlace(); err == nil {
		t.Fatal("a place was saved before the window was restored")
	}
	a.restoreWindow(a.desk)
	a.RememberWindow()
	if p, err := a.desk.WindowPlace(); err != nil || p.Width != 900 {
		t.Fatalf("after the restore: %+v %v", p, err)
	}
}
