package truelayer

// ProviderRef identifies the bank behind a connection, account or card.
// DisplayName and LogoURI are deprecated on accounts and cards (only the id
// is sent there now); /me still carries them.
type ProviderRef struct {
	ID          string `json:"provider_id"`
	DisplayName string `json:"display_name,omitempty"`
	LogoURI     string `json:"logo_uri,omitempty"`
}

// Me describes the connection an access token belongs to (GET /me).
type Me struct {
	ClientID               string      `json:"client_id"`
	CredentialsID          string      `json:"credentials_id"`
	ConsentStatus          string      `json:"consent_status"`
	ConsentStatusUpdatedAt Time        `json:"consent_status_updated_at"`
	ConsentCreatedAt       Time        `json:"consent_created_at"`
	ConsentExpiresAt       Time        `json:"consent_expires_at"`
	Provider               ProviderRef `json:"provider"`
	Scopes                 []string    `json:"scopes"`
	PrivacyPolicy          string      `json:"privacy_policy"`
}

// Info is the account holder's identity (GET /info). Emails and Phones are
// rarely populated by providers.
type Info struct {
	FullName        string   `json:"full_name"`
	BranchID        string   `json:"branch_id,omitempty"`
	Emails          []string `json:"emails,omitempty"`
	Phones          []string `json:"phones,omitempty"`
	UpdateTimestamp Time     `json:"update_timestamp"`
}
