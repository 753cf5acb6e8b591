package sandbox

import (
	"fmt"
	"net/http"
	"os"

	"testing"

	"bankdesk/backend/internal/spectest"
)

// Every response any test in this package receives goes through the spec
// recorder: the sandbox must answer as TrueLayer's OpenAPI specs say.
var recorder = spectest.NewRecorder(http.DefaultTransport)

func TestMain(m *testing.M) {
	http.DefaultTransport = recorder
	code := m.Run()
	if failures := recorder.Failures(); len(failures) > 0 {
		for _, f := range failures {
			fmt.Fprintln(os.Stderr, "OpenAPI violation:", f)
		}
		code = 1
	}
	if code == 0 {
		fmt.Fprintf(os.Stderr, "OpenAPI: validated responses of %v\n", recorder.Operations())
	}
	os.Exit(code)
}
