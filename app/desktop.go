package app

import (
	"errors"
	"os/exec"
	"runtime"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// desktop is the part of Runtime the app menu and the window's geometry
// use: thin wrappers of Wails' functions, which must only ever see the
// context Wails made (see Runtime), and of the OS's file opener.
type desktop interface {
	Quit()
	// Info shows a native message box and returns once it is closed.
	Info(title, message string)
	// Edit runs a web view editing command (editCut, …) on what has the focus.
	Edit(command string)
	// OpenFolder shows a folder in the file manager.
	OpenFolder(path string) error
	// OpenFile opens a file in the app the OS gives its type.
	OpenFile(path string) error

	WindowGetPosition() (x, y int)
	WindowGetSize() (w, h int)
	WindowIsMaximised() bool
	WindowSetPosition(x, y int)
	WindowSetSize(w, h int)
	WindowMaximise()
	WindowCenter()
	// ScreenSize is the size of the screen the window is on; ok is false
	// when Wails cannot tell.
	ScreenSize() (w, h int, ok bool)
}

func (r wailsRuntime) Quit() { wruntime.Quit(r.ctx) }

func (r wailsRuntime) Info(title, message string) {
	// The only answer is OK; an error means no dialog could be shown.
	_, _ = wruntime.MessageDialog(r.ctx, wruntime.MessageDialogOptions{Type: wruntime.InfoDialog, Title: title, Message: message})
}

func (r wailsRuntime) Edit(command string) { webViewEdit(r.ctx, command) }

// OpenFolder hands the folder to the OS's opener: Wails' BrowserOpenURL
// refuses file:// addresses.
func (r wailsRuntime) OpenFolder(path string) error { return openWithOS(path) }

// OpenFile hands the file to the OS's opener, as a double-click would.
func (r wailsRuntime) OpenFile(path string) error { return openWithOS(path) }

func openWithOS(path string) error {
	cmd := folderOpener(runtime.GOOS, path)
	if runtime.GOOS == "windows" {
		// explorer exits 1 when it opened the folder, too.
		if err := cmd.Start(); err != nil {
			return err
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}
	return cmd.Run() // xdg-open and open return once the file manager has it
}

// folderOpener is the command that shows a folder (or opens a file) on goos.
func folderOpener(goos, path string) *exec.Cmd {
	switch goos {
	case "darwin":
		return exec.Command("open", path)
	case "windows":
		return exec.Command("explorer", path)
	}
	return exec.Command("xdg-open", path)
}

func (r wailsRuntime) WindowGetPosition() (int, int) { return wruntime.WindowGetPosition(r.ctx) }
func (r wailsRuntime) WindowGetSize() (int, int)     { return wruntime.WindowGetSize(r.ctx) }
func (r wailsRuntime) WindowIsMaximised() bool       { return wruntime.WindowIsMaximised(r.ctx) }
func (r wailsRuntime) WindowSetPosition(x, y int)    { wruntime.WindowSetPosition(r.ctx, x, y) }
func (r wailsRuntime) WindowSetSize(w, h int)        { wruntime.WindowSetSize(r.ctx, w, h) }
func (r wailsRuntime) WindowMaximise()               { wruntime.WindowMaximise(r.ctx) }
func (r wailsRuntime) WindowCenter()                 { wruntime.WindowCenter(r.ctx) }

func (r wailsRuntime) ScreenSize() (int, int, bool) {
	screens, err := wruntime.ScreenGetAll(r.ctx)
	if err != nil || len(screens) == 0 {
		return 0, 0, false
	}
	pick := screens[0]
	for _, s := range screens {
		if s.IsCurrent {
			pick = s
			break
		}
		if s.IsPrimary {
			pick = s
		}
	}
	return pick.Size.Width, pick.Size.Height, pick.Size.Width > 0 && pick.Size.Height > 0
}

// Before startup (and in a process that never shows a window) there is no
// window: nothing to move, measure or quit.
func (nopRuntime) Quit()                         {}
func (nopRuntime) Info(string, string)           {}
func (nopRuntime) Edit(string)                   {}
func (nopRuntime) OpenFolder(string) error       { return errNoWindow }
func (nopRuntime) OpenFile(string) error         { return errNoWindow }
func (nopRuntime) WindowGetPosition() (int, int) { return 0, 0 }
func (nopRuntime) WindowGetSize() (int, int)     { return 0, 0 }
func (nopRuntime) WindowIsMaximised() bool       { return false }
func (nopRuntime) WindowSetPosition(int, int)    {}
func (nopRuntime) WindowSetSize(int, int)        {}
func (nopRuntime) WindowMaximise()               {}
func (nopRuntime) WindowCenter()                 {}
func (nopRuntime) ScreenSize() (int, int, bool)  { return 0, 0, false }

var errNoWindow = errors.New("no window is open")
