package truelayer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// maxTokenBody matches x/oauth2's own read limit for token responses.
const maxTokenBody = 1 << 20

// tokenTransport wraps the transport x/oauth2 uses for /connect/token.
//
// x/oauth2 reads the token response itself and reports a broken read or a
// non-JSON 2xx body as an untyped error (formatted with %v, so nothing can
// be unwrapped), which would make a truncated answer indistinguishable from
// a permanent failure. So this transport reads the body first and turns
// those cases into a *bodyError that survives x/oauth2 (transport errors are
// passed through, wrapped only in *url.Error). It also sets User-Agent.
type tokenTransport struct {
	base      http.RoundTripper
	userAgent string
}

// bodyError is a token response whose body could not be used.
type bodyError struct {
	resp *http.Response // status and headers; the body is closed
	err  error
}

func (e *bodyError) Error() string { return fmt.Sprintf("read token response: %v", e.err) }
func (e *bodyError) Unwrap() error { return e.err }

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context()) // a RoundTripper must not modify its request
	req.Header.Set("User-Agent", t.userAgent)
	req.Header.Set("Accept", "application/json")
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	br := &bodyReader{r: resp.Body, n: maxTokenBody}
	body, err := io.ReadAll(br)
	_ = resp.Body.Close() // read in full above
	if err == nil && br.err != nil {
		err = br.err
	}
	ok := isSuccess(resp.StatusCode)
	if err != nil && ok {
		return nil, &bodyError{resp: resp, err: err}
	}
	// An error status with a broken body still goes to x/oauth2: the status
	// is what matters there.
	if ok && expectsJSON(resp.Header.Get("Content-Type")) {
		if err := json.Unmarshal(body, new(json.RawMessage)); err != nil {
			return nil, &bodyError{resp: resp, err: err}
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// expectsJSON mirrors x/oauth2: it parses form-encoded and text/plain token
// responses as a query string and everything else as JSON.
func expectsJSON(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt != "application/x-www-form-urlencoded" && mt != "text/plain"
}
