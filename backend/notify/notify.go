// Package notify shows a desktop notification from a process without a
// window (the headless `bankdesk keepalive`): over D-Bus's
// org.freedesktop.Notifications on Linux and the other Unix desktops,
// with osascript on macOS. Where none can be shown, Send says so with an
// error matching ErrUnavailable, and the caller keeps its own record.
package notify

import (
	"context"
	"errors"
	"time"
)

// Notification is what the user sees: a title and one or two sentences.
type Notification struct {
	Title, Body string
}

// AppName and Icon name the sender to the notification service; Icon is
// the launcher entry's icon (build/linux/bankdesk.desktop).
const (
	AppName = "Bankdesk"
	Icon    = "bankdesk"
)

// Timeout bounds one Send when ctx has no earlier deadline: a notification
// service that takes the call and never answers must not hold up the job.
const Timeout = 5 * time.Second

// ErrUnavailable is what every failed Send matches: no session bus, no
// notification service on it, no answer in time, or a system Bankdesk
// cannot notify on.
var ErrUnavailable = errors.New("no desktop notification service")

// UnavailableError is a Send that showed nothing: Why says what was
// missing, Err is the cause (context.DeadlineExceeded when the service did
// not answer in time, errors.ErrUnsupported on a system without a way).
type UnavailableError struct {
	Why string
	Err error
}

func (e *UnavailableError) Error() string {
	if e.Err == nil {
		return "desktop notification not shown: " + e.Why
	}
	return "desktop notification not shown: " + e.Why + ": " + e.Err.Error()
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// Is makes every UnavailableError match ErrUnavailable.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Send shows n and returns once the system took it, or failed to, within
// Timeout at most.
func Send(ctx context.Context, n Notification) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	err := send(ctx, n)
	switch {
	case err == nil:
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &UnavailableError{Why: "the notification service did not answer in time", Err: ctx.Err()}
	case ctx.Err() != nil:
		return &UnavailableError{Why: "interrupted", Err: ctx.Err()}
	}
	return err
}
