package truelayer

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"
)

// retryableCodes are TrueLayer codes that describe a transient condition
// whatever the HTTP status; async tasks report them with a 200 poll.
var retryableCodes = map[string]bool{
	"provider_too_many_requests": true,
	"internal_server_error":      true,
	"provider_error":             true,
	"temporarily_unavailable":    true,
	"connector_overload":         true,
	"connector_timeout":          true,
	"provider_timeout":           true,
	CodeMalformedResponse:        true,
	CodeAsyncTimeout:             true,
}

// IsRetryable reports whether trying the same call again later may succeed:
//   - 408, 429 and 5xx except 501 (not implemented is permanent);
//   - but not 429 provider_request_limit_exceeded: that is the PSD2 cap of
//     four unattended calls a day, which a retry only burns further; retry
//     with the user present (WithPSUIP) or tomorrow;
//   - transient TrueLayer codes (provider_error, connector_timeout, ...),
//     also when an async task failed with them;
//   - network timeouts, connection resets, truncated or non-JSON bodies.
//
// Cancellation (context.Canceled) is never retryable. A deadline is (it may
// be the HTTP client's own timeout): retry loops must check their context.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		switch {
		case e.Code == "provider_request_limit_exceeded":
			return false
		case retryableCodes[e.Code]:
			return true
		case e.Status == http.StatusNotImplemented:
			return false
		case e.Status == http.StatusRequestTimeout, e.Status == http.StatusTooManyRequests, e.Status >= 500:
			return true
		}
		if e.cause == nil {
			return false
		}
		// A response was read but the read broke: fall through to the
		// transport checks on the cause.
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	// The server closed a kept-alive connection before answering.
	return errors.Is(err, io.EOF)
}

// RetryAfter returns the wait the server asked for with Retry-After (seconds
// or an HTTP date, already converted to a duration when the response
// arrived).
func RetryAfter(err error) (time.Duration, bool) {
	var e *Error
	if errors.As(err, &e) && e.hasRetryAfter {
		return e.RetryAfter, true
	}
	return 0, false
}

// NeedsReconnect reports whether the user must go through the auth dialog
// again; refreshing will not help:
//   - invalid_grant (refresh token expired/revoked, typically the 90-day
//     consent lapse; TrueLayer sends it with 400, not 401);
//   - access_denied (403 on data: consent expired or revoked);
//   - 401 invalid_request from /connect/token ("Invalid refresh_token");
//   - any 403 on /me except sca_exceeded: /me needs no scope, so a 403
//     there means the consent itself is gone;
//   - 401 or 422 from connections/extend (refresh token invalid, or
//     "This connection cannot be extended");
//   - the mock bank's wrong_credentials and user_input_required.
func NeedsReconnect(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case "invalid_grant", "access_denied", "wrong_credentials", "user_input_required":
		return true
	}
	switch e.src {
	case srcToken:
		return e.Status == http.StatusUnauthorized && e.Code == "invalid_request"
	case srcExtend:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusUnprocessableEntity
	case srcData:
		return e.Status == http.StatusForbidden && e.Code != "sca_exceeded" && e.Op == "GET "+dataPrefix+"/me"
	}
	return false
}

// IsUnauthorized reports a 401 from the Data API or auth API calls that take
// an access token (invalid_token, unauthorized): the access token expired,
// so refresh it once and retry. Token-endpoint and extend 401s are excluded
// because refreshing cannot fix them.
func IsUnauthorized(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusUnauthorized {
		return false
	}
	if e.src != srcData && e.src != srcAuth {
		return false
	}
	switch e.Code {
	case "", "invalid_token", "unauthorized":
		return true
	}
	return false
}

// IsSCAExceeded reports 403 sca_exceeded: the 5-minute window after the user
// authenticated has passed, so deep history (older than 90 days) or some
// endpoints are no longer readable. Recent data still works.
func IsSCAExceeded(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == "sca_exceeded"
}

// IsNotSupported reports 501 or endpoint_not_supported: the provider does
// not offer this endpoint; treat it as "not applicable", not as a failure.
func IsNotSupported(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Status == http.StatusNotImplemented || e.Code == "endpoint_not_supported")
}

// IsRequestLimitExceeded reports 429 provider_request_limit_exceeded, the
// PSD2 limit of four unattended calls per day and endpoint.
func IsRequestLimitExceeded(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == "provider_request_limit_exceeded"
}

// IsDateRangeRefused reports 400 invalid_date_range: the bank will not
// answer for these dates, typically because from is before the earliest
// day it keeps ("Check the Supported Providers page in Console for
// bank-specific requirements", https://docs.truelayer.com/docs/error-codes-1).
// Asking again will not help; a later from may.
func IsDateRangeRefused(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == "invalid_date_range"
}

// IsRateLimited reports a 429 that asks the caller to slow down (not the
// PSD2 daily cap, IsRequestLimitExceeded): every call to that bank should
// wait, not just the one that got it.
func IsRateLimited(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusTooManyRequests && e.Code != "provider_request_limit_exceeded"
}
