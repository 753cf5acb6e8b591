package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"

	"bankdesk/backend/cli"
	"bankdesk/backend/view"
)

// item finds the menu item at path (labels, top level first).
func item(t *testing.T, m *menu.Menu, path ...string) *menu.MenuItem {
	t.Helper()
	for i, label := range path {
		var found *menu.MenuItem
		for _, it := range m.Items {
			if it.Label == label {
				found = it
			}
		}
		if found == nil {
			t.Fatalf("menu has no %q", strings.Join(path[:i+1], " > "))
		}
		if i == len(path)-1 {
			return found
		}
		m = found.SubMenu
	}
	return nil
}

// shortcut is how goos shows an item's accelerator ("" for none).
func shortcut(it *menu.MenuItem, goos string) string {
	if it.Accelerator == nil {
		return ""
	}
	return keys.Stringify(it.Accelerator, goos)
}

// labels lists a menu's items as "Label [Shortcut]", roles as "(role N)"
// and separators as "-".
func labels(m *menu.Menu, goos string) []string {
	var out []string
	for _, it := range m.Items {
		switch {
		case it.Role != 0:
			out = append(out, "(role)")
		case it.Type == menu.SeparatorType:
			out = append(out, "-")
		case shortcut(it, goos) != "":
			out = append(out, it.Label+" ["+shortcut(it, goos)+"]")
		default:
			out = append(out, it.Label)
		}
	}
	return out
}

func noActions() menuActions {
	return menuActions{Export: func() {}, Show: func(string) {}, Quit: func() {}, About: func() {}, OpenDataFolder: func() {}, Edit: func(string) {}}
}

// Linux and Windows: File, Edit, View, Help, with Ctrl+Q on Quit (Exit on
// Windows); the Edit items leave Ctrl+C, Ctrl+V and Ctrl+A to the web view.
func TestMenuLinuxAndWindows(t *testing.T) {
	for goos, quit := range map[string]string{"linux": "Quit", "windows": "Exit"} {
		m := buildMenu(goos, noActions())
		want := map[string][]string{
			"":     {"File", "Edit", "View", "Help"},
			"File": {"Export… [Ctrl+E]", "Settings… [Ctrl+,]", "-", quit + " [Ctrl+Q]"},
			"Edit": {"Cut", "Copy", "Paste", "-", "Select All"},
			"View": {"Overview [Ctrl+1]", "Transactions [Ctrl+2]", "Spending [Ctrl+3]", "Connections [Ctrl+4]", "Settings [Ctrl+5]"},
			"Help": {"About Bankdesk", "Open Data Folder"},
		}
		for sub, items := range want {
			got := labels(m, goos)
			if sub != "" {
				got = labels(item(t, m, sub).SubMenu, goos)
			}
			if strings.Join(got, " | ") != strings.Join(items, " | ") {
				t.Errorf("%s %q menu = %q, want %q", goos, sub, got, items)
			}
		}
	}
}

// macOS: the application menu first (its Quit is Cmd+Q), the system's Edit
// and Window menus, and Cmd for every shortcut.
func TestMenuMac(t *testing.T) {
	m := buildMenu("darwin", noActions())
	if len(m.Items) != 6 || m.Items[0].Role != menu.AppMenuRole || m.Items[2].Role != menu.EditMenuRole || m.Items[4].Role != menu.WindowMenuRole {
		t.Fatalf("top level = %q, want the app menu, File, Edit, View, Window, Help", labels(m, "darwin"))
	}
	for sub, items := range map[string][]string{
		"File": {"Export… [Cmd+E]", "Settings… [Cmd+,]"},
		"View": {"Overview [Cmd+1]", "Transactions [Cmd+2]", "Spending [Cmd+3]", "Connections [Cmd+4]", "Settings [Cmd+5]"},
		"Help": {"About Bankdesk", "Open Data Folder"},
	} {
		if got := labels(item(t, m, sub).SubMenu, "darwin"); strings.Join(got, " | ") != strings.Join(items, " | ") {
			t.Errorf("%q menu = %q, want %q", sub, got, items)
		}
	}
}

// No shortcut is given twice on any platform.
func TestMenuShortcutsAreUnique(t *testing.T) {
	for _, goos := range []string{"linux", "windows", "darwin"} {
		seen := map[string]string{}
		var walk func(*menu.Menu)
		walk = func(m *menu.Menu) {
			for _, it := range m.Items {
				if s := shortcut(it, goos); s != "" {
					if other, dup := seen[s]; dup {
						t.Errorf("%s: %s is both %q and %q", goos, s, other, it.Label)
					}
					seen[s] = it.Label
				}
				if it.SubMenu != nil {
					walk(it.SubMenu)
				}
			}
		}
		walk(buildMenu(goos, noActions()))
	}
}

// press clicks a menu item as Wails does.
func press(t *testing.T, m *menu.Menu, path ...string) {
	t.Helper()
	it := item(t, m, path...)
	it.Click(&menu.CallbackData{MenuItem: it})
}

// Each item does what it says: Quit quits, a View item and Settings ask the
// frontend for their screen, Export for the export form, Edit runs the web
// view's command, Help shows the version and opens the data folder.
func TestMenuItemsAct(t *testing.T) {
	a, rt := newTestApp(t)
	m := a.appMenu("linux")

	press(t, m, "File", "Quit")
	if rt.quits != 1 {
		t.Fatalf("Quit called the runtime's Quit %d times", rt.quits)
	}
	press(t, m, "View", "Transactions")
	press(t, m, "View", "Spending")
	press(t, m, "File", "Settings…")
	press(t, m, "File", "Export…")
	want := []string{
		view.EventNavigate + ` [{"screen":"transactions"}]`,
		view.EventNavigate + ` [{"screen":"spending"}]`,
		view.EventNavigate + ` [{"screen":"settings"}]`,
		view.EventExport + " null",
	}
	if strings.Join(rt.events, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events = %q, want %q", rt.events, want)
	}

	press(t, m, "Edit", "Copy")
	press(t, m, "Edit", "Select All")
	if strings.Join(rt.edits, ",") != "copy,selectAll" {
		t.Fatalf("edits = %q", rt.edits)
	}

	press(t, m, "Help", "About Bankdesk")
	if len(rt.infos) != 1 || !strings.Contains(rt.infos[0], "Bankdesk "+cli.Version) || !strings.Contains(rt.infos[0], a.cfg.DataDir) {
		t.Fatalf("About = %q, want the version %s and the data folder", rt.infos, cli.Version)
	}
	press(t, m, "Help", "Open Data Folder")
	if len(rt.folders) != 1 || rt.folders[0] != a.cfg.DataDir {
		t.Fatalf("opened %q, want the data folder %s", rt.folders, a.cfg.DataDir)
	}
	// Where the folder cannot be opened, the user is told where it is.
	rt.folderErr = true
	press(t, m, "Help", "Open Data Folder")
	if len(rt.infos) != 2 || !strings.Contains(rt.infos[1], a.cfg.DataDir) {
		t.Fatalf("a failed open said %q", rt.infos)
	}
}

// The View menu's screens are screens the frontend has.
func TestMenuScreensAreTheFrontends(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "frontend", "src", "lib", "session.svelte.ts"))
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`export type Screen = ([^\n]+)`).FindSubmatch(src)
	if decl == nil {
		t.Fatal("session.svelte.ts declares no Screen type")
	}
	for _, v := range viewItems {
		if !strings.Contains(string(decl[1]), "'"+v.screen+"'") {
			t.Errorf("the frontend has no screen %q (Screen = %s)", v.screen, decl[1])
		}
	}
}

func TestFolderOpener(t *testing.T) {
	for goos, want := range map[string]string{"linux": "xdg-open /d", "freebsd": "xdg-open /d", "darwin": "open /d", "windows": "explorer /d"} {
		if got := strings.Join(folderOpener(goos, "/d").Args, " "); got != want {
			t.Errorf("%s: %q, want %q", goos, got, want)
		}
	}
}
