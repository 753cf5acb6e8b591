package sandbox

import (
	"time"

	"github.com/shopspring/decimal"
)

// Truth is what the bank holds for a user as of the sandbox clock, for tests to
// compare against what a client fetched.
type Truth struct {
	Username string         `json:"username"`
	AsOf     time.Time      `json:"as_of"`
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

	Booked  []TruthTransaction `json:"booked"`  // posting order, oldest first
	Pending []TruthTransaction `json:"pending"` // newest first
	Balance TruthBalance       `json:"balance"`
}

// TruthTransaction is one transaction; ID is the stable id a client should dedupe on
// (normalised_provider_transaction_id, or provider_transaction_id when there is none).
type TruthTransaction struct {
	ID                    string          `json:"id"`
	NormalisedProviderID  string          `json:"normalised_provider_transaction_id,omitempty"`
	ProviderTransactionID string          `json:"provider_transaction_id"`
	Timestamp             time.Time       `json:"timestamp"`
	Description           string          `json:"description"`
	Merchant              string          `json:"merchant_name,omitempty"`
	Amount                decimal.Decimal `json:"amount"` // sign as sent: card purchases positive
	Currency              string          `json:"currency"`
	Type                  string          `json:"transaction_type"`
	Category              string          `json:"transaction_category"`
	Classification        []string        `json:"transaction_classification"`
	ProviderCategory      string          `json:"provider_transaction_category"`
	RunningBalance        decimal.Decimal `json:"running_balance"` // booked only (zero for pending)
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
	tr := Truth{Username: username, AsOf: now, Accounts: []TruthAccount{}, Cards: []TruthAccount{}}
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

	u.mu.Lock()
	defer u.mu.Unlock()
	v := a.viewAt(dayOf(now), s.bank.start)
	ta.Booked = make([]TruthTransaction, len(v.booked))
	for k, i := range v.booked {
		ta.Booked[k] = truthTx(&a.txs[i], false, v.running[k])
	}
	pend := a.pendingAt(now, s.bank.start)
	ta.Pending = make([]TruthTransaction, len(pend))
	for k, i := range pend {
		ta.Pending[k] = truthTx(&a.txs[i], true, 0)
	}
	return ta
}

func truthTx(t *tx, pending bool, running int64) TruthTransaction {
	norm, prov := txIDs(t, pending)
	tt := TruthTransaction{
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
	if t.Credit {
		tt.Type = "CREDIT"
	}
	if !t.NoNorm {
		tt.NormalisedProviderID = string(norm)
		tt.ID = tt.NormalisedProviderID
	} else {
		tt.ID = tt.ProviderTransactionID
	}
	if pending {
		tt.Timestamp = t.Date.time().Add(time.Duration(t.Secs) * time.Second)
	} else {
		tt.Timestamp = t.Book.time()
		tt.RunningBalance = minorDecimal(running)
	}
	return tt
}
