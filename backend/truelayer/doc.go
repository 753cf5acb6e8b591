// Package truelayer is a typed client for TrueLayer's auth server and Data
// API v1 (UK/EU account information).
//
// A Client is configured with two host roots, the auth server and the API
// host; it adds /data/v1 itself. Token grants go through golang.org/x/oauth2;
// the auth link and the Data API calls are built by hand because TrueLayer
// wants %20-separated scopes and a few non-standard parameters.
//
// Every failed call returns an *Error (possibly wrapped); use the classifiers
// IsRetryable, RetryAfter, NeedsReconnect, IsUnauthorized, IsSCAExceeded and
// IsNotSupported rather than comparing codes. Secrets (tokens, client secret,
// authorization codes, PKCE verifiers) never appear in error strings or logs.
package truelayer
