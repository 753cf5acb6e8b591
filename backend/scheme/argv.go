package scheme

import (
	"os"
	"sync"
)

var hideOnce sync.Once

// HideCallbackArgs keeps authorisation codes out of the process list. The
// OS hands a bankdesk:// link to its handler as an argument (the .desktop
// file's "Exec=... %u"), and a person may run `bankdesk callback URL`;
// Linux shows every process's arguments to every local user
// (/proc/PID/cmdline, ps) for as long as it runs, and the link carries the
// bank's code. Call it first thing in main, before anything reads os.Args:
// os.Args keeps private copies, and the bytes the kernel shows get the
// link's query overwritten. The link is then visible only between exec and
// main. Elsewhere it does nothing: macOS delivers links in an Apple Event,
// not in arguments (SECURITY.md says what remains on Windows).
func HideCallbackArgs() { hideOnce.Do(func() { hideArgs(os.Args) }) }
