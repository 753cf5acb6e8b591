package app

import (
	"errors"
	"sync"
)

// fakeDesktop is fakeRuntime's window: it records what the menu asked
// and keeps a geometry the window code reads and sets.
type fakeDesktop struct {
	dmu        sync.Mutex
	quits      int
	infos      []string // title: message
	edits      []string
	folders    []string
	files      []string // OpenFile's
	folderErr  bool     // OpenFolder fails
	x, y, w, h int
	maximised  bool
	centred    int
	screenW    int // 0: the screen's size is unknown
	screenH    int
}

func (f *fakeDesktop) Quit() { f.dmu.Lock(); f.quits++; f.dmu.Unlock() }
func (f *fakeDesktop) Info(title, message string) {
	f.dmu.Lock()
	f.infos = append(f.infos, title+": "+message)
	f.dmu.Unlock()
}
func (f *fakeDesktop) Edit(command string) {
	f.dmu.Lock()
	f.edits = append(f.edits, command)
	f.dmu.Unlock()
}
func (f *fakeDesktop) OpenFolder(path string) error {
	f.dmu.Lock()
	defer f.dmu.Unlock()
	f.folders = append(f.folders, path)
	if f.folderErr {
		return errors.New("xdg-open: no file manager")
	}
	return nil
}
func (f *fakeDesktop) OpenFile(path string) error {
	f.dmu.Lock()
	defer f.dmu.Unlock()
	f.files = append(f.files, path)
	return nil
}
func (f *fakeDesktop) WindowGetPosition() (int, int) {
	f.dmu.Lock()
	defer f.dmu.Unlock()
	return f.x, f.y
}
func (f *fakeDesktop) WindowGetSize() (int, int) { f.dmu.Lock(); defer f.dmu.Unlock(); return f.w, f.h }
func (f *fakeDesktop) WindowIsMaximised() bool {
	f.dmu.Lock()
	defer f.dmu.Unlock()
	return f.maximised
}
func (f *fakeDesktop) WindowSetPosition(x, y int) { f.dmu.Lock(); f.x, f.y = x, y; f.dmu.Unlock() }
func (f *fakeDesktop) WindowSetSize(w, h int)     { f.dmu.Lock(); f.w, f.h = w, h; f.dmu.Unlock() }
func (f *fakeDesktop) WindowMaximise()            { f.dmu.Lock(); f.maximised = true; f.dmu.Unlock() }
func (f *fakeDesktop) WindowCenter()              { f.dmu.Lock(); f.centred++; f.dmu.Unlock() }
func (f *fakeDesktop) ScreenSize() (int, int, bool) {
	f.dmu.Lock()
	defer f.dmu.Unlock()
	return f.screenW, f.screenH, f.screenW > 0
}
