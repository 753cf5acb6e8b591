package notify

import (
	"context"
	"errors"
)

// send has no way on Windows yet: a toast needs an application identity
// the installer does not register, so it would fail silently. The caller
// keeps its own record (the log) instead.
func send(context.Context, Notification) error {
	return &UnavailableError{Why: "not supported on Windows yet", Err: errors.ErrUnsupported}
}
