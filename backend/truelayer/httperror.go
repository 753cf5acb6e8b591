package truelayer

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxErrorBody bounds how much of an error body is read; error bodies are
// small and anything bigger is not a TrueLayer error document.
const maxErrorBody = 1 << 20

// errorBody is the union of TrueLayer's two error shapes: the classic
// {"error","error_description","error_details"} and Problem+JSON (RFC 7807)
// from connections/extend.
type errorBody struct {
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	ErrorDetails     json.RawMessage `json:"error_details"`

	Type     string          `json:"type"`
	Title    string          `json:"title"`
	Detail   string          `json:"detail"`
	Instance string          `json:"instance"`
	TraceID  string          `json:"trace_id"`
	Errors   json.RawMessage `json:"errors"` // object in examples, array in the schema
}

// responseError turns a non-2xx response into an *Error. It reads (and the
// caller closes) at most maxErrorBody bytes.
func responseError(op string, src source, resp *http.Response) *Error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return errorFromBody(op, src, resp.StatusCode, resp.Header, body)
}

// errorFromBody builds an *Error from a status, headers and an error body of
// either shape. A body that is not JSON (a proxy's HTML page) still yields an
// Error with the status; its text is not copied, as it is not ours to show.
func errorFromBody(op string, src source, status int, h http.Header, body []byte) *Error {
	e := &Error{Op: op, Status: status, src: src}
	if h != nil {
		e.CorrelationID = h.Get("X-TL-Correlation-Id")
		e.RetryAfter, e.hasRetryAfter = parseRetryAfter(h.Get("Retry-After"), time.Now())
	}
	var eb errorBody
	if len(body) == 0 || json.Unmarshal(body, &eb) != nil {
		return e
	}
	switch {
	case eb.Error != "":
		e.Code = eb.Error
		e.Description = eb.ErrorDescription
		e.Details = nonEmptyJSON(eb.ErrorDetails)
	case eb.Title != "" || eb.Type != "":
		e.Code = problemCode(status)
		e.Description = eb.Detail
		if e.Description == "" {
			e.Description = eb.Title
		}
		e.Details = nonEmptyJSON(eb.Errors)
		e.ProblemType, e.Title, e.TraceID, e.Instance = eb.Type, eb.Title, eb.TraceID, eb.Instance
	default:
		e.Description = eb.ErrorDescription
	}
	return e
}

// problemCode derives a stable snake_case code for a Problem+JSON error,
// whose title is prose ("One or more validation errors occurred.").
func problemCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "validation_error"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "access_denied"
	case http.StatusUnprocessableEntity:
		return "unprocessable_entity"
	}
	if t := http.StatusText(status); t != "" {
		return strings.ToLower(strings.NewReplacer(" ", "_", "-", "_", "'", "").Replace(t))
	}
	return ""
}

// nonEmptyJSON drops null, {} and [] so that Details is nil when there is
// nothing to say (TrueLayer sends "error_details": {} on almost every error).
func nonEmptyJSON(raw json.RawMessage) json.RawMessage {
	t := bytes.TrimSpace(raw)
	switch string(t) {
	case "", "null", "{}", "[]":
		return nil
	}
	if len(t) >= 2 && (t[0] == '{' || t[0] == '[') && len(bytes.TrimSpace(t[1:len(t)-1])) == 0 {
		return nil
	}
	return append(json.RawMessage(nil), t...)
}

// maxRetryAfterSecs caps absurd Retry-After values (and keeps the Duration
// from overflowing).
const maxRetryAfterSecs = 7 * 24 * 60 * 60

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3). A date in the past means "now".
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, maxRetryAfterSecs)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
