package truelayer

// Card is a credit or charge card (GET /cards). Its ID (the API's
// account_id) is what the /cards/{id}/... endpoints take.
type Card struct {
	ID                string      `json:"account_id"`
	CardNetwork       string      `json:"card_network"` // VISA, MASTERCARD, ...
	CardType          string      `json:"card_type"`    // CREDIT, CHARGE, ...
	Currency          string      `json:"currency"`
	DisplayName       string      `json:"display_name"`
	PartialCardNumber string      `json:"partial_card_number"`
	NameOnCard        string      `json:"name_on_card"`
	ValidFrom         Time        `json:"valid_from"` // "2017-01"
	ValidTo           Time        `json:"valid_to"`
	Provider          ProviderRef `json:"provider"`
	UpdateTimestamp   Time        `json:"update_timestamp"`
}
