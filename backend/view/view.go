// Package view is the boundary contract: every value the window's screens
// receive or send, and the events they hear. Nothing here carries a secret.
// Types are plain data with JSON tags (camelCase); Wails generates their
// TypeScript in frontend/wailsjs/go/models.ts, which the frontend imports
// instead of declaring its own. The command line's documented --json keeps
// its own snake_case types in backend/cli, built from these.
package view
