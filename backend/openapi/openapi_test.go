package openapi

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The embedded specs must stay byte-for-byte TrueLayer's published files. When
// the project's shared reference copy sits beside the repository (as in the
// developers' and CI's checkouts), compare with it.
func TestSpecsMatchSharedCopy(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "truelayer", "openapi")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("no shared copy at %s", shared)
	}
	for name, embedded := range map[string][]byte{"data-api-v1.json": DataAPIV1, "authentication-server.json": AuthServer} {
		want, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want, embedded) {
			t.Errorf("%s differs from the shared copy", name)
		}
	}
}

func TestSpecsAreOpenAPI3(t *testing.T) {
	for name, raw := range map[string][]byte{"data": DataAPIV1, "auth": AuthServer} {
		var doc struct {
			OpenAPI string         `json:"openapi"`
			Paths   map[string]any `json:"paths"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if doc.OpenAPI != "3.0.3" || len(doc.Paths) == 0 {
			t.Fatalf("%s: openapi %q with %d paths", name, doc.OpenAPI, len(doc.Paths))
		}
	}
}
