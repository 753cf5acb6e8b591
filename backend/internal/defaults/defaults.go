// Package defaults owns what the services' optional dependencies mean when
// left unset: no clock is the wall clock, no logger logs nothing. Each
// service (connect, consent, tokens, syncer) reads its fields through it
// rather than deciding again.
package defaults

import (
	"log/slog"
	"time"
)

// Now is now(), or the wall clock's time when now is nil.
func Now(now func() time.Time) time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}

// Log is l, or a logger that discards everything when l is nil.
func Log(l *slog.Logger) *slog.Logger {
	if l != nil {
		return l
	}
	return slog.New(slog.DiscardHandler)
}
