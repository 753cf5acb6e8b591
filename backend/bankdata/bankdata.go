// Package bankdata maps what TrueLayer's Data API returns to store records,
// and says which reads a connection's consent allows. The connect flow's
// first reads and the sync both use it, so each field is mapped, and each
// account/card choice made, in one place.
package bankdata

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// Transactions converts transactions from the Data API into store records of
// one account with the given status (store.TxBooked or store.TxPending).
// loc is the provider's zone, which a stamp without an offset is in
// (bankday). A transaction without a usable timestamp cannot be placed in
// the history and is left out; skipped counts them.
func Transactions(accountID, status string, in []truelayer.Transaction, loc *time.Location) (out []store.Transaction, skipped int) {
	out = make([]store.Transaction, 0, len(in))
	for i := range in {
		t := &in[i]
		if !t.Timestamp.Valid() {
			skipped++
			continue
		}
		out = append(out, storeTransaction(accountID, status, t, loc))
	}
	return out, skipped
}

func storeTransaction(accountID, status string, t *truelayer.Transaction, loc *time.Location) store.Transaction {
	typ := store.TypeCredit
	if t.Outflow() {
		typ = store.TypeDebit
	}
	st := store.Transaction{
		AccountID:             accountID,
		BookedAt:              bankday.Resolve(t.Timestamp.Time, t.Timestamp.Zoned(), loc),
		Description:           t.Description,
		Merchant:              t.MerchantName,
		Category:              t.Category,
		Classification:        t.Classification,
		Amount:                t.SignedAmount(), // direction from transaction_type: card DEBITs are positive
		Currency:              t.Currency,
		Type:                  typ,
		Status:                status,
		NormalisedProviderID:  t.NormalisedProviderTransactionID,
		ProviderTransactionID: t.ProviderTransactionID,
		TransactionID:         t.TransactionID,
		Meta:                  flatMeta(t.Meta),
	}
	if t.RunningBalance != nil {
		rb := t.RunningBalance.Amount
		st.RunningBalance = &rb
	}
	return st
}

// flatMeta keeps meta as strings: text as is, other values as their JSON
// (numbers and booleans read naturally that way, objects survive intact).
func flatMeta(m map[string]any) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		switch v := v.(type) {
		case string:
			out[k] = v
		case nil:
		case bool:
			out[k] = strconv.FormatBool(v)
		case float64:
			out[k] = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			if b, err := json.Marshal(v); err == nil {
				out[k] = string(b)
			}
		}
	}
	return out
}

// Accounts are the listed bank accounts as stored under conn, read at now.
func Accounts(conn store.Connection, in []truelayer.Account, now time.Time) []store.Account {
	return each(in, func(a truelayer.Account) store.Account { return Account(conn, a, now) })
}

// Cards are the listed cards as stored under conn, read at now.
func Cards(conn store.Connection, in []truelayer.Card, now time.Time) []store.Account {
	return each(in, func(c truelayer.Card) store.Account { return Card(conn, c, now) })
}

// Account is a listed bank account as stored under conn, read at now.
func Account(conn store.Connection, a truelayer.Account, now time.Time) store.Account {
	r := listed(conn, store.KindAccount, a.ID, a.Provider.ID, a.Type, a.DisplayName, a.Currency, now)
	r.Number, r.SortCode, r.IBAN, r.SwiftBIC = a.Number.Number, a.Number.SortCode, a.Number.IBAN, a.Number.SwiftBIC
	return r
}

// Card is a listed card as stored under conn, read at now.
func Card(conn store.Connection, c truelayer.Card, now time.Time) store.Account {
	r := listed(conn, store.KindCard, c.ID, c.Provider.ID, c.CardType, c.DisplayName, c.Currency, now)
	r.CardNetwork, r.PartialCardNumber = c.CardNetwork, c.PartialCardNumber
	r.NameOnCard, r.HolderName = c.NameOnCard, c.NameOnCard
	return r
}

// listed is what an account and a card have alike; a provider the record
// does not name is the connection's.
func listed(conn store.Connection, kind, id, provider, typ, name, currency string, now time.Time) store.Account {
	return store.Account{
		ID: id, ConnectionID: conn.ID, ProviderID: orDefault(provider, conn.ProviderID), Kind: kind,
		Type: typ, DisplayName: name, Currency: currency, UpdatedAt: now,
	}
}

// Resource is how the Data API names a stored account or card.
func Resource(a store.Account) truelayer.Resource {
	return truelayer.Resource{Card: a.Kind == store.KindCard, ID: a.ID}
}

// Balance is a's balance as stored, read at now: an account's overdraft, a
// card's limit and statement, whichever the bank sent. Without a currency
// it is a's; without a usable update_timestamp, now.
func Balance(a store.Account, b *truelayer.Balance, now time.Time) store.Balance {
	return store.Balance{
		AccountID:            a.ID,
		Currency:             orDefault(b.Currency, a.Currency),
		Current:              b.Current,
		Available:            b.Available,
		Overdraft:            b.Overdraft,
		CreditLimit:          b.CreditLimit,
		LastStatementBalance: b.LastStatementBalance,
		LastStatementDate:    b.LastStatementDate.Time,
		PaymentDue:           b.PaymentDue,
		PaymentDueDate:       b.PaymentDueDate.Time,
		UpdatedAt:            timeOr(b.UpdateTimestamp, now),
	}
}

// StandingOrders converts an account's standing orders.
func StandingOrders(in []truelayer.StandingOrder) []store.StandingOrder {
	return each(in, func(o truelayer.StandingOrder) store.StandingOrder {
		return store.StandingOrder{
			Frequency:          o.Frequency,
			Status:             o.Status,
			Payee:              o.Payee,
			Reference:          o.Reference,
			Currency:           o.Currency,
			NextPaymentDate:    o.NextPaymentDate.Time,
			NextPaymentAmount:  o.NextPaymentAmount,
			FirstPaymentDate:   o.FirstPaymentDate.Time,
			FirstPaymentAmount: o.FirstPaymentAmount,
			FinalPaymentDate:   o.FinalPaymentDate.Time,
			FinalPaymentAmount: o.FinalPaymentAmount,
			ProviderAccountID:  o.Meta.ProviderAccountID,
		}
	})
}

// DirectDebits converts an account's direct debits.
func DirectDebits(in []truelayer.DirectDebit) []store.DirectDebit {
	return each(in, func(d truelayer.DirectDebit) store.DirectDebit {
		return store.DirectDebit{
			Name:                  d.Name,
			Status:                d.Status,
			MandateID:             d.Meta.ProviderMandateIdentification,
			ProviderDirectDebitID: d.Meta.ProviderDirectDebitID,
			Currency:              d.Currency,
			PreviousPaymentAt:     d.PreviousPaymentTimestamp.Time,
			PreviousPaymentAmount: d.PreviousPaymentAmount,
			ProviderAccountID:     d.Meta.ProviderAccountID,
		}
	})
}

// each converts every element of in with conv; an empty in is an empty,
// not nil, result.
func each[T, S any](in []T, conv func(T) S) []S {
	out := make([]S, 0, len(in))
	for _, v := range in {
		out = append(out, conv(v))
	}
	return out
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// timeOr is t when it parsed (truelayer.Time.Valid), else def.
func timeOr(t truelayer.Time, def time.Time) time.Time {
	if t.Valid() {
		return t.Time
	}
	return def
}

// HasScope reports whether conn's consent covers scope. A connection that
// records no scopes is taken to have them all: its scopes come from the
// token answer's optional scope field, else /me (tokens.Apply, the connect
// flow's applyMe), so an empty list says they were not recorded, not that
// nothing was granted. Reading as if they were all there costs at most a
// refused call; reading nothing would lose an older record its data.
func HasScope(conn store.Connection, scope string) bool {
	return len(conn.Scopes) == 0 || slices.Contains(conn.Scopes, scope)
}
