package scheme

import (
	"strings"
	"unsafe"

	"bankdesk/backend/callback"
)

// hideArgs replaces each callback URL in args, which must be the
// runtime's own os.Args, by a copy, and overwrites the original's query.
// The runtime does not copy the arguments (runtime.goargs uses
// gostringnocopy): each string's bytes are the process's argv area, which
// is what /proc/PID/cmdline reads. Lengths stay the same, so the kernel's
// view keeps its shape: "bankdesk://callback?xxxx".
func hideArgs(args []string) {
	for i, a := range args {
		q := strings.IndexByte(a, '?')
		if q < 0 || !callback.IsCallbackURL(a) {
			continue
		}
		args[i] = strings.Clone(a)
		b := unsafe.Slice(unsafe.StringData(a), len(a))
		for j := q + 1; j < len(b); j++ {
			b[j] = 'x'
		}
	}
}
