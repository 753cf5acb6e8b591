package store

import (
	"fmt"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
)

// Transaction statuses and types.
const (
	TxBooked  = "booked"
	TxPending = "pending"
	// TxRemoved is a booked transaction the bank stopped returning (a
	// reversed or withdrawn booking): kept, shown as removed, and left out
	// of totals, charts and exports by default. See PutWindow.
	TxRemoved = "removed"

	TypeDebit  = "DEBIT"
	TypeCredit = "CREDIT"
)

// Transaction is one booked or pending transaction of an account or card.
type Transaction struct {
	// Key identifies the transaction within its account across syncs; see
	// DedupeKey. Computed by the store when empty.
	Key       string `json:"key"`
	AccountID string `json:"account_id"`
	// BookedAt is the bank's timestamp with the bank's offset (a stamp
	// without one was read in the provider's zone, see bankday); its
	// location decides the booking day (Day). Records order by the instant.
	BookedAt time.Time `json:"booked_at"`
	// Description is the bank's raw text.
	Description    string   `json:"description"`
	Merchant       string   `json:"merchant,omitempty"`
	Category       string   `json:"category,omitempty"`       // transaction_category: PURCHASE, ATM...
	Classification []string `json:"classification,omitempty"` // [classification, sub-classification]
	// Amount is signed: money out is negative. The caller derives the sign
	// from transaction_type, because card feeds send positive DEBITs.
	Amount         decimal.Decimal  `json:"amount"`
	Currency       string           `json:"currency"`
	Type           string           `json:"type"`   // TypeDebit or TypeCredit
	Status         string           `json:"status"` // TxBooked or TxPending
	RunningBalance *decimal.Decimal `json:"running_balance,omitempty"`
	// NormalisedProviderID is TrueLayer's stable id; the preferred dedupe key.
	NormalisedProviderID  string `json:"normalised_provider_id,omitempty"`
	ProviderTransactionID string `json:"provider_transaction_id,omitempty"`
	// TransactionID is TrueLayer's per-request id as last seen; it changes
	// between requests, so it identifies nothing.
	TransactionID string            `json:"transaction_id,omitempty"`
	Meta          map[string]string `json:"meta,omitempty"`
	// Missing counts the consecutive full re-reads of this transaction's
	// day that no longer returned it; at missingToRemove it becomes
	// TxRemoved. Zero once the bank returns it again.
	Missing int `json:"missing,omitempty"`

	// User is what the person added (userfields.go), nil when nothing:
	// never part of the record, never written by a sync. The reads attach
	// it; writes of transactions ignore it. (A pointer: most transactions
	// have none, and a sync copies every Transaction several times.)
	User *UserFields `json:"-"`
	// Ruled is what the person's rules set on it (rules.go): attached by
	// the same reads, never stored; nil when no rule matches.
	Ruled *UserFields `json:"-"`
}

// UserFields is what the person added to t (zero when nothing).
func (t Transaction) UserFields() UserFields {
	if t.User == nil {
		return UserFields{}
	}
	return *t.User
}

// Day is the transaction's booking day: the bank's day (bankday.Of), which
// is what lists, filters, totals, charts and exports go by.
func (t Transaction) Day() bankday.Day { return bankday.Of(t.BookedAt) }

// Counts reports whether the transaction counts in totals, charts and
// exports: booked and pending ones do, removed ones do not.
func (t Transaction) Counts() bool { return t.Status != TxRemoved }

// zones caches one fixed zone per offset, so equal offsets share a
// *time.Location and stored times compare equal with == as well as Equal.
var zones sync.Map // offset seconds → *time.Location

// fixedZone is the location of a bank offset: UTC for zero.
func fixedZone(offset int) *time.Location {
	if offset == 0 {
		return time.UTC
	}
	if loc, ok := zones.Load(offset); ok {
		return loc.(*time.Location)
	}
	loc, _ := zones.LoadOrStore(offset, time.FixedZone("", offset))
	return loc.(*time.Location)
}

// bankTime is t as stored: the same instant and offset, in a fixed zone,
// with no monotonic reading. (A named zone such as Europe/London would
// not survive the record format, which keeps only the offset.)
func bankTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	_, off := t.Zone()
	return t.Round(0).In(fixedZone(off))
}

// decodeTransaction rebuilds a booked transaction from its primary key
// (account, booking time, dedupe key) and its unsealed value (txcodec.go).
func decodeTransaction(key, plain []byte) (Transaction, error) {
	accountID, bookedAt, dedupe, err := parsePrimaryKey(key)
	if err != nil {
		return Transaction{}, err
	}
	t := Transaction{Key: dedupe, AccountID: accountID, BookedAt: bookedAt}
	if err := decodeRecord(plain, &t); err != nil {
		return Transaction{}, fmt.Errorf("store: decode %s/%s: %w", bucketTransactions, printableKey(key), err)
	}
	return t, nil
}

// normalise fills the defaults and canonical forms a stored transaction
// has, so that what a caller passes and what Transactions returns compare
// equal.
func normalise(t *Transaction, accountID, status string) error {
	if t.AccountID != "" && t.AccountID != accountID {
		return fmt.Errorf("%w: transaction for account %q passed for account %q", ErrInvalid, t.AccountID, accountID)
	}
	t.AccountID = accountID
	if t.BookedAt.IsZero() {
		return fmt.Errorf("%w: transaction %q has no booking time", ErrInvalid, t.Description)
	}
	if !timeFitsKey(t.BookedAt) {
		return fmt.Errorf("%w: booking time %s out of range", ErrInvalid, t.BookedAt)
	}
	t.BookedAt = bankTime(t.BookedAt)
	if t.Status == "" {
		t.Status = status
	}
	if len(t.Classification) == 0 {
		t.Classification = nil
	}
	if len(t.Meta) == 0 {
		t.Meta = nil
	}
	if t.Key == "" {
		t.Key = DedupeKey(*t)
	}
	return nil
}
