package consent

import "strings"

// IsEU reports whether a provider is a bank in the EU, where TrueLayer's
// connections/extend does not exist (it is UK only): renewing a consent
// there means logging in at the bank again.
//
// country is the provider's country from TrueLayer's bank list ("uk",
// "de", "fr"...; "" when unknown) and decides when known. Without it the
// provider id's conventions do:
//   - "mock", and ids starting "ob-", "oauth-" or "uk-": UK;
//   - ids containing "xs2a", starting "stet-", or starting with another
//     two-letter country code and a dash ("de-", "fr-", "ie-", ...): EU;
//   - anything else: UK. Extend is then tried, and a bank that cannot be
//     extended answers 4xx, which falls back to a login anyway.
func IsEU(providerID, country string) bool {
	if c := strings.ToLower(strings.TrimSpace(country)); c != "" {
		return c != "uk" && c != "gb"
	}
	id := strings.ToLower(providerID)
	switch {
	case id == "mock", strings.HasPrefix(id, "ob-"), strings.HasPrefix(id, "oauth-"), strings.HasPrefix(id, "uk-"):
		return false
	case strings.Contains(id, "xs2a"), strings.HasPrefix(id, "stet-"):
		return true
	}
	return len(id) > 3 && id[2] == '-' && isLetter(id[0]) && isLetter(id[1])
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' }
