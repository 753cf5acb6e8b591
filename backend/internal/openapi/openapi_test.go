package openapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// The embedded specs must stay byte-for-byte TrueLayer's published files:
// SHA256SUMS (sha256sum's format, checkable with `sha256sum -c`) records
// them as vendored, and any edit, reformatting or partial download fails
// here. Updating a spec means updating its line there, on purpose.
func TestSpecsMatchTheirChecksums(t *testing.T) {
	sums, err := os.ReadFile("SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	embedded := map[string][]byte{"data-api-v1.json": DataAPIV1, "authentication-server.json": AuthServer}
	seen := 0
	for line := range strings.Lines(string(sums)) {
		sum, name, ok := strings.Cut(strings.TrimSpace(line), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: bad line %q", line)
		}
		raw, known := embedded[name]
		if !known {
			t.Fatalf("SHA256SUMS names %s, which is not embedded", name)
		}
		seen++
		if got := sha256.Sum256(raw); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: SHA-256 %x, SHA256SUMS says %s", name, got, sum)
		}
	}
	if seen != len(embedded) {
		t.Errorf("SHA256SUMS lists %d of the %d embedded specs", seen, len(embedded))
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
