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
// is called name, then names the program (and the class of its windows)
// as window and class; see separateWebKitStorage.
static void bankdesk_webkit_storage(const char *name, const char *window, const char *class) {
	if (!gtk_init_check(NULL, NULL)) {
		return;
	}
	g_set_prgname(name);
	GtkWidget *probe = webkit_web_view_new();
	g_object_ref_sink(probe);
	gtk_widget_destroy(probe);
	g_object_unref(probe);
	g_set_prgname(window);
	gdk_set_program_class(class);
}
*/
import "C"

import (
	"os"
	"runtime"
	"strings"
	"unsafe"
)

// separateWebKitStorage makes WebKitGTK keep its storage under name rather
// than the program's name. WebKit fixes those directories, once per
// process, from g_get_prgname() when the first web view is made, and Wails
// v2 makes its web view before it applies linux.Options.ProgramName, so
// that option cannot move them. Here GTK starts early, a throwaway web
// view is made while the program is called name, and then the program is
// called window before Wails makes its window. That names the window for
// the desktop (WM_CLASS window/Window, Wayland app id window: the launcher
// entry's StartupWMClass and desktop id) whatever the binary's file is
// called: GDK fixes the class at its start, from the program's name then,
// and Wails' ProgramName comes too late for the window it already made.
//
// GTK calls must stay on this thread, the one Wails runs GTK on: Run's
// goroutine, locked here for good (Wails locks it too). GDK_BACKEND is
// chosen as Wails chooses it before its own gtk_init_check, which then
// finds GTK started and does nothing.
func separateWebKitStorage(name, window string) {
	runtime.LockOSThread()
	if os.Getenv("GDK_BACKEND") == "" {
		if s := os.Getenv("XDG_SESSION_TYPE"); s == "" || s == "unspecified" || s == "x11" {
			_ = os.Setenv("GDK_BACKEND", "x11") // fails only for an invalid name
		}
	}
	cname, cwindow, cclass := C.CString(name), C.CString(window), C.CString(strings.ToUpper(window[:1])+window[1:])
	defer C.free(unsafe.Pointer(cname))
	defer C.free(unsafe.Pointer(cwindow))
	defer C.free(unsafe.Pointer(cclass))
	C.bankdesk_webkit_storage(cname, cwindow, cclass)
}
