package view

// ConnectStart tells the UI a bank login is under way, until ExpiresAt
// (RFC 3339). Link is the auth link the window opened in the browser, for
// the waiting card's "Copy link": it holds no secret (the client id, the
// redirect, the state and the PKCE challenge; the verifier never leaves
// the store).
type ConnectStart struct {
	ExpiresAt string `json:"expiresAt"`
	Link      string `json:"link"`
}

// Connected is the payload of EventConnected.
type Connected struct {
	ConnectionID string   `json:"connectionId"`
	ProviderID   string   `json:"providerId"`
	Accounts     int      `json:"accounts"`
	Cards        int      `json:"cards"`
	Warnings     []string `json:"warnings"`
	// After a reconnect: accounts the bank returned that match none stored,
	// and stored accounts it no longer returned (their history is kept).
	Unmatched []string `json:"unmatched"`
	Missing   []string `json:"missing"`
	// Unfinished: saved, but the bank did not answer for the accounts yet;
	// the next sync (started at once) finishes it.
	Unfinished bool `json:"unfinished"`
	// Existing: the bank was already connected; that connection took the
	// new consent instead of a second one being made.
	Existing bool `json:"existing"`
	// Notes say what happened in plain sentences (connect.Result.Notes).
	Notes []string `json:"notes"`
	// Renewed: the login renewed this connection (a reconnect or a renewal
	// at the bank); the window shows it on the Connections screen.
	Renewed bool `json:"renewed"`
}

// ConnectFailed is the payload of EventConnectFailed: what to tell the
// user and a kind the UI can branch on.
type ConnectFailed struct {
	Kind    string  `json:"kind"` // cancelled, unknown_state, expired, code_expired, malformed, bank, other
	Problem Problem `json:"problem"`
}

// ConnectionView is a bank connection as the UI shows it: dates, never tokens.
type ConnectionView struct {
	ID         string `json:"id"`
	ProviderID string `json:"providerId"`
	// ProviderName is the name to show for the bank (connect.Flow.BankName):
	// the bank's own, else the bank list's, the id only as a last resort.
	ProviderName     string `json:"providerName"`
	Status           string `json:"status"` // active, reconnect_needed, revoked
	ConsentCreatedAt string `json:"consentCreatedAt"`
	ConsentExpiresAt string `json:"consentExpiresAt"`
	// RefreshDeadline is when the refresh token lapses unless used: 30 days
	// after its last use, never past the consent's end.
	RefreshDeadline string `json:"refreshDeadline"`
	// DaysLeft is the whole days until the consent ends (consent.Info):
	// the screens show this number rather than counting themselves.
	DaysLeft     int      `json:"daysLeft"`
	LastSyncedAt string   `json:"lastSyncedAt,omitempty"`
	Scopes       []string `json:"scopes"`
	// Permissions are the scopes in plain words (bankdata.Permissions),
	// what the screens show.
	Permissions []string `json:"permissions"`
	Accounts    int      `json:"accounts"`
	// AccountNames are the display names of the accounts and cards it
	// holds: with the consent's date they tell two connections to one bank
	// apart.
	AccountNames []string `json:"accountNames"`
	// Holder is who the bank says holds the accounts, when it said.
	Holder *HolderView `json:"holder,omitempty"`
	// Unfinished: saved, but the bank has not yet answered for the
	// accounts; the next sync finishes it.
	Unfinished bool `json:"unfinished"`
	// HistoryFrom is the latest first day of its accounts' stored history
	// (YYYY-MM-DD) when the bank refused older history (HistoryLimited):
	// the screen offers to ask once more (FetchOlderHistory).
	HistoryFrom    string `json:"historyFrom,omitempty"`
	HistoryLimited bool   `json:"historyLimited"`
	// Renewing now: the consent would run until RenewUntil (RFC 3339), and
	// RenewNote says in a sentence when that gains little (consent.RenewalOf).
	RenewUntil string `json:"renewUntil"`
	RenewNote  string `json:"renewNote,omitempty"`
	// Contact is who renewed last (kept in the vault), to fill the renewal form.
	Contact Contact `json:"contact"`
}

// Contact is the name and email or phone a renewal sends to TrueLayer.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// Bank is one entry of the bank picker.
type Bank struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	LogoURL string   `json:"logoUrl"`
	Country string   `json:"country"`
	Scopes  []string `json:"scopes"`
}

// HolderView is the account holder as the bank knows them (scope info).
type HolderView struct {
	Name   string   `json:"name"`
	Emails []string `json:"emails"`
	Phones []string `json:"phones"`
}
