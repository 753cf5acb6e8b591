package openapi

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"
)

// The embedded specs must stay byte-for-byte TrueLayer's published files
// (SOURCE.md): these are the SHA-256 sums of the copies vendored then.
func TestSpecsAreTheVendoredCopies(t *testing.T) {
	for name, c := range map[string]struct {
		raw  []byte
		want string
	}{
		"data-api-v1.json":           {DataAPIV1, "b14cb4bdadd4073db746782ecc1a796b8b2bd0bffdd8f18a362f97daf3a7877d"},
		"authentication-server.json": {AuthServer, "7a07ecab95c48f2e0088a4148768519759fe802713dafe9d637e1b5afcfe0cba"},
	} {
		if got := fmt.Sprintf("%x", sha256.Sum256(c.raw)); got != c.want {
			t.Errorf("%s: sha256 %s, want %s (the vendored copy was edited)", name, got, c.want)
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
