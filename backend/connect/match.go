package connect

import (
	"fmt"
	"strings"
	"unicode"

	"bankdesk/backend/store"
)

// rematch is how a renewal's freshly listed accounts map onto those stored
// for the connection.
type rematch struct {
	renamed   map[string]string // stored id → the bank's new id, already moved in the store
	unmatched []store.Account   // listed, matching nothing stored
	missing   []store.Account   // stored, not listed
	warnings  []string
}

// rematchAccounts matches the accounts a re-authenticated connection lists
// to the ones stored for it, so that history, categories and sync progress
// continue: first by id, then by what identifies an account at the bank
// (sameAccount). A stored account found under a new id is renamed to it in
// the store (store.RenameAccount explains why the bank's id wins). listed
// says which kinds the bank did list: a kind that could not be read says
// nothing about which accounts are gone.
func (f *Flow) rematchAccounts(connID string, fetched []store.Account, listed map[string]bool) (rematch, error) {
	var m rematch
	stored, err := f.Store.AccountsOf(connID)
	if err != nil {
		return m, fmt.Errorf("read stored accounts: %w", err)
	}
	taken := map[string]bool{} // stored ids accounted for
	for _, a := range fetched {
		for _, s := range stored {
			if s.ID == a.ID {
				taken[s.ID] = true
			}
		}
	}
	for _, a := range fetched {
		if taken[a.ID] {
			continue
		}
		old, ok := findSame(stored, taken, a)
		if !ok {
			m.unmatched = append(m.unmatched, a)
			continue
		}
		if err := f.Store.RenameAccount(old.ID, a.ID); err != nil {
			m.warnings = append(m.warnings, fmt.Sprintf("%s has a new id at the bank, but its history could not follow: %v", a.DisplayName, err))
			m.unmatched = append(m.unmatched, a)
			continue
		}
		taken[old.ID] = true
		if m.renamed == nil {
			m.renamed = map[string]string{}
		}
		m.renamed[old.ID] = a.ID
		f.log().Info("account has a new id at the bank; history moved", "connection", connID, "account", a.ID)
	}
	for _, s := range stored {
		if !taken[s.ID] && listed[s.Kind] {
			m.missing = append(m.missing, s)
		}
	}
	return m, nil
}

// findSame returns the first stored account not yet taken that is the same
// account as a.
func findSame(stored []store.Account, taken map[string]bool, a store.Account) (store.Account, bool) {
	for _, s := range stored {
		if !taken[s.ID] && sameAccount(s, a) {
			return s, true
		}
	}
	return store.Account{}, false
}

// sameAccount reports whether two records describe one account at the
// bank: the same IBAN when both have one; else the same sort code and
// account number; for cards, the same partial card number and name on the
// card. Display names alone never match: "Current Account" is everyone's.
func sameAccount(a, b store.Account) bool {
	if a.Kind != b.Kind {
		return false
	}
	if a.Kind == store.KindCard {
		return a.PartialCardNumber != "" && a.PartialCardNumber == b.PartialCardNumber &&
			strings.EqualFold(cardName(a), cardName(b))
	}
	if ia, ib := compact(a.IBAN), compact(b.IBAN); ia != "" && ib != "" {
		return ia == ib
	}
	na := compact(a.Number)
	return na != "" && na == compact(b.Number) && compact(a.SortCode) == compact(b.SortCode)
}

func cardName(a store.Account) string {
	return firstNonEmpty(a.NameOnCard, a.HolderName, a.DisplayName)
}

// compact drops spaces and dashes and upper-cases, so "GB29 NWBK…" equals
// "gb29nwbk…" and "20-00-00" equals "200000".
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}
