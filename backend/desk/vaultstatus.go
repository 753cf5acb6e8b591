package desk

import (
	"errors"
	"os"
	"path/filepath"

	"bankdesk/backend/config"
	"bankdesk/backend/problem"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
	"bankdesk/backend/view"
)

// VaultStatus says, from the error Open returned (nil when it opened),
// what the first screen must ask for: a passphrase (and whether it is
// being chosen), a repair, or nothing.
func VaultStatus(cfg config.Config, openErr error) view.VaultStatus {
	v := view.VaultStatus{Rules: Rules()}
	switch {
	case openErr == nil:
		v.Ready = true
	case errors.Is(openErr, vault.ErrNeedPassphrase):
		_, statErr := os.Stat(filepath.Join(cfg.VaultDir, vault.KeyFileName))
		v.NeedPassphrase, v.NewVault = true, statErr != nil
		v.Message = "No OS keyring is available, so Bankdesk protects your data with a passphrase."
	case IsDamaged(openErr):
		// The repair screen says what this means; what was found is the
		// technical line.
		v.Damaged, v.Message, v.Details = true, "Bankdesk's data file is damaged. A repair rebuilds it from what can still be read.", openErr.Error()
	default:
		p := problem.Of(openErr)
		v.Message, v.Details = p.Message, p.Details
	}
	return v
}

// IsDamaged reports an open failure that a repair may fix.
func IsDamaged(err error) bool { return errors.Is(err, store.ErrDamaged) }

// ErrNoPassphrase is Unlock's answer to an empty passphrase.
var ErrNoPassphrase = errors.New("enter a passphrase")
