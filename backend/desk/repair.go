package desk

import (
	"fmt"
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/vault"
)

// Check verifies the data file (store.Check): every page, every record
// unsealed. It needs the key, not an open store, so it works on a file
// that no longer opens.
func Check(opts Options) (store.CheckReport, error) {
	v, err := openVault(opts)
	if err != nil {
		return store.CheckReport{}, err
	}
	defer v.Close()
	return store.Check(opts.Config.StorePath(), v)
}

// Repair rebuilds a damaged data file from what is readable in it and from
// the newest snapshot (store.Repair), keeping the damaged file beside it.
func Repair(opts Options) (store.RepairReport, error) {
	v, err := openVault(opts)
	if err != nil {
		return store.RepairReport{}, err
	}
	defer v.Close()
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	return store.Repair(opts.Config.StorePath(), v, now())
}

// openVault opens the key alone, as Open does before the store.
func openVault(opts Options) (*vault.Vault, error) {
	cfg := opts.Config
	pass := opts.Passphrase
	if pass == nil && cfg.Passphrase != "" {
		p := cfg.Passphrase
		pass = func() (string, error) { return p, nil }
	}
	v, err := vault.Open(vault.Options{Mode: vault.Mode(cfg.Keyring), Dir: cfg.VaultDir, Passphrase: pass})
	if err != nil {
		return nil, fmt.Errorf("open vault: %w", err)
	}
	return v, nil
}
