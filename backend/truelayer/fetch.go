package truelayer

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// resource names one Data API GET: its path under /data/v1, its query and
// what it fetches, for error messages.
type resource struct {
	path  string
	query url.Values
	what  string
}

// fetchResults GETs a Data API resource and returns its results, following
// an async task to completion when the server answers 202.
func fetchResults[T any](ctx context.Context, c *Client, accessToken string, r resource, opts []CallOption) ([]T, error) {
	op := "GET " + dataPrefix + r.path
	if accessToken == "" {
		return nil, fmt.Errorf("truelayer: %s: %w", op, errNoAccessToken)
	}
	o := collect(opts)
	q := r.query
	if o.async {
		if q == nil {
			q = url.Values{}
		}
		q.Set("async", "true")
	}
	u := c.apiURL + dataPrefix + r.path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	env, meta, err := getEnvelope[T](ctx, c, accessToken, u, op, r.what, o)
	if err != nil {
		return nil, err
	}
	return awaitResults(ctx, c, accessToken, op, r.what, o, env, meta)
}

// responseMeta is what an async failure needs from the response that
// reported it.
type responseMeta struct {
	status        int
	correlationID string
}

// getEnvelope performs one GET and decodes the envelope of a 2xx answer.
func getEnvelope[T any](ctx context.Context, c *Client, accessToken, u, op, what string, o callOptions) (*envelope[T], responseMeta, error) {
	req, err := c.newRequest(ctx, http.MethodGet, u, accessToken, nil, o)
	if err != nil {
		return nil, responseMeta{}, fmt.Errorf("truelayer: %s: %w", op, err)
	}
	resp, err := c.send(op, req)
	if err != nil {
		return nil, responseMeta{}, err
	}
	defer closeBody(resp)
	meta := responseMeta{status: resp.StatusCode, correlationID: resp.Header.Get("X-TL-Correlation-Id")}
	if !isSuccess(resp.StatusCode) {
		return nil, meta, responseError(op, srcData, resp)
	}
	env := new(envelope[T])
	if resp.StatusCode == http.StatusNoContent {
		return env, meta, nil
	}
	br := newBodyReader(resp.Body)
	if err := decodeEnvelope(br, env); err != nil {
		return nil, meta, decodeFailure(op, srcData, resp, br, what, err)
	}
	return env, meta, nil
}

// first returns the single result of an endpoint that wraps one object in
// the results array (/me, /accounts/{id}, balances).
func first[T any](op, what string, list []T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, &Error{Op: op, Status: http.StatusOK, Code: CodeUnexpectedResponse, Description: what + ": empty results"}
	}
	return &list[0], nil
}
