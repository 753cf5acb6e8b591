// Package openapi embeds TrueLayer's published OpenAPI specs (byte-for-byte
// copies; SOURCE.md says where they come from, SHA256SUMS what they hold) so
// tests can validate the built-in sandbox against them without depending on
// files outside the repository.
package openapi

import _ "embed"

// DataAPIV1 is data-api-v1.json, the Data API v1 spec.
//
//go:embed data-api-v1.json
var DataAPIV1 []byte

// AuthServer is authentication-server.json, the auth server spec.
//
//go:embed authentication-server.json
var AuthServer []byte
