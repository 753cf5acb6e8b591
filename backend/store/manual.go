package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// manualPrefix starts every manual account's id, so it can never be a
// TrueLayer account id that a later connection adopts.
const manualPrefix = "manual-"

// MaxAccountName is the most characters a manual account's name may have.
const MaxAccountName = 100

// PutManualAccount creates an account that belongs to no connection (see
// Account.Manual) and returns it as stored, with a new id. It needs a name
// and a currency (an ISO 4217 code); Kind defaults to KindAccount.
func (s *Store) PutManualAccount(a Account) (Account, error) {
	a.DisplayName = strings.TrimSpace(a.DisplayName)
	a.Currency = strings.ToUpper(strings.TrimSpace(a.Currency))
	switch {
	case a.DisplayName == "":
		return Account{}, &AccountError{"name", "is empty"}
	case utf8.RuneCountInString(a.DisplayName) > MaxAccountName || strings.ContainsFunc(a.DisplayName, isControl):
		return Account{}, &AccountError{"name", fmt.Sprintf("must be at most %d characters on one line", MaxAccountName)}
	case !isCurrencyCode(a.Currency):
		return Account{}, &AccountError{"currency", fmt.Sprintf("%q is not a three-letter currency code such as GBP or EUR", a.Currency)}
	case a.ConnectionID != "":
		return Account{}, fmt.Errorf("%w: a manual account belongs to no connection", ErrInvalid)
	}
	if a.Kind == "" {
		a.Kind = KindAccount
	}
	if a.Kind != KindAccount && a.Kind != KindCard {
		return Account{}, &AccountError{"kind", fmt.Sprintf("is %q, want %q or %q", a.Kind, KindAccount, KindCard)}
	}
	var id [12]byte
	rand.Read(id[:]) // never fails since Go 1.24
	a.ID, a.Manual, a.UpdatedAt = manualPrefix+hex.EncodeToString(id[:]), true, utc(a.UpdatedAt)
	err := s.updateIn(bucketAccounts, func(_ *bbolt.Tx, b *bbolt.Bucket) error {
		return s.putJSON(b, bucketAccounts, []byte(a.ID), a)
	})
	if err != nil {
		return Account{}, err
	}
	return a, nil
}

// AccountError is a manual account's field the store refuses, and why.
type AccountError struct{ Field, Reason string }

func (e *AccountError) Error() string { return "store: the account's " + e.Field + " " + e.Reason }

// Unwrap makes it an ErrInvalid.
func (e *AccountError) Unwrap() error { return ErrInvalid }

// Say is the sentence for a person (problem.Sayer).
func (e *AccountError) Say() string { return "The account's " + e.Field + " " + e.Reason + "." }

func isCurrencyCode(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
