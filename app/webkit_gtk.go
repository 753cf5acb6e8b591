//go:build linux && (desktop || dev) && !bindings

package app

/*
#cgo linux pkg-config: gtk+-3.0
#cgo !webkit2_41 pkg-config: webkit2gtk-4.0
#cgo webkit2_41 pkg-config: webkit2gtk-4.1

#include <stdlib.h>
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

// bankdesk_webkit_storage creates and drops one web view while the program
// is called name; see separateWebKitStorage.
static void bankdesk_webkit_storage(const char *name) {
	if (!gtk_init_check(NULL, NULL)) {
		return;
	}
	gchar *prgname = g_strdup(g_get_prgname());
	g_set_prgname(name);
	GtkWidget *probe = webkit_web_view_new();
	g_object_ref_sink(probe);
	gtk_widget_destroy(probe);
	g_object_unref(probe);
	g_set_prgname(prgname);
	g_free(prgname);
}
*/
import "C"

import (
	"os"
	"runtime"
	"unsafe"
)

// separateWebKitStorage makes WebKitGTK keep its storage under name rather
// than the program's name. WebKit fixes those directories, once per
// process, from g_get_prgname() when the first web view is made, and Wails
// v2 makes its web view before it applies linux.Options.ProgramName, so
// that option cannot move them. Here GTK starts early, a throwaway web
// view is made while the program is called name, and the old name comes
// back before Wails makes its window, which keeps the window's identity
// (WM_CLASS, Wayland app id: "bankdesk", matching bankdesk.desktop).
//
// GTK calls must stay on this thread, the one Wails runs GTK on: Run's
// goroutine, locked here for good (Wails locks it too). GDK_BACKEND is
// chosen as Wails chooses it before its own gtk_init_check, which then
// finds GTK started and does nothing.
func separateWebKitStorage(name string) {
	runtime.LockOSThread()
	if os.Getenv("GDK_BACKEND") == "" {
		if s := os.Getenv("XDG_SESSION_TYPE"); s == "" || s == "unspecified" || s == "x11" {
			_ = os.Setenv("GDK_BACKEND", "x11") // fails only for an invalid name
		}
	}
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	C.bankdesk_webkit_storage(cname)
}
