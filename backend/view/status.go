package view

// Status is what the first screen shows. It carries no secret.
type Status struct {
	Environment string `json:"environment"` // builtin, sandbox or live
	Builtin     bool   `json:"builtin"`     // the in-process sandbox answers
	AuthURL     string `json:"authUrl"`
	APIURL      string `json:"apiUrl"`
	ClientID    string `json:"clientId"`
	RedirectURI string `json:"redirectUri"`
	Keyring     string `json:"keyring"` // where the data key lives: secret-service, keychain, file, ...
	DataDir     string `json:"dataDir"`
	// SyncIntervalMinutes is the background sync period of the open app.
	SyncIntervalMinutes int `json:"syncIntervalMinutes"`
	// Damaged counts saved records that could not be read and were left
	// out (store.Damaged): the screen offers a repair. DamagedFile says
	// the file itself lost a part (a bucket, a header page).
	Damaged     int  `json:"damaged"`
	DamagedFile bool `json:"damagedFile"`
	// Rules are the backend's limits the screens explain and check early.
	Rules Rules `json:"rules"`
}

// Rules are values the backend decides and the screens only display or
// check early; the backend checks them again either way.
type Rules struct {
	ConsentDays        int   `json:"consentDays"`        // how long a consent (and a renewal) lasts unless the bank says
	ExpiringWithinDays int   `json:"expiringWithinDays"` // a deadline this close makes a connection expiring
	ReminderDays       []int `json:"reminderDays"`       // days before a deadline that a reminder fires
	// MinPassphraseLength is the fewest characters a new vault passphrase may have.
	MinPassphraseLength int `json:"minPassphraseLength"`
	// DefaultSyncIntervalMinutes is the background sync period when none
	// is set, MinSyncIntervalMinutes the shortest one Settings accepts.
	DefaultSyncIntervalMinutes int `json:"defaultSyncIntervalMinutes"`
	MinSyncIntervalMinutes     int `json:"minSyncIntervalMinutes"`
	// UnattendedCallsPerDay is the PSD2 limit of calls per account and
	// endpoint made without the user.
	UnattendedCallsPerDay int          `json:"unattendedCallsPerDay"`
	SnoozeMaxDays         int          `json:"snoozeMaxDays"` // the longest a reminder can be snoozed
	Contact               ContactRules `json:"contact"`
	// Permissions are what a new connection asks the bank for, in plain
	// words (bankdata.Permissions of the default scopes).
	Permissions []string `json:"permissions"`
}

// ContactRules are the checks a renewal's details must pass
// (consent.CheckUser); the patterns are RE2 and JavaScript alike.
type ContactRules struct {
	MinNameWords int    `json:"minNameWords"`
	EmailPattern string `json:"emailPattern"`
	PhonePattern string `json:"phonePattern"`
}

// VaultStatus tells the first screen whether it must ask for a passphrase.
type VaultStatus struct {
	Ready          bool `json:"ready"`
	NeedPassphrase bool `json:"needPassphrase"` // no OS keyring: ask for the vault passphrase
	NewVault       bool `json:"newVault"`       // no vault yet: the passphrase is being chosen, confirm it
	// Damaged: the data file is damaged; the screen offers Repair.
	Damaged bool   `json:"damaged"`
	Message string `json:"message"`           // why the backend did not open, when it did not
	Details string `json:"details,omitempty"` // the technical line behind Message
	// Rules hold before the backend opens too (the passphrase's length).
	Rules Rules `json:"rules"`
}

// SettingsView is what the Settings form starts from. It names the saved
// client ids (not secret) and never returns a secret.
type SettingsView struct {
	Env             string `json:"env"`
	RedirectURI     string `json:"redirectUri"`
	SandboxClientID string `json:"sandboxClientId"`
	LiveClientID    string `json:"liveClientId"`
	FromEnvironment bool   `json:"fromEnvironment"` // BANKDESK_ENV is set: saved choices do not apply
	RestartToApply  bool   `json:"restartToApply"`
	// SyncIntervalMinutes is the background sync period now in force.
	SyncIntervalMinutes int `json:"syncIntervalMinutes"`
}

// LockedReminders is what reminders may say while a passphrase vault is
// locked: the window closed, the background job reads only the unsealed
// schedule file (SECURITY.md, "Schedule file").
type LockedReminders struct {
	// Applies says the vault has a passphrase, so the schedule file is
	// kept; with an OS keyring there is none.
	Applies bool `json:"applies"`
	// NameBanks puts each bank's name in the file and its reminders;
	// otherwise they say GenericLabel.
	NameBanks    bool   `json:"nameBanks"`
	GenericLabel string `json:"genericLabel"`
	// Path is where the schedule file is.
	Path string `json:"path"`
}

// EnvironmentChoice is what the Settings screen saves.
type EnvironmentChoice struct {
	Env          string `json:"env"` // builtin, sandbox or live
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"` // empty keeps the saved one
	RedirectURI  string `json:"redirectUri"`  // empty: bankdesk://callback
	// SyncIntervalMinutes is the background sync period (at least the
	// minimum in Rules); 0 keeps the default.
	SyncIntervalMinutes int `json:"syncIntervalMinutes"`
}

// RepairView is what a repair did, in sentences for the screen.
type RepairView struct {
	Lines []string `json:"lines"`
	Lost  int      `json:"lost"` // records neither the file nor a snapshot held readable
}

// About is Settings' About card: the version and where the data is.
type About struct {
	Version string `json:"version"`
	DataDir string `json:"dataDir"`
}
