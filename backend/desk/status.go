package desk

import (
	"slices"

	"bankdesk/backend/bankdata"
	"bankdesk/backend/config"
	"bankdesk/backend/connect"
	"bankdesk/backend/consent"
	"bankdesk/backend/syncer"
	"bankdesk/backend/truelayer"
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
		ConsentDays:                connect.ConsentDays,
		ExpiringWithinDays:         int(consent.ExpiringWithin.Hours() / 24),
		ReminderDays:               slices.Clone(consent.Steps),
		MinPassphraseLength:        vault.MinPassphraseLen,
		DefaultSyncIntervalMinutes: int(config.DefaultSyncInterval.Minutes()),
		MinSyncIntervalMinutes:     int(config.MinSyncInterval.Minutes()),
		UnattendedCallsPerDay:      syncer.UnattendedCallsPerDay,
		SnoozeMaxDays:              snoozeMaxDays,
		Contact: view.ContactRules{
			MinNameWords: consent.MinNameWords, EmailPattern: consent.EmailPattern, PhonePattern: consent.PhonePattern,
		},
		Permissions: bankdata.Permissions(truelayer.DefaultScopes, connect.ConsentDays),
	}
}
