package truelayer

import (
	"context"
	"fmt"
	"net/http"
)

// Revoke deletes the connection behind accessToken (DELETE
// {AuthURL}/api/delete); its tokens stop working. TrueLayer answers 200
// with no body.
func (c *Client) Revoke(ctx context.Context, accessToken string, opts ...CallOption) error {
	const op = "DELETE /api/delete"
	if accessToken == "" {
		return fmt.Errorf("truelayer: %s: %w", op, errNoAccessToken)
	}
	req, err := c.newRequest(ctx, http.MethodDelete, c.authURL+"/api/delete", accessToken, nil, collect(opts))
	if err != nil {
		return fmt.Errorf("truelayer: %s: %w", op, err)
	}
	resp, err := c.send(op, req)
	if err != nil {
		return err
	}
	defer closeBody(resp)
	if !isSuccess(resp.StatusCode) {
		return responseError(op, srcAuth, resp)
	}
	return nil
}
