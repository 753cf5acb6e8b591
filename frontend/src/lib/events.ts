// Generated from backend/view/events.go by `go test ./backend/view -update`; do not edit.
// The names of the events the backend emits and the window listens to.
export const EventSyncProgress = 'sync:progress'
export const EventSyncDone = 'sync:done'
export const EventDataChanged = 'data:changed'
export const EventReminder = 'consent:reminder'
export const EventConnected = 'connect:done'
export const EventConnectFailed = 'connect:error'
export const EventExportProgress = 'export:progress'
export const EventNavigate = 'menu:navigate'
export const EventExport = 'menu:export'
