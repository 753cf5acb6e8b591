package truelayer

import "github.com/shopspring/decimal"

// Account is a bank account (GET /accounts). Type is one of TRANSACTION,
// SAVINGS, BUSINESS_TRANSACTION, BUSINESS_SAVINGS, but is kept as sent (old
// data has "SAVING").
type Account struct {
	ID              string        `json:"account_id"`
	Type            string        `json:"account_type"`
	DisplayName     string        `json:"display_name"`
	Currency        string        `json:"currency"`
	Number          AccountNumber `json:"account_number"`
	Provider        ProviderRef   `json:"provider"`
	UpdateTimestamp Time          `json:"update_timestamp"`
}

// AccountNumber holds whichever identifiers the provider's country uses.
// SwiftBIC may be the literal NOT_SUPPORTED_BY_GEO or NOT_SUPPORTED_BY_PROVIDER.
type AccountNumber struct {
	IBAN          string `json:"iban,omitempty"`
	Number        string `json:"number,omitempty"`
	SortCode      string `json:"sort_code,omitempty"`
	SwiftBIC      string `json:"swift_bic,omitempty"`
	RoutingNumber string `json:"routing_number,omitempty"` // US
	BSB           string `json:"bsb,omitempty"`            // AU
}

// Balance is an account's or a card's balance (Client.Balance): the two
// share current, available and currency, and each adds its own optional
// amounts, nil when not reported (nil is not zero). Available includes any
// arranged overdraft and pending transactions (accounts) or the remaining
// credit (cards); Current excludes pending ones. A card's Available is
// declared a string in the spec but sent as a number; both decode.
type Balance struct {
	Currency        string           `json:"currency"`
	Available       *decimal.Decimal `json:"available,omitempty"`
	Current         decimal.Decimal  `json:"current"`
	UpdateTimestamp Time             `json:"update_timestamp"`

	Overdraft *decimal.Decimal `json:"overdraft,omitempty"` // accounts

	// Cards.
	CreditLimit          *decimal.Decimal `json:"credit_limit,omitempty"`
	LastStatementBalance *decimal.Decimal `json:"last_statement_balance,omitempty"`
	LastStatementDate    Time             `json:"last_statement_date"`
	PaymentDue           *decimal.Decimal `json:"payment_due,omitempty"`
	PaymentDueDate       Time             `json:"payment_due_date"`
}
