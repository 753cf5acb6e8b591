package truelayer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Provider is a bank from the auth server's provider list.
type Provider struct {
	ID          string `json:"provider_id"`
	DisplayName string `json:"display_name"`
	LogoURL     string `json:"logo_url"`
	Country     string `json:"country"` // lowercase, "uk" not "gb"
	// Scopes the provider supports. The spec declares a single string, the
	// server sends an array; both decode (a string is split on spaces).
	Scopes       []string              `json:"scopes"`
	Availability *ProviderAvailability `json:"availability,omitempty"`
	// Steps are extra auth inputs some EU providers need (e.g. a branch);
	// kept raw as nothing here interprets them.
	Steps json.RawMessage `json:"steps,omitempty"`
}

// ProviderAvailability is TrueLayer's health hint for a provider.
type ProviderAvailability struct {
	RecommendedStatus string `json:"recommended_status"`
	UpdatedAt         Time   `json:"updated_at"`
}

// UnmarshalJSON decodes a provider, accepting scopes as an array or a
// space-separated string.
func (p *Provider) UnmarshalJSON(b []byte) error {
	type plain Provider
	var aux struct {
		plain
		Scopes stringList `json:"scopes"` // shadows plain.Scopes
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*p = Provider(aux.plain)
	p.Scopes = aux.Scopes
	return nil
}

// stringList is a JSON array of strings or one space-separated string.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = strings.Fields(s)
		return nil
	}
	return json.Unmarshal(b, (*[]string)(l))
}

// ProvidersQuery filters the provider list. Countries are lowercase codes
// ("uk", "ie", ...); Scopes are Data API scopes. Empty means no filter.
type ProvidersQuery struct {
	Countries []string
	Scopes    []string
}

// Providers lists the providers enabled for the configured client id
// (GET {AuthURL}/api/providers). It needs no token.
func (c *Client) Providers(ctx context.Context, q ProvidersQuery, opts ...CallOption) ([]Provider, error) {
	const op = "GET /api/providers"
	var qs query
	qs.addIf("clientId", c.clientID)
	qs.addIf("country", strings.Join(q.Countries, " "))
	qs.addIf("scopes", strings.Join(q.Scopes, " "))
	u := c.authURL + "/api/providers"
	if s := qs.String(); s != "" {
		u += "?" + s
	}
	req, err := c.newRequest(ctx, http.MethodGet, u, "", nil, collect(opts))
	if err != nil {
		return nil, fmt.Errorf("truelayer: %s: %w", op, err)
	}
	resp, err := c.send(op, req)
	if err != nil {
		return nil, err
	}
	defer closeBody(resp)
	if !isSuccess(resp.StatusCode) {
		return nil, responseError(op, srcAuth, resp)
	}
	br := newBodyReader(resp.Body)
	list, err := decodeList[Provider](br)
	if err != nil {
		return nil, decodeFailure(op, srcAuth, resp, br, "providers", err)
	}
	return list, nil
}
