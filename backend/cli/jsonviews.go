package cli

import "bankdesk/backend/view"

// accountJSON is an account in `bankdesk accounts --json`: the documented
// snake_case form, built from the window's view of it.
type accountJSON struct {
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
	HistoryFrom       string  `json:"history_from,omitempty"`
	HistoryLimited    bool    `json:"history_limited,omitempty"`
	LastSyncedAt      string  `json:"last_synced_at,omitempty"`
}

func accountRows(vs []view.AccountView) []accountJSON {
	out := make([]accountJSON, len(vs))
	for i, a := range vs {
		out[i] = accountJSON(a) // the same fields: only the JSON names differ
	}
	return out
}
