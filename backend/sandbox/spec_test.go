package sandbox

import (
	"os"
	"testing"

	"bankdesk/backend/internal/spectest"
)

// Every response any test in this package receives is validated against
// TrueLayer's OpenAPI specs: the sandbox must answer as they say.
func TestMain(m *testing.M) { os.Exit(spectest.Main(m)) }
