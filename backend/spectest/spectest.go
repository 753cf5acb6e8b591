// Package spectest is backend/internal/spectest for app/, which sits outside
// backend/ and so cannot import backend/internal. Code under backend/ imports
// backend/internal/spectest itself; delete this package once app/ no longer
// runs tests against the sandbox.
package spectest

import "bankdesk/backend/internal/spectest"

// Main is spectest.Main: the package's tests with every response through
// http.DefaultTransport validated against TrueLayer's OpenAPI specs.
func Main(m interface{ Run() int }) int { return spectest.Main(m) }
