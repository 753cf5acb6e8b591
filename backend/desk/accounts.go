package desk

import (
	"errors"
	"fmt"
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
)

// AccountView is an account or card as the UI and `bankdesk accounts --json`
// show it: no tokens, amounts as exact decimal strings.
type AccountView struct {
	ID                string  `json:"id"`
	ConnectionID      string  `json:"connection_id"`
	ProviderID        string  `json:"provider_id"`
	Kind              string  `json:"kind"` // account or card
	Type              string  `json:"type,omitempty"`
	DisplayName       string  `json:"display_name"`
	Currency          string  `json:"currency"`
	Current           *string `json:"current,omitempty"`
	Available         *string `json:"available,omitempty"`
	SortCode          string  `json:"sort_code,omitempty"`
	Number            string  `json:"number,omitempty"`
	IBAN              string  `json:"iban,omitempty"`
	PartialCardNumber string  `json:"partial_card_number,omitempty"`
	BalanceUpdatedAt  string  `json:"balance_updated_at,omitempty"`
	// HistoryFrom is the first day (YYYY-MM-DD) the stored history covers,
	// once known; HistoryLimited says the bank refused older history (the
	// UI then says "since <date>" and offers a reconnect).
	HistoryFrom    string `json:"history_from,omitempty"`
	HistoryLimited bool   `json:"history_limited,omitempty"`
	LastSyncedAt   string `json:"last_synced_at,omitempty"` // RFC 3339; when a sync last finished fully
}

// Accounts lists every stored account and card with its latest balance. It
// reads only the store, so it works offline.
func (d *Desk) Accounts() ([]AccountView, error) {
	accts, err := d.store.Accounts()
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	out := make([]AccountView, 0, len(accts))
	for _, a := range accts {
		v := AccountView{
			ID: a.ID, ConnectionID: a.ConnectionID, ProviderID: a.ProviderID, Kind: a.Kind, Type: a.Type,
			DisplayName: a.DisplayName, Currency: a.Currency, SortCode: a.SortCode, Number: a.Number,
			IBAN: a.IBAN, PartialCardNumber: a.PartialCardNumber,
		}
		b, err := d.store.Balance(a.ID)
		switch {
		case err == nil:
			cur := b.Current.String()
			v.Current = &cur
			if b.Available != nil {
				av := b.Available.String()
				v.Available = &av
			}
			v.BalanceUpdatedAt = b.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z07:00")
		case !errors.Is(err, store.ErrNotFound):
			return nil, fmt.Errorf("read balance of %s: %w", a.ID, err)
		}
		st, err := syncer.ReadState(d.store, a.ID)
		if err != nil {
			return nil, fmt.Errorf("read sync state of %s: %w", a.ID, err)
		}
		if !st.HistoryFrom.IsZero() {
			v.HistoryFrom = st.HistoryFrom.Format(time.DateOnly)
			v.HistoryLimited = st.HistoryLimited
		}
		if !st.LastSyncAt.IsZero() {
			v.LastSyncedAt = st.LastSyncAt.UTC().Format(time.RFC3339)
		}
		out = append(out, v)
	}
	return out, nil
}
