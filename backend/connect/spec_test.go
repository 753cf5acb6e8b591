package connect

import (
	"os"
	"testing"

	"bankdesk/backend/internal/spectest"
)

// These tests talk to the built-in sandbox; every response is validated
// against TrueLayer's OpenAPI specs.
func TestMain(m *testing.M) { os.Exit(spectest.Main(m)) }
