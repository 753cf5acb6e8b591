package app

import (
	"fmt"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"

	"bankdesk/backend/cli"
	"bankdesk/backend/view"
)

// The web view's editing commands the Edit menu runs where Wails has no
// Edit role (Linux, Windows): document.execCommand's names.
const (
	editCut       = "cut"
	editCopy      = "copy"
	editPaste     = "paste"
	editSelectAll = "selectAll"
)

// menuActions are what the app menu's items do; buildMenu only lays them
// out, so a test can walk the menu and press each item.
type menuActions struct {
	Export         func()
	Show           func(screen string) // a View item, and Settings
	Quit           func()
	About          func()
	OpenDataFolder func()
	Edit           func(command string) // Cut, Copy, Paste, Select All
}

// viewItems are the View menu's screens, in the navigation's order (its
// Alt+1…5 keys are the frontend's; these are Ctrl/Cmd+1…5).
var viewItems = []struct{ label, screen string }{
	{"Overview", view.ScreenOverview},
	{"Transactions", view.ScreenTransactions},
	{"Spending", view.ScreenSpending},
	{"Connections", view.ScreenConnections},
	{"Settings", view.ScreenSettings},
}

// buildMenu is the app menu for goos, following its conventions. On macOS
// the application menu comes first (About, Hide, Quit with Cmd+Q: Wails'
// AppMenu role) and Edit is the system's (EditMenu role, with its keys).
// Elsewhere Wails has no roles: File ends with Quit (Exit on Windows)
// and Ctrl+Q, and Edit's items carry no accelerator, so Ctrl+C, Ctrl+V
// and Ctrl+A stay the web view's own, in every text field.
func buildMenu(goos string, do menuActions) *menu.Menu {
	m := menu.NewMenu()
	mac := goos == "darwin"
	if mac {
		m.Append(menu.AppMenu())
	}
	file := m.AddSubmenu("File")
	file.AddText("Export…", keys.CmdOrCtrl("e"), func(*menu.CallbackData) { do.Export() })
	file.AddText("Settings…", keys.CmdOrCtrl(","), func(*menu.CallbackData) { do.Show(view.ScreenSettings) })
	if !mac {
		quit := "Quit"
		if goos == "windows" {
			quit = "Exit"
		}
		file.AddSeparator()
		file.AddText(quit, keys.CmdOrCtrl("q"), func(*menu.CallbackData) { do.Quit() })
	}

	if mac {
		m.Append(menu.EditMenu())
	} else {
		edit := m.AddSubmenu("Edit")
		for _, c := range []struct{ label, command string }{{"Cut", editCut}, {"Copy", editCopy}, {"Paste", editPaste}} {
			edit.AddText(c.label, nil, func(*menu.CallbackData) { do.Edit(c.command) })
		}
		edit.AddSeparator()
		edit.AddText("Select All", nil, func(*menu.CallbackData) { do.Edit(editSelectAll) })
	}

	screens := m.AddSubmenu("View")
	for i, v := range viewItems {
		screens.AddText(v.label, keys.CmdOrCtrl(fmt.Sprint(i+1)), func(*menu.CallbackData) { do.Show(v.screen) })
	}

	if mac {
		m.Append(menu.WindowMenu())
	}
	help := m.AddSubmenu("Help")
	help.AddText("About Bankdesk", nil, func(*menu.CallbackData) { do.About() })
	help.AddText("Open Data Folder", nil, func(*menu.CallbackData) { do.OpenDataFolder() })
	return m
}

// appMenu is the window's menu: each item asks the runtime, or tells the
// frontend which screen or form to show.
func (a *App) appMenu(goos string) *menu.Menu {
	return buildMenu(goos, menuActions{
		Export: func() { a.runtime().EventsEmit(view.EventExport) },
		Show:   func(screen string) { a.runtime().EventsEmit(view.EventNavigate, view.Navigate{Screen: screen}) },
		Quit:   func() { a.runtime().Quit() },
		About:  func() { a.runtime().Info("About Bankdesk", a.about()) },
		OpenDataFolder: func() {
			if err := a.OpenDataFolder(); err != nil {
				a.log.Warn("cannot open the data folder", "dir", a.cfg.DataDir, "err", err)
				a.runtime().Info("Data folder", "Bankdesk could not open its data folder. It is here:\n"+a.cfg.DataDir)
			}
		},
		Edit: func(command string) { a.runtime().Edit(command) },
	})
}

// about is the About box's text: the version and where the data is.
func (a *App) about() string {
	return fmt.Sprintf("Bankdesk %s\nYour bank accounts, encrypted on your own disk.\n\nData folder: %s", cli.Version, a.cfg.DataDir)
}
