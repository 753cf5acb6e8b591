package view

// ConsentView is one connection's consent as the badges and banners show it.
type ConsentView struct {
	ConnectionID        string `json:"connectionId"`
	ProviderID          string `json:"providerId"`
	ProviderName        string `json:"providerName"`
	ConsentCreatedAt    string `json:"consentCreatedAt"`
	ConsentExpiresAt    string `json:"consentExpiresAt"`
	RefreshIdleDeadline string `json:"refreshIdleDeadline"`
	// DaysLeft counts to the consent's end, as `bankdesk consents` does.
	DaysLeft int    `json:"daysLeft"`
	Status   string `json:"status"` // active, expiring, reconnect_needed, expired
	// Headline is the deadline to put first (consent.Info.Headline):
	// "consent", or "refresh" if nothing kept the token in use.
	Headline         string `json:"headline"`
	HeadlineDeadline string `json:"headlineDeadline"`
	HeadlineDaysLeft int    `json:"headlineDaysLeft"`
}

// ReminderView is one reminder: the payload of EventReminder.
type ReminderView struct {
	ConnectionID string `json:"connectionId"`
	ProviderName string `json:"providerName"`
	Kind         string `json:"kind"` // consent or refresh
	Step         int    `json:"step"`
	DaysLeft     int    `json:"daysLeft"`
	Message      string `json:"message"`
}

// ReconfirmRequest is what the reconfirmation screen sends after the user
// ticked the explicit confirmation.
type ReconfirmRequest struct {
	ConnectionID string `json:"connectionId"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Phone        string `json:"phone"`
	Confirmed    bool   `json:"confirmed"`
}

// ExtendResult tells the screen what happened next.
type ExtendResult struct {
	Extended  bool   `json:"extended"`  // done: consent renewed without visiting the bank
	AtBank    bool   `json:"atBank"`    // the bank's page was opened; the deep link completes it
	Fallback  bool   `json:"fallback"`  // extend was refused; a fresh login to the same bank was opened
	Message   string `json:"message"`   // a sentence for the user
	NewExpiry string `json:"newExpiry"` // RFC 3339, when extended
	// Link is the page to open in the browser when AtBank or Fallback;
	// the window opens it, it is not shown.
	Link string `json:"-"`
}
