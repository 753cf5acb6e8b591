package truelayer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// maxBody bounds a success body. Ten years of transactions for a busy
// account is a few MiB; 64 MiB means something is wrong.
const maxBody = 64 << 20

var errBodyTooLarge = errors.New("response body exceeds 64 MiB")

// bodyReader limits a response body and remembers why reading stopped, so a
// decode failure can be told apart: the connection broke or the body was too
// big (transport), versus the bytes themselves being wrong (content).
type bodyReader struct {
	r   io.Reader
	n   int64 // bytes still allowed
	err error // first read error other than io.EOF
}

func newBodyReader(r io.Reader) *bodyReader { return &bodyReader{r: r, n: maxBody} }

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.n <= 0 {
		b.err = errBodyTooLarge
		return 0, b.err
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}

// closeBody drains a little of what is left, so the connection can be
// reused, and closes it.
func closeBody(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	_ = resp.Body.Close()
}

// decodeFailure classifies an error met while decoding a 2xx body of what
// (e.g. "accounts"):
//   - the body was cut short, the connection broke, or the bytes are not
//     JSON: CodeMalformedResponse, retryable;
//   - the body exceeded maxBody: CodeResponseTooLarge;
//   - valid JSON of the wrong shape: CodeUnexpectedResponse.
func decodeFailure(op string, src source, resp *http.Response, br *bodyReader, what string, err error) *Error {
	if br != nil && br.err != nil {
		err = br.err
	}
	if err == io.EOF {
		// EOF inside a value is a truncated body.
		err = io.ErrUnexpectedEOF
	}
	code := CodeUnexpectedResponse
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, errBodyTooLarge):
		code = CodeResponseTooLarge
	case br != nil && br.err != nil, errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &syntax):
		code = CodeMalformedResponse
	}
	e := &Error{
		Op:          op,
		Code:        code,
		Description: fmt.Sprintf("decode %s: %v", what, err),
		src:         src,
		cause:       err,
	}
	if resp != nil {
		e.Status = resp.StatusCode
		e.CorrelationID = resp.Header.Get("X-TL-Correlation-Id")
	}
	return e
}
