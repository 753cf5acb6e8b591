package view

// SyncProgress is the payload of EventSyncProgress.
type SyncProgress struct {
	ConnectionID string `json:"connectionId"`
	AccountID    string `json:"accountId"`
	AccountName  string `json:"accountName"`
	Phase        string `json:"phase"`
	Window       int    `json:"window"`
	Windows      int    `json:"windows"`
	WindowFrom   string `json:"windowFrom,omitempty"`
	WindowTo     string `json:"windowTo,omitempty"`
	Added        int    `json:"added"`
	Total        int    `json:"total"`
	Message      string `json:"message,omitempty"`
	// DeepHistoryUntil (RFC 3339) is when the bank stops serving history
	// older than 90 days, while that is ahead: the bar shows the time left.
	DeepHistoryUntil string `json:"deepHistoryUntil,omitempty"`
}

// SyncAccount is one account's outcome in EventSyncDone.
type SyncAccount struct {
	AccountID      string   `json:"accountId"`
	Name           string   `json:"name"`
	Added          int      `json:"added"`
	Updated        int      `json:"updated"`
	Removed        int      `json:"removed"` // bookings the bank no longer lists, now marked removed
	HistoryFrom    string   `json:"historyFrom,omitempty"`
	HistoryLimited bool     `json:"historyLimited"`
	Error          *Problem `json:"error,omitempty"`
}

// SyncDone is the payload of EventSyncDone.
type SyncDone struct {
	ConnectionID string        `json:"connectionId"`
	OK           bool          `json:"ok"`
	Error        *Problem      `json:"error,omitempty"`
	Accounts     []SyncAccount `json:"accounts"`
}
