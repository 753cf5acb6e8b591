package sandbox

import (
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Truth is what the bank holds for a user as of the sandbox clock, for tests to
// compare against what a client fetched.
type Truth struct {
	Username string         `json:"username"`
	AsOf     time.Time      `json:"as_of"`
	Today    string         `json:"today"` // the bank's (London) calendar day at AsOf, YYYY-MM-DD
	Accounts []TruthAccount `json:"accounts"`
	Cards    []TruthAccount `json:"cards"`
}

// TruthAccount is one account or card with its full visible history. AccountID is the
// user's stable id; a connection made under the new_account_ids fault sees another.
type TruthAccount struct {
	AccountID   string `json:"account_id"`
	AccountType string `json:"account_type"` // TRANSACTION, SAVINGS, or CREDIT for the card
	DisplayName string `json:"display_name"`
	Currency    string `json:"currency"`
	SortCode    string `json:"sort_code,omitempty"`
	Number      string `json:"number,omitempty"`
	IBAN        string `json:"iban,omitempty"` // the default IBAN (john*/iban* logins see other ones)

	// HistoryFrom is the first booking day (London, YYYY-MM-DD) the bank still serves:
	// the start of the six visible years, or today-N under history_horizon_days (as
	// it applies to this account's transactions path). Booked still lists everything
	// before it; BookedFrom(HistoryFrom) is what a client can fetch.
	HistoryFrom string `json:"history_from"`

	Booked  []TruthTransaction `json:"booked"`  // posting order, oldest first; without Removed
	Pending []TruthTransaction `json:"pending"` // newest first
	// Removed are bookings the bank no longer lists (remove_bookings), oldest first.
	Removed []TruthTransaction `json:"removed"`
	Balance TruthBalance       `json:"balance"`
}

// BookedFrom returns the bookings on or after the London day (YYYY-MM-DD).
func (a TruthAccount) BookedFrom(day string) []TruthTransaction {
	i := sort.Search(len(a.Booked), func(k int) bool { return a.Booked[k].BookingDate >= day })
	return a.Booked[i:]
}

// TruthTransaction is one transaction; ID is the stable id a client should dedupe on
// (normalised_provider_transaction_id, or provider_transaction_id when there is none).
// Under reused_ids two different transactions can share an ID; Key tells them apart.
type TruthTransaction struct {
	// Key is unique within the account and the same while the transaction is
	// pending and once booked; the API never sends it.
	Key                   string `json:"key"`
	ID                    string `json:"id"`
	NormalisedProviderID  string `json:"normalised_provider_transaction_id,omitempty"`
	ProviderTransactionID string `json:"provider_transaction_id"`
	// ReusesIDsOf is the Key of the booking whose ids this one carries (reused_ids).
	ReusesIDsOf string `json:"reuses_ids_of,omitempty"`
	// Timestamp is the exact instant: London midnight of BookingDate for bookings,
	// the London time of day for pending ones.
	Timestamp time.Time `json:"timestamp"`
	// BookingDate is the bank's calendar day (London, YYYY-MM-DD): the date part of
	// the timestamp as the bank writes it.
	BookingDate      string          `json:"booking_date"`
	Description      string          `json:"description"`
	Merchant         string          `json:"merchant_name,omitempty"`
	Amount           decimal.Decimal `json:"amount"` // sign as sent: card purchases positive
	Currency         string          `json:"currency"`
	Type             string          `json:"transaction_type"`
	Category         string          `json:"transaction_category"`
	Classification   []string        `json:"transaction_classification"`
	ProviderCategory string          `json:"provider_transaction_category"`
	RunningBalance   decimal.Decimal `json:"running_balance"` // booked only (zero for pending)
}

// TruthBalance mirrors the balance endpoints. For cards Current is the amount owed.
type TruthBalance struct {
	Current              decimal.Decimal `json:"current"`
	Available            decimal.Decimal `json:"available"`
	Overdraft            decimal.Decimal `json:"overdraft"`
	CreditLimit          decimal.Decimal `json:"credit_limit"`
	LastStatementBalance decimal.Decimal `json:"last_statement_balance"`
	PaymentDue           decimal.Decimal `json:"payment_due"`
}

// Truth returns the ground truth for username (empty for users without data, such as
// the error.* users).
func (s *Server) Truth(username string) Truth {
	now := s.now()
	tr := Truth{Username: username, AsOf: now, Today: string(appendDate(nil, dayOf(now))),
		Accounts: []TruthAccount{}, Cards: []TruthAccount{}}
	u := s.bank.user(username, dayOf(now))
	if u == nil {
		return tr
	}
	for _, a := range []*account{u.cur, u.sav, u.card} {
		ta := s.truthAccount(u, a, now)
		if a.Kind == kindCard {
			tr.Cards = append(tr.Cards, ta)
		} else {
			tr.Accounts = append(tr.Accounts, ta)
		}
	}
	return tr
}

func (s *Server) truthAccount(u *userData, a *account, now time.Time) TruthAccount {
	ta := TruthAccount{AccountID: a.ID, AccountType: accountType(a), DisplayName: accountName(a), Currency: "GBP",
		SortCode: a.SortCode, Number: a.Number, IBAN: a.IBAN}
	if a.Kind == kindCard {
		ta.AccountType = "CREDIT"
	}
	b := s.balanceOf(u, a, now)
	ta.Balance = TruthBalance{Current: minorDecimal(b.Current), Available: minorDecimal(b.Available),
		Overdraft: minorDecimal(b.Overdraft), CreditLimit: minorDecimal(b.CreditLimit),
		LastStatementBalance: minorDecimal(b.StatementBalance), PaymentDue: minorDecimal(b.PaymentDue)}

	path := "/data/v1/accounts/" + a.ID + "/transactions"
	if a.Kind == kindCard {
		path = "/data/v1/cards/" + a.ID + "/transactions"
	}
	today := dayOf(now)
	rules := s.rules(path)
	ta.HistoryFrom = string(appendDate(nil, rules.firstDay(today, s.bank.start)))

	u.mu.Lock()
	defer u.mu.Unlock()
	v := a.viewAt(today, s.bank.start)
	var twins, removed []int32
	if rules.reuse {
		twins = a.twinsLocked()
	}
	if rules.remove > 0 {
		removed = a.removedAt(rules.removeAnchor, rules.remove, s.bank.start)
	}
	ta.Booked = make([]TruthTransaction, 0, len(v.booked))
	ta.Removed = []TruthTransaction{}
	for k, i := range v.booked {
		t, idt := &a.txs[i], &a.txs[i]
		if twins != nil && twins[i] >= 0 {
			idt = &a.txs[twins[i]]
		}
		tt := truthTx(t, idt, false, v.running[k])
		if slices.Contains(removed, i) {
			ta.Removed = append(ta.Removed, tt)
		} else {
			ta.Booked = append(ta.Booked, tt)
		}
	}
	pend := a.pendingAt(now, s.bank.start)
	ta.Pending = make([]TruthTransaction, len(pend))
	for k, i := range pend {
		ta.Pending[k] = truthTx(&a.txs[i], &a.txs[i], true, 0)
	}
	return ta
}

// truthTx describes t as served, with the stable ids of idt (see txEncoder.append).
func truthTx(t, idt *tx, pending bool, running int64) TruthTransaction {
	norm, prov := txIDs(idt, pending)
	tt := TruthTransaction{
		Key:                   string(appendHex64(nil, t.Hash)),
		ProviderTransactionID: string(prov),
		Description:           t.T.Desc,
		Merchant:              t.T.Merchant,
		Amount:                minorDecimal(t.Amount),
		Currency:              "GBP",
		Type:                  "DEBIT",
		Category:              t.T.Category,
		Classification:        append([]string{}, t.T.Class...),
		ProviderCategory:      t.T.ProvCat,
	}
	if idt != t {
		tt.ReusesIDsOf = string(appendHex64(nil, idt.Hash))
	}
	if t.Credit {
		tt.Type = "CREDIT"
	}
	if !idt.NoNorm {
		tt.NormalisedProviderID = string(norm)
		tt.ID = tt.NormalisedProviderID
	} else {
		tt.ID = tt.ProviderTransactionID
	}
	if pending {
		tt.Timestamp = t.Date.at(t.Secs).UTC()
		tt.BookingDate = string(appendDate(nil, t.Date))
	} else {
		tt.Timestamp = t.Book.midnight().UTC()
		tt.BookingDate = string(appendDate(nil, t.Book))
		tt.RunningBalance = minorDecimal(running)
	}
	return tt
}
