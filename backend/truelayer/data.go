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
	list, err := fetchResults[Me](ctx, c, accessToken, resource{path: "/me", what: "me"}, opts)
	return first("GET "+dataPrefix+"/me", "me", list, err)
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
	r := resource{path: "/accounts/" + url.PathEscape(accountID), what: "account"}
	list, err := fetchResults[Account](ctx, c, accessToken, r, opts)
	return first("GET "+dataPrefix+r.path, r.what, list, err)
}

// AccountBalance returns an account's balance (scopes accounts, balance).
func (c *Client) AccountBalance(ctx context.Context, accessToken, accountID string, opts ...CallOption) (*Balance, error) {
	r := resource{path: "/accounts/" + url.PathEscape(accountID) + "/balance", what: "account balance"}
	list, err := fetchResults[Balance](ctx, c, accessToken, r, opts)
	return first("GET "+dataPrefix+r.path, r.what, list, err)
}

// AccountTransactions returns an account's settled transactions between
// from and to, inclusive, compared as dates (YYYY-MM-DD in each time's own
// location). A zero from or to is left out and the provider's default
// applies. Transactions older than 90 days may only be readable shortly
// after the user authenticated (see IsSCAExceeded).
func (c *Client) AccountTransactions(ctx context.Context, accessToken, accountID string, from, to time.Time, opts ...CallOption) ([]Transaction, error) {
	r := resource{path: "/accounts/" + url.PathEscape(accountID) + "/transactions", query: dateRange(from, to), what: "account transactions"}
	return fetchResults[Transaction](ctx, c, accessToken, r, opts)
}

// AccountPendingTransactions returns an account's pending transactions.
// Replace the stored pending set wholesale with each result.
func (c *Client) AccountPendingTransactions(ctx context.Context, accessToken, accountID string, from, to time.Time, opts ...CallOption) ([]Transaction, error) {
	r := resource{path: "/accounts/" + url.PathEscape(accountID) + "/transactions/pending", query: dateRange(from, to), what: "account pending transactions"}
	return fetchResults[Transaction](ctx, c, accessToken, r, opts)
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
	r := resource{path: "/cards/" + url.PathEscape(cardID), what: "card"}
	list, err := fetchResults[Card](ctx, c, accessToken, r, opts)
	return first("GET "+dataPrefix+r.path, r.what, list, err)
}

// CardBalance returns a card's balance (scopes cards, balance).
func (c *Client) CardBalance(ctx context.Context, accessToken, cardID string, opts ...CallOption) (*CardBalance, error) {
	r := resource{path: "/cards/" + url.PathEscape(cardID) + "/balance", what: "card balance"}
	list, err := fetchResults[CardBalance](ctx, c, accessToken, r, opts)
	return first("GET "+dataPrefix+r.path, r.what, list, err)
}

// CardTransactions returns a card's settled transactions; from and to as
// for AccountTransactions. Card DEBIT amounts are positive: use
// Transaction.SignedAmount.
func (c *Client) CardTransactions(ctx context.Context, accessToken, cardID string, from, to time.Time, opts ...CallOption) ([]Transaction, error) {
	r := resource{path: "/cards/" + url.PathEscape(cardID) + "/transactions", query: dateRange(from, to), what: "card transactions"}
	return fetchResults[Transaction](ctx, c, accessToken, r, opts)
}

// CardPendingTransactions returns a card's pending transactions.
func (c *Client) CardPendingTransactions(ctx context.Context, accessToken, cardID string, from, to time.Time, opts ...CallOption) ([]Transaction, error) {
	r := resource{path: "/cards/" + url.PathEscape(cardID) + "/transactions/pending", query: dateRange(from, to), what: "card pending transactions"}
	return fetchResults[Transaction](ctx, c, accessToken, r, opts)
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
