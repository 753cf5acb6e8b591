package truelayer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

var errNoAccessToken = errors.New("missing access token")

// newRequest builds a request carrying the headers every call shares.
// accessToken may be empty for unauthenticated endpoints.
func (c *Client) newRequest(ctx context.Context, method, url, accessToken string, body io.Reader, o callOptions) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if accessToken != "" {
		req.Header.Set("Authorization", "Bearer "+accessToken)
	}
	if o.psuIP != "" {
		req.Header.Set("X-PSU-IP", o.psuIP)
	}
	if o.correlationID != "" {
		req.Header.Set("X-Client-Correlation-Id", o.correlationID)
	}
	return req, nil
}

// send performs req. Transport errors are wrapped with op; the URL inside a
// *url.Error carries no secrets (tokens travel in headers and bodies only).
func (c *Client) send(op string, req *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("truelayer: %s: %w", op, err)
	}
	return resp, nil
}

func isSuccess(status int) bool { return status >= 200 && status <= 299 }
