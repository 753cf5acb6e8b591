package truelayer

import "github.com/shopspring/decimal"

// StandingOrder is a scheduled payment set up by the user. Frequency uses
// the Open Banking codes (EvryDay, IntrvlMnthDay:01:26, ...). The amounts
// are declared strings but sent as numbers; both decode. An open-ended order
// has FinalPaymentDate 9999-12-31.
type StandingOrder struct {
	Frequency          string            `json:"frequency"`
	Status             string            `json:"status,omitempty"` // Active, Inactive
	Timestamp          Time              `json:"timestamp"`
	Currency           string            `json:"currency,omitempty"`
	Meta               StandingOrderMeta `json:"meta"`
	NextPaymentDate    Time              `json:"next_payment_date"`
	NextPaymentAmount  *decimal.Decimal  `json:"next_payment_amount,omitempty"`
	FirstPaymentDate   Time              `json:"first_payment_date"`
	FirstPaymentAmount *decimal.Decimal  `json:"first_payment_amount,omitempty"`
	FinalPaymentDate   Time              `json:"final_payment_date"`
	FinalPaymentAmount *decimal.Decimal  `json:"final_payment_amount,omitempty"`
	Payee              string            `json:"payee,omitempty"`
	Reference          string            `json:"reference,omitempty"`
}

// StandingOrderMeta carries the provider's identifiers for a standing order.
type StandingOrderMeta struct {
	ProviderAccountID string `json:"provider_account_id,omitempty"`
}

// DirectDebit is a mandate that lets a merchant collect from the account.
// DirectDebitID may change between requests.
type DirectDebit struct {
	DirectDebitID            string           `json:"direct_debit_id"`
	Timestamp                Time             `json:"timestamp"`
	Name                     string           `json:"name"`
	Status                   string           `json:"status,omitempty"` // Active, Inactive
	PreviousPaymentTimestamp Time             `json:"previous_payment_timestamp"`
	PreviousPaymentAmount    *decimal.Decimal `json:"previous_payment_amount,omitempty"`
	Currency                 string           `json:"currency,omitempty"`
	Meta                     DirectDebitMeta  `json:"meta"`
}

// DirectDebitMeta carries the provider's identifiers for a mandate.
type DirectDebitMeta struct {
	ProviderMandateIdentification string `json:"provider_mandate_identification"`
	ProviderAccountID             string `json:"provider_account_id"`
	ProviderDirectDebitID         string `json:"provider_direct_debit_id,omitempty"`
}
