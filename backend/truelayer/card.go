package truelayer

import "github.com/shopspring/decimal"

// Card is a credit or charge card (GET /cards). Its ID (the API's
// account_id) is what the /cards/{id}/... endpoints take.
type Card struct {
	ID                string      `json:"account_id"`
	CardNetwork       string      `json:"card_network"` // VISA, MASTERCARD, ...
	CardType          string      `json:"card_type"`    // CREDIT, CHARGE, ...
	Currency          string      `json:"currency"`
	DisplayName       string      `json:"display_name"`
	PartialCardNumber string      `json:"partial_card_number"`
	NameOnCard        string      `json:"name_on_card"`
	ValidFrom         Time        `json:"valid_from"` // "2017-01"
	ValidTo           Time        `json:"valid_to"`
	Provider          ProviderRef `json:"provider"`
	UpdateTimestamp   Time        `json:"update_timestamp"`
}

// CardBalance is a card's balance. Only Current is required by the API; the
// optional amounts are nil when not reported. Available is declared a string
// in the spec but sent as a number; both decode.
type CardBalance struct {
	Available            *decimal.Decimal `json:"available,omitempty"`
	Current              decimal.Decimal  `json:"current"`
	CreditLimit          *decimal.Decimal `json:"credit_limit,omitempty"`
	LastStatementBalance *decimal.Decimal `json:"last_statement_balance,omitempty"`
	LastStatementDate    Time             `json:"last_statement_date"`
	PaymentDue           *decimal.Decimal `json:"payment_due,omitempty"`
	PaymentDueDate       Time             `json:"payment_due_date"`
	Currency             string           `json:"currency"`
	UpdateTimestamp      Time             `json:"update_timestamp"`
}
