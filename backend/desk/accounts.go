package desk

import (
	"errors"
	"fmt"

	"bankdesk/backend/store"
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
		out = append(out, v)
	}
	return out, nil
}
