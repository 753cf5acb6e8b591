//go:build linux && (desktop || dev) && !bindings

package app

/*
#cgo linux pkg-config: gtk+-3.0
#cgo !webkit2_41 pkg-config: webkit2gtk-4.0
#cgo webkit2_41 pkg-config: webkit2gtk-4.1

#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

static void bankdesk_find_view(GtkWidget *w, gpointer data) {
	WebKitWebView **view = data;
	if (*view != NULL) {
		return;
	}
	if (WEBKIT_IS_WEB_VIEW(w)) {
		*view = WEBKIT_WEB_VIEW(w);
	} else if (GTK_IS_CONTAINER(w)) {
		gtk_container_forall(GTK_CONTAINER(w), bankdesk_find_view, data);
	}
}

static const char *bankdesk_edit_commands[] = {
	WEBKIT_EDITING_COMMAND_CUT, WEBKIT_EDITING_COMMAND_COPY, WEBKIT_EDITING_COMMAND_PASTE, WEBKIT_EDITING_COMMAND_SELECT_ALL,
};

// bankdesk_edit_now runs on GTK's thread: the window's one web view
// executes the command on its focused element, as its own keys do.
static gboolean bankdesk_edit_now(gpointer data) {
	WebKitWebView *view = NULL;
	GList *tops = gtk_window_list_toplevels();
	for (GList *l = tops; l != NULL && view == NULL; l = l->next) {
		bankdesk_find_view(GTK_WIDGET(l->data), &view);
	}
	g_list_free(tops);
	if (view != NULL) {
		webkit_web_view_execute_editing_command(view, bankdesk_edit_commands[GPOINTER_TO_INT(data)]);
	}
	return G_SOURCE_REMOVE;
}

static void bankdesk_edit(int command) {
	g_idle_add(bankdesk_edit_now, GINT_TO_POINTER(command));
}
*/
import "C"

import "context"

// webViewEdit runs an Edit menu command in WebKitGTK. A script's
// document.execCommand("copy") is refused there (it needs a user's key
// press or click inside the page), so the command goes to the web view
// itself, on GTK's thread (menu callbacks run on their own goroutine).
func webViewEdit(_ context.Context, command string) {
	for i, c := range []string{editCut, editCopy, editPaste, editSelectAll} {
		if c == command {
			C.bankdesk_edit(C.int(i))
			return
		}
	}
}
