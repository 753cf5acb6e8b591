package truelayer

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Transaction is a settled or pending transaction of an account or card.
//
// TransactionID may change between requests; use StableID to deduplicate.
// The sign of Amount is not reliable across accounts and cards (card DEBITs
// are positive), so use Outflow and SignedAmount for direction.
type Transaction struct {
	TransactionID                   string          `json:"transaction_id"`
	NormalisedProviderTransactionID string          `json:"normalised_provider_transaction_id,omitempty"`
	ProviderTransactionID           string          `json:"provider_transaction_id,omitempty"`
	Timestamp                       Time            `json:"timestamp"`
	Description                     string          `json:"description"`
	Amount                          decimal.Decimal `json:"amount"`
	Currency                        string          `json:"currency"`
	Type                            string          `json:"transaction_type"`     // DEBIT or CREDIT
	Category                        string          `json:"transaction_category"` // PURCHASE, DIRECT_DEBIT, ...
	Classification                  []string        `json:"transaction_classification,omitempty"`
	MerchantName                    string          `json:"merchant_name,omitempty"`
	RunningBalance                  *RunningBalance `json:"running_balance,omitempty"`
	Meta                            map[string]any  `json:"meta,omitempty"`
}

// RunningBalance is the balance after a transaction; only sent when the
// balance scope was granted too.
type RunningBalance struct {
	Amount   decimal.Decimal `json:"amount"`
	Currency string          `json:"currency"`
}

// StableID returns the id that survives between requests:
// normalised_provider_transaction_id, else provider_transaction_id, else ""
// (the caller then falls back to a content hash).
func (t Transaction) StableID() string {
	if t.NormalisedProviderTransactionID != "" {
		return t.NormalisedProviderTransactionID
	}
	return t.ProviderTransactionID
}

// Outflow reports whether money left the account. It goes by Type, because
// card DEBIT amounts are positive while account DEBIT amounts are negative;
// only when Type is neither DEBIT nor CREDIT does the sign decide.
func (t Transaction) Outflow() bool {
	switch {
	case strings.EqualFold(t.Type, "DEBIT"):
		return true
	case strings.EqualFold(t.Type, "CREDIT"):
		return false
	}
	return t.Amount.IsNegative()
}

// SignedAmount returns the amount with money out negative and money in
// positive, whatever sign the provider used. An amount already signed that
// way is returned as is (decimals are immutable), which spares a sync an
// allocation per transaction.
func (t Transaction) SignedAmount() decimal.Decimal {
	if t.Outflow() == t.Amount.IsNegative() || t.Amount.IsZero() {
		return t.Amount
	}
	return t.Amount.Neg()
}
