// Package view is the boundary contract: every value the window's screens
// receive or send, and the events they hear. Nothing here carries a secret.
// Types are plain data with JSON tags (camelCase); Wails generates their
// TypeScript in frontend/wailsjs/go/models.ts, which the frontend imports
// instead of declaring its own. The command line's documented --json keeps
// its own snake_case types in backend/cli, built from these.
package view

// Problem is a failure as the screens show it: Message is a plain sentence
// of what happened and what to do (the main text), Details the technical
// line behind a "Details" disclosure (correlation id included), Retry that
// trying again now makes sense, and RetryAt (RFC 3339) when Bankdesk tries
// by itself. Package problem builds them.
type Problem struct {
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
	Retry   bool   `json:"retry"`
	RetryAt string `json:"retryAt,omitempty"`
}
