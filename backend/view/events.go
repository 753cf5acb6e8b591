package view

// Event names: the only place they are spelled in Go. The frontend's
// copy (frontend/src/lib/events.gen.ts) is generated from this list and a
// test keeps the two equal; another test fails on a name no code emits.
const (
	EventSyncProgress   = "sync:progress"    // SyncProgress
	EventSyncDone       = "sync:done"        // SyncDone
	EventDataChanged    = "data:changed"     // no payload: refetch what is shown
	EventReminder       = "consent:reminder" // ReminderView
	EventConnected      = "connect:done"     // Connected
	EventConnectFailed  = "connect:error"    // ConnectFailed
	EventExportProgress = "export:progress"  // rows, total
	EventReady          = "app:ready"        // the screen that reported ready
	EventNavigate       = "menu:navigate"    // Navigate: the app menu asks for a screen
	EventExport         = "menu:export"      // no payload: the app menu asks for the export form
)

// Screens the app menu can show (EventNavigate); the frontend's own names
// for them.
const (
	ScreenOverview     = "overview"
	ScreenTransactions = "transactions"
	ScreenSpending     = "spending"
	ScreenConnections  = "connections"
	ScreenSettings     = "settings"
)

// Navigate is the payload of EventNavigate.
type Navigate struct {
	Screen string `json:"screen"`
}

// Events lists every event by its Go name, for the generated TypeScript.
var Events = []struct{ Name, Value string }{
	{"SyncProgress", EventSyncProgress},
	{"SyncDone", EventSyncDone},
	{"DataChanged", EventDataChanged},
	{"Reminder", EventReminder},
	{"Connected", EventConnected},
	{"ConnectFailed", EventConnectFailed},
	{"ExportProgress", EventExportProgress},
	{"Navigate", EventNavigate},
	{"Export", EventExport},
}

// EventPayloads names the type of each event's payload. The window binds
// a method returning it so that Wails generates these types into
// models.ts too; it is never called for its value.
type EventPayloads struct {
	SyncProgress  SyncProgress  `json:"syncProgress"`
	SyncDone      SyncDone      `json:"syncDone"`
	Reminder      ReminderView  `json:"reminder"`
	Connected     Connected     `json:"connected"`
	ConnectFailed ConnectFailed `json:"connectFailed"`
	Navigate      Navigate      `json:"navigate"`
}
