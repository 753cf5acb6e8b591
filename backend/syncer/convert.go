package syncer

import (
	"encoding/json"
	"strconv"
	"time"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// toStore converts transactions from the Data API into store records of
// one account with the given status (store.TxBooked or store.TxPending).
// loc is the provider's zone, which a stamp without an offset is in
// (bankday). A transaction without a usable timestamp cannot be placed in
// the history and is left out; skipped counts them.
func toStore(accountID, status string, in []truelayer.Transaction, loc *time.Location) (out []store.Transaction, skipped int) {
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

func accountBalance(accountID string, b *truelayer.Balance, currency string, now time.Time) store.Balance {
	return store.Balance{
		AccountID: accountID,
		Currency:  orDefault(b.Currency, currency),
		Current:   b.Current,
		Available: b.Available,
		Overdraft: b.Overdraft,
		UpdatedAt: timeOr(b.UpdateTimestamp, now),
	}
}

func cardBalance(accountID string, b *truelayer.CardBalance, currency string, now time.Time) store.Balance {
	return store.Balance{
		AccountID:            accountID,
		Currency:             orDefault(b.Currency, currency),
		Current:              b.Current,
		Available:            b.Available,
		CreditLimit:          b.CreditLimit,
		LastStatementBalance: b.LastStatementBalance,
		LastStatementDate:    b.LastStatementDate.Time,
		PaymentDue:           b.PaymentDue,
		PaymentDueDate:       b.PaymentDueDate.Time,
		UpdatedAt:            timeOr(b.UpdateTimestamp, now),
	}
}

func standingOrders(in []truelayer.StandingOrder) []store.StandingOrder {
	out := make([]store.StandingOrder, 0, len(in))
	for _, o := range in {
		out = append(out, store.StandingOrder{
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
		})
	}
	return out
}

func directDebits(in []truelayer.DirectDebit) []store.DirectDebit {
	out := make([]store.DirectDebit, 0, len(in))
	for _, d := range in {
		out = append(out, store.DirectDebit{
			Name:                  d.Name,
			Status:                d.Status,
			MandateID:             d.Meta.ProviderMandateIdentification,
			ProviderDirectDebitID: d.Meta.ProviderDirectDebitID,
			Currency:              d.Currency,
			PreviousPaymentAt:     d.PreviousPaymentTimestamp.Time,
			PreviousPaymentAmount: d.PreviousPaymentAmount,
			ProviderAccountID:     d.Meta.ProviderAccountID,
		})
	}
	return out
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

func timeOr(t truelayer.Time, def time.Time) time.Time {
	if t.Valid() {
		return t.Time
	}
	return def
}
