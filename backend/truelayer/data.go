package truelayer

import (
	"context"
	"net/url"
	"time"
)

// The Data API v1 endpoints. Each takes the user's access token; all accept
// CallOptions (WithAsync, WithPSUIP, WithCorrelationID). A single-object
// endpoint still answers with a one-element results array; the methods below
// unwrap it.

// Me returns the connection behind accessToken. It needs no particular
// scope, so a 403 here means the consent is gone (see NeedsReconnect).
func (c *Client) Me(ctx context.Context, accessToken string, opts ...CallOption) (*Me, error) {
	return fetchOne[Me](ctx, c, accessToken, resource{path: "/me", what: "me"}, opts)
}

// Info returns the account holder's identity (scope info).
func (c *Client) Info(ctx context.Context, accessToken string, opts ...CallOption) ([]Info, error) {
	return fetchResults[Info](ctx, c, accessToken, resource{path: "/info", what: "info"}, opts)
}

// Accounts lists the connection's bank accounts (scope accounts). Some
// providers only allow this shortly after the user authenticated: keep the
// ids.
func (c *Client) Accounts(ctx context.Context, accessToken string, opts ...CallOption) ([]Account, error) {
	return fetchResults[Account](ctx, c, accessToken, resource{path: "/accounts", what: "accounts"}, opts)
}

// Account returns one account.
func (c *Client) Account(ctx context.Context, accessToken, accountID string, opts ...CallOption) (*Account, error) {
	return fetchOne[Account](ctx, c, accessToken, resource{path: "/accounts/" + url.PathEscape(accountID), what: "account"}, opts)
}

// StandingOrders returns an account's standing orders (scope
// standing_orders). Some providers answer 501 or 403 for accounts without
// any: check IsNotSupported.
func (c *Client) StandingOrders(ctx context.Context, accessToken, accountID string, opts ...CallOption) ([]StandingOrder, error) {
	r := resource{path: "/accounts/" + url.PathEscape(accountID) + "/standing_orders", what: "standing orders"}
	return fetchResults[StandingOrder](ctx, c, accessToken, r, opts)
}

// DirectDebits returns an account's direct debits (scope direct_debits).
func (c *Client) DirectDebits(ctx context.Context, accessToken, accountID string, opts ...CallOption) ([]DirectDebit, error) {
	r := resource{path: "/accounts/" + url.PathEscape(accountID) + "/direct_debits", what: "direct debits"}
	return fetchResults[DirectDebit](ctx, c, accessToken, r, opts)
}

// Cards lists the connection's cards (scope cards).
func (c *Client) Cards(ctx context.Context, accessToken string, opts ...CallOption) ([]Card, error) {
	return fetchResults[Card](ctx, c, accessToken, resource{path: "/cards", what: "cards"}, opts)
}

// Card returns one card; cardID is the card's account_id.
func (c *Client) Card(ctx context.Context, accessToken, cardID string, opts ...CallOption) (*Card, error) {
	return fetchOne[Card](ctx, c, accessToken, resource{path: "/cards/" + url.PathEscape(cardID), what: "card"}, opts)
}

// Resource is an account or a card, as the balance and transaction
// endpoints take it: /accounts/{id}/... and /cards/{id}/... answer alike.
type Resource struct {
	Card bool   // a card (/cards), else an account (/accounts)
	ID   string // its account_id
}

// get names the GET of the resource's sub path ("/balance", ...).
func (r Resource) get(sub, what string, query url.Values) resource {
	base, kind := "/accounts/", "account "
	if r.Card {
		base, kind = "/cards/", "card "
	}
	return resource{path: base + url.PathEscape(r.ID) + sub, query: query, what: kind + what}
}

// Balance returns an account's or a card's balance (scopes accounts or
// cards, and balance).
func (c *Client) Balance(ctx context.Context, accessToken string, r Resource, opts ...CallOption) (*Balance, error) {
	return fetchOne[Balance](ctx, c, accessToken, r.get("/balance", "balance", nil), opts)
}

// Transactions returns an account's or a card's settled transactions
// between from and to, inclusive, compared as dates (YYYY-MM-DD in each
// time's own location). A zero from or to is left out and the provider's
// default applies. Transactions older than 90 days may only be readable
// shortly after the user authenticated (see IsSCAExceeded). Card DEBIT
// amounts are positive: use Transaction.SignedAmount.
func (c *Client) Transactions(ctx context.Context, accessToken string, r Resource, from, to time.Time, opts ...CallOption) ([]Transaction, error) {
	return fetchResults[Transaction](ctx, c, accessToken, r.get("/transactions", "transactions", dateRange(from, to)), opts)
}

// PendingTransactions returns an account's or a card's pending
// transactions; from and to as for Transactions. Replace the stored
// pending set wholesale with each result.
func (c *Client) PendingTransactions(ctx context.Context, accessToken string, r Resource, from, to time.Time, opts ...CallOption) ([]Transaction, error) {
	return fetchResults[Transaction](ctx, c, accessToken, r.get("/transactions/pending", "pending transactions", dateRange(from, to)), opts)
}

// fetchOne is fetchResults for an endpoint that wraps one object in the
// results array.
func fetchOne[T any](ctx context.Context, c *Client, accessToken string, r resource, opts []CallOption) (*T, error) {
	list, err := fetchResults[T](ctx, c, accessToken, r, opts)
	return first("GET "+dataPrefix+r.path, r.what, list, err)
}

// dateRange renders from/to as YYYY-MM-DD, the format the spec documents;
// zero times are omitted.
func dateRange(from, to time.Time) url.Values {
	q := url.Values{}
	if !from.IsZero() {
		q.Set("from", from.Format(time.DateOnly))
	}
	if !to.IsZero() {
		q.Set("to", to.Format(time.DateOnly))
	}
	return q
}
