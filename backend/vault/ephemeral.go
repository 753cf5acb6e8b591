package vault

// BackendMemory is what Backend reports for an ephemeral Vault.
const BackendMemory = "memory"

// NewEphemeral returns a Vault with a random data key that is never
// stored: records it seals cannot be opened once it is closed. It is for
// tests of packages that seal records, and for throwaway sessions.
func NewEphemeral() (*Vault, error) {
	key, err := newDataKey()
	if err != nil {
		return nil, err
	}
	return newVault(BackendMemory, key)
}
