package truelayer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Codes this package sets itself when TrueLayer gave none.
const (
	// CodeMalformedResponse: a 2xx body was truncated or not JSON. Retryable.
	CodeMalformedResponse = "malformed_response"
	// CodeUnexpectedResponse: a 2xx body was JSON of the wrong shape, or
	// empty where a result was required. Not retryable.
	CodeUnexpectedResponse = "unexpected_response"
	// CodeResponseTooLarge: the body exceeded the read limit.
	CodeResponseTooLarge = "response_too_large"
	// CodeAsyncFailed: an async task ended Failed without an error code.
	CodeAsyncFailed = "async_failed"
	// CodeAsyncTimeout: an async task did not finish within PollTimeout.
	CodeAsyncTimeout = "async_timeout"
)

// Error is the one error type of this package: a non-2xx response, a
// failed async task or an unusable response body. Callers usually branch on
// the classifiers (IsRetryable, NeedsReconnect, ...) rather than the fields.
type Error struct {
	// Op is the method and path, e.g. "GET /data/v1/accounts". It never
	// contains secrets.
	Op     string
	Status int // HTTP status; 0 when there was no response (e.g. async timeout)
	// Code is TrueLayer's `error` (e.g. "sca_exceeded"), a code derived from
	// the status for Problem+JSON bodies, or one of the Code* constants.
	Code        string
	Description string          // error_description, or Problem detail
	Details     json.RawMessage // error_details or Problem errors, any shape; nil if empty
	// CorrelationID is the X-TL-Correlation-Id response header; quote it to
	// TrueLayer support.
	CorrelationID string
	RetryAfter    time.Duration // from Retry-After; see RetryAfter()

	// Problem+JSON fields (connections/extend).
	ProblemType, Title, TraceID, Instance string

	hasRetryAfter bool
	src           source
	cause         error
}

// source records which TrueLayer API produced an error, because the same
// status means different things on each (a 401 from /connect/token cannot be
// fixed by refreshing).
type source uint8

const (
	srcData   source = iota // Data API /data/v1
	srcToken                // /connect/token
	srcExtend               // connections/extend
	srcAuth                 // other auth-server endpoints
)

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("truelayer: ")
	b.WriteString(e.Op)
	b.WriteString(":")
	if e.Status != 0 {
		b.WriteString(" ")
		b.WriteString(strconv.Itoa(e.Status))
	}
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	desc := e.Description
	if desc == "" && e.Code == "" {
		desc = http.StatusText(e.Status)
	}
	if desc != "" {
		if e.Code != "" {
			b.WriteString(":")
		}
		b.WriteString(" ")
		b.WriteString(desc)
	}
	if e.CorrelationID != "" {
		fmt.Fprintf(&b, " (correlation id %s)", e.CorrelationID)
	}
	if e.TraceID != "" {
		fmt.Fprintf(&b, " (trace id %s)", e.TraceID)
	}
	return b.String()
}

// Unwrap returns the underlying cause (a decode or read error), if any.
func (e *Error) Unwrap() error { return e.cause }
