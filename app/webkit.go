package app

import (
	"os"
	"path/filepath"
	"runtime"

	"bankdesk/backend/launcher"
)

// webKitName is the program name WebKitGTK keeps the GUI webview's own
// storage under: $XDG_DATA_HOME/bankdesk-webview (HSTS list, local storage,
// media keys) and $XDG_CACHE_HOME/bankdesk-webview. WebKit names both after
// the program, which is "bankdesk" (the binary's name) when it creates the
// webview, so without this its files landed in the default data dir,
// ~/.local/share/bankdesk, and made that directory 0755 on a first start.
// The frontend keeps nothing in WebKit storage, so moving it loses nothing.
const webKitName = "bankdesk-webview"

// oldWebKitFiles are what WebKit put in the data dir before webKitName:
// regular files, then directories. Bankdesk never uses these names.
var oldWebKitFiles = [][]string{
	{"hsts-storage.sqlite", "hsts-storage.sqlite-journal", "hsts-storage.sqlite-wal", "hsts-storage.sqlite-shm"},
	{"storage", "mediakeys", "localstorage"},
}

// keepWebKitOut runs before the window is made. It sends WebKit's storage
// to webKitName (see separateWebKitStorage), in directories created private
// (WebKit would make them 0755), and removes what an older Bankdesk let
// WebKit write into the data dir: only when the data dir is where WebKit
// put them, the default one, and only WebKit's names, so a data dir chosen
// with BANKDESK_DATA_DIR is never touched here. exe is the program's
// argv[0], which GTK names the program after.
func keepWebKitOut(dataDir, exe string, getenv func(string) string) {
	if runtime.GOOS != "linux" {
		return
	}
	data, cache := xdgDir(getenv, "XDG_DATA_HOME", ".local/share"), xdgDir(getenv, "XDG_CACHE_HOME", ".cache")
	if data != "" && dataDir != "" && filepath.Clean(dataDir) == filepath.Join(data, filepath.Base(exe)) {
		for i, names := range oldWebKitFiles {
			for _, name := range names {
				path := filepath.Join(dataDir, name)
				if info, err := os.Lstat(path); err == nil && (i == 0 && info.Mode().IsRegular() || i == 1 && info.IsDir()) {
					_ = os.RemoveAll(path) // best effort: a leftover is only clutter
				}
			}
		}
	}
	for _, base := range []string{data, cache} {
		if base != "" {
			_ = os.MkdirAll(filepath.Join(base, webKitName), 0o700) // best effort: WebKit creates what is missing
		}
	}
	separateWebKitStorage(webKitName, launcher.WMClass)
}

// xdgDir is an XDG base directory as GLib reads it: the variable when it
// is an absolute path, else under HOME.
func xdgDir(getenv func(string) string, name, underHome string) string {
	if d := getenv(name); filepath.IsAbs(d) {
		return filepath.Clean(d)
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, underHome)
	}
	return ""
}
