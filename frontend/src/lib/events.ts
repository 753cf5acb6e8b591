// The names of the events the backend emits and the window listens to, one
// per Go constant of the same name (app/connect.go, app/sync.go,
// app/consent.go, app/export.go). Only api.ts subscribes; this file is the
// one to generate from Go.
export const EventConnected = 'connect:done'
export const EventConnectFailed = 'connect:error'
export const EventSyncProgress = 'sync:progress'
export const EventSyncDone = 'sync:done'
export const EventDataChanged = 'data:changed'
export const EventReminder = 'consent:reminder'
export const EventExportProgress = 'export:progress'
