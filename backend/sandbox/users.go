package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

// extendOutcome is what connections/extend answers for a user
// (https://docs.truelayer.com/docs/mock-users).
type extendOutcome int

const (
	extendAuthNeeded extendOutcome = iota
	extendNoAction
)

// mockUser is the behaviour chosen at login from the username/password pair.
type mockUser struct {
	Username string
	Password string
	Extend   extendOutcome
	IBANSalt string // non-empty for john*/iban*: every account gets a different valid IBAN
	ErrCode  string // non-empty for error.* users: every Data API call fails with it
}

// errorUsers maps the error.* mock users to the status they fail with. TrueLayer does
// not document these statuses; the mapping is ours (docs/truelayer.md §10).
var errorUsers = map[string]int{
	"account_permanently_locked": http.StatusForbidden,
	"account_temporarily_locked": http.StatusForbidden,
	"internal_error":             http.StatusInternalServerError,
	"provider_error":             http.StatusServiceUnavailable,
	"user_input_required":        http.StatusForbidden,
	"wrong_credentials":          http.StatusForbidden,
}

var errorUserText = map[string]string{
	"account_permanently_locked": "The account is permanently locked at the provider.",
	"account_temporarily_locked": "The account is temporarily locked at the provider.",
	"internal_error":             "An internal error occurred.",
	"provider_error":             "The provider service is unavailable.",
	"user_input_required":        "The provider requires the user to take action at the bank.",
	"wrong_credentials":          "The credentials held for this connection are no longer valid.",
}

// checkLogin applies the Mock bank's credential table; every sandbox bank accepts it.
func checkLogin(username, password string) (mockUser, bool) {
	if code, ok := strings.CutPrefix(username, "error."); ok {
		if _, known := errorUsers[code]; known && password == "error" {
			return mockUser{Username: username, Password: password, ErrCode: code}, true
		}
		return mockUser{}, false
	}
	if !numbered(username, "john") {
		return mockUser{}, false
	}
	u := mockUser{Username: username, Password: password}
	switch {
	case username == "john" && password == "eternal":
		u.Extend = extendNoAction
	case numbered(password, "doe"):
	case numbered(password, "iban"):
		u.IBANSalt = password
	default:
		return mockUser{}, false
	}
	return u, true
}

// numbered reports whether s is prefix, or prefix followed by 1..100 written plainly.
func numbered(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	if rest[0] == '0' {
		return false
	}
	n, err := strconv.Atoi(rest)
	return err == nil && n >= 1 && n <= 100
}

// dataUser reports whether username owns example data (error users own none).
func dataUser(username string) bool { return numbered(username, "john") }

// provider is one bank in the sandbox dialog.
type provider struct {
	ID          string
	DisplayName string
	Short       string // initials drawn on the logo
	Colour      string
}

// providers lists Mock plus fictional UK banks; all accept the mock users and scopes.
var providers = []provider{
	{ID: "mock", DisplayName: "Mock", Short: "M", Colour: "#5b4ee5"},
	{ID: "ob-ashford", DisplayName: "Ashford Building Society", Short: "AB", Colour: "#0f766e"},
	{ID: "ob-northbank", DisplayName: "Northbank", Short: "N", Colour: "#1d4ed8"},
	{ID: "ob-kestrel", DisplayName: "Kestrel Bank", Short: "K", Colour: "#b45309"},
	{ID: "ob-greyfriars", DisplayName: "Greyfriars Bank", Short: "G", Colour: "#475569"},
}

func providerByID(id string) (provider, bool) {
	for _, p := range providers {
		if p.ID == id {
			return p, true
		}
	}
	return provider{}, false
}

// allScopes are the Data API v1 scopes, in TrueLayer's usual order.
var allScopes = []string{"info", "accounts", "balance", "cards", "transactions", "direct_debits", "standing_orders", "offline_access"}

var scopeText = map[string]string{
	"info":            "Your full name and contact details",
	"accounts":        "Your account details, such as account number and sort code",
	"balance":         "Your account and card balances",
	"cards":           "Your credit card details",
	"transactions":    "Your transactions, including pending ones",
	"direct_debits":   "Your direct debits",
	"standing_orders": "Your standing orders",
	"offline_access":  "Keep access to this data for 90 days, even when you are not using the app",
}

func knownScope(s string) bool {
	_, ok := scopeText[s]
	return ok
}

func hasScope(scopes []string, want string) bool {
	for _, s := range scopes {
		if s == want {
			return true
		}
	}
	return false
}
