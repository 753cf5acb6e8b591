package desk

import (
	"bankdesk/backend/config"
	"bankdesk/backend/connect"
	"bankdesk/backend/vault"
	"bankdesk/backend/view"
)

// Status describes where the backend is connected.
func (d *Desk) Status() view.Status {
	records, file := 0, false
	for _, x := range d.Damaged() {
		if x.Bucket == "file" {
			file = true
		} else {
			records++
		}
	}
	return view.Status{
		Environment: string(d.cfg.Env),
		Builtin:     d.sandbox != nil,
		AuthURL:     d.cfg.AuthURL,
		APIURL:      d.cfg.APIURL,
		ClientID:    d.cfg.ClientID,
		RedirectURI: d.cfg.RedirectURI,
		Keyring:     d.vault.Backend(),
		DataDir:     d.cfg.DataDir,

		SyncIntervalMinutes: int(d.cfg.SyncInterval.Minutes()),
		Damaged:             records,
		DamagedFile:         file,
		Rules:               Rules(),
	}
}

// Rules are the limits the screens explain and check early; each is
// defined by the package that enforces it.
func Rules() view.Rules {
	return view.Rules{
		ConsentDays:            connect.ConsentDays,
		PassphraseMinLength:    vault.MinPassphraseLen,
		SyncIntervalMinutes:    int(config.DefaultSyncInterval.Minutes()),
		MinSyncIntervalMinutes: int(config.MinSyncInterval.Minutes()),
		SnoozeMaxDays:          snoozeMaxDays,
	}
}
