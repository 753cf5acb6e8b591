package desk

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"bankdesk/backend/bankday"
	"bankdesk/backend/importer"
	"bankdesk/backend/store"
)

// Importing the person's bank files (issue 15 §5): into a manual account
// Bankdesk keeps, or into a connected one for history older than the
// bank's API serves. importer reads and plans; the store adds, as one unit.

// maxImportFile bounds what an import reads: far more than any statement.
const maxImportFile = 64 << 20

// ImportRequest is one `bankdesk import`.
type ImportRequest struct {
	Path string
	// AccountID is the account to import into; else NewAccount names a
	// manual account to create, in Currency (else the file's).
	AccountID  string
	NewAccount string
	Currency   string
	Format     string // importer.FormatOFX or FormatCSV; "" detects it
	// Mapping reads a CSV: MappingName's (saved or built in) when set;
	// with neither, the built-in one of Bankdesk's own export.
	Mapping     importer.Mapping
	MappingName string
	DryRun      bool
}

// ImportResult is what an import did (or, dry, would do).
type ImportResult struct {
	ID        string // the import's id, for undo; "" when dry or nothing was added
	AccountID string // "" for a dry run into a new account
	Added     int
	Skipped   int // rows already stored
	Review    []importer.Review
}

// ErrImport is an import refused for what was asked (no such account,
// another currency); the error says it in words.
var ErrImport = errors.New("import refused")

// importError is an ErrImport with its sentence (problem.Sayer).
type importError struct{ say string }

func (e *importError) Error() string { return "import: " + e.say }
func (e *importError) Unwrap() error { return ErrImport }
func (e *importError) Say() string   { return e.say }

func refuse(format string, args ...any) error { return &importError{fmt.Sprintf(format, args...)} }

// Import reads the file, leaves out what the account holds already or
// seems to (Review), and adds the rest as one import. Dry, it only says
// what it would do. Offline.
func (d *Desk) Import(req ImportRequest) (ImportResult, error) {
	file, err := d.readImport(req)
	if err != nil {
		return ImportResult{}, err
	}
	acct, err := d.importTarget(req, file)
	if err != nil {
		return ImportResult{}, err
	}
	zone := bankday.London // a manual account's days: Bankdesk's banks are British
	if !acct.Manual {
		zone = bankday.Zone(bankday.Country(acct.ProviderID, ""))
	}
	rows := make([]store.Transaction, 0, len(file.Rows))
	lo, hi := bankday.Day(0), bankday.Day(0)
	for _, r := range file.Rows {
		cur := cmp.Or(r.Currency, file.Currency, acct.Currency)
		if acct.Currency != "" && cur != acct.Currency {
			return ImportResult{}, refuse("The file's transaction of %s is in %s; the account is in %s.", r.Day, cur, acct.Currency)
		}
		rows = append(rows, store.Transaction{
			AccountID: acct.ID, BookedAt: r.Day.Midnight(zone), Description: r.Description, Merchant: r.Merchant,
			Amount: r.Amount, Currency: cur, Type: r.Type, Status: store.TxBooked, ProviderTransactionID: r.ID,
		})
		if lo == 0 || r.Day < lo {
			lo = r.Day
		}
		hi = max(hi, r.Day)
	}
	var stored []store.Transaction
	if acct.ID != "" && len(rows) > 0 {
		if stored, err = d.storedAround(acct.ID, lo, hi); err != nil {
			return ImportResult{}, err
		}
	}
	plan := importer.MakePlan(rows, stored)
	res := ImportResult{AccountID: acct.ID, Added: len(plan.Add), Skipped: plan.Duplicates, Review: plan.Review}
	if req.DryRun {
		return res, nil
	}
	if acct.ID == "" {
		if acct, err = d.store.PutManualAccount(acct); err != nil {
			return ImportResult{}, fmt.Errorf("create the account: %w", err)
		}
		res.AccountID = acct.ID
		for i := range plan.Add {
			plan.Add[i].AccountID = acct.ID
		}
		d.sink.DataChanged()
	}
	rec, err := d.store.ImportTransactions(store.Import{
		At: d.now(), File: filepath.Base(req.Path), Format: file.Format, AccountID: acct.ID,
		Skipped: plan.Duplicates, Review: len(plan.Review),
	}, plan.Add)
	if err != nil {
		return ImportResult{}, fmt.Errorf("store the imported transactions: %w", err)
	}
	// The store adds only what it does not hold: what it matched counts as
	// skipped.
	res.Added = rec.Added()
	res.Skipped += len(plan.Add) - rec.Added()
	if rec.Added() > 0 {
		res.ID = rec.ID
		d.reloadLedger()
		d.sink.DataChanged()
	}
	return res, nil
}

func (d *Desk) readImport(req ImportRequest) (importer.File, error) {
	name := filepath.Base(req.Path)
	info, err := os.Stat(req.Path)
	if err == nil && info.Size() > maxImportFile {
		return importer.File{}, refuse("The file %s is larger than %d MB; no bank statement is.", name, maxImportFile>>20)
	}
	var raw []byte
	if err == nil {
		raw, err = os.ReadFile(req.Path)
	}
	if err != nil {
		return importer.File{}, refuse("The file %s cannot be read (%v).", name, errors.Unwrap(err))
	}
	format := req.Format
	if format == "" {
		format = importer.Detect(req.Path, raw[:min(len(raw), 1024)])
	}
	switch format {
	case importer.FormatOFX:
		return importer.ParseOFX(bytes.NewReader(raw))
	case importer.FormatCSV:
		m := req.Mapping
		if m == (importer.Mapping{}) && req.MappingName == "" {
			// No mapping given: Bankdesk's own export's.
			m, _ = importer.Builtin(importer.MappingBankdesk)
		}
		if req.MappingName != "" {
			if m, err = d.ImportMapping(req.MappingName); err != nil {
				return importer.File{}, err
			}
		}
		return importer.ParseCSV(bytes.NewReader(raw), m)
	}
	return importer.File{}, refuse("The format %q is not one Bankdesk imports: use ofx or csv.", format)
}

// importTarget is the account to import into: the stored one asked for,
// or a manual one not yet stored (no ID) for NewAccount.
func (d *Desk) importTarget(req ImportRequest, file importer.File) (store.Account, error) {
	if req.AccountID != "" {
		a, err := d.store.Account(req.AccountID)
		if errors.Is(err, store.ErrNotFound) {
			return store.Account{}, refuse("There is no account %q (see bankdesk accounts).", req.AccountID)
		}
		return a, err
	}
	if strings.TrimSpace(req.NewAccount) == "" {
		return store.Account{}, refuse("Say which account to import into, or name a new one.")
	}
	cur := strings.ToUpper(cmp.Or(req.Currency, file.Currency))
	if cur == "" {
		for _, r := range file.Rows {
			if cur = r.Currency; cur != "" {
				break
			}
		}
	}
	if cur == "" {
		return store.Account{}, refuse("The file does not say its currency: give the new account's (for example GBP).")
	}
	return store.Account{DisplayName: strings.TrimSpace(req.NewAccount), Currency: cur, Kind: store.KindAccount, Type: "TRANSACTION"}, nil
}

// storedAround is the account's booked (removed too) and pending
// transactions from a week before lo to a week after hi: what an import
// of those days is compared with.
func (d *Desk) storedAround(accountID string, lo, hi bankday.Day) ([]store.Transaction, error) {
	var out []store.Transaction
	err := d.store.Transactions(accountID, lo.AddDays(-7), hi.AddDays(7), func(t store.Transaction) error {
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the account's transactions: %w", err)
	}
	pending, err := d.store.Pending(accountID)
	if err != nil {
		return nil, fmt.Errorf("read the account's pending transactions: %w", err)
	}
	return append(out, pending...), nil
}

// Imports lists the imports not undone, newest first.
func (d *Desk) Imports() ([]store.Import, error) { return d.store.Imports() }

// UndoImport removes what the import id added, and nothing else.
func (d *Desk) UndoImport(id string) (store.Import, int, error) {
	rec, n, err := d.store.UndoImport(id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Import{}, 0, refuse("There is no import %q (see bankdesk imports).", id)
	}
	if err != nil {
		return store.Import{}, 0, fmt.Errorf("undo the import: %w", err)
	}
	d.reloadLedger()
	d.sink.DataChanged()
	return rec, n, nil
}

// ImportMapping is the CSV mapping saved as name, or a built-in one.
func (d *Desk) ImportMapping(name string) (importer.Mapping, error) {
	if m, ok := importer.Builtin(name); ok {
		return m, nil
	}
	saved, err := d.importMappings()
	if err != nil {
		return importer.Mapping{}, err
	}
	m, ok := saved[name]
	if !ok {
		names := slices.Sorted(func(yield func(string) bool) {
			for n := range saved {
				if !yield(n) {
					return
				}
			}
		})
		names = append(names, importer.MappingBankdesk)
		return importer.Mapping{}, refuse("There is no saved mapping %q (there are: %s).", name, strings.Join(names, ", "))
	}
	return m, nil
}

// SaveImportMapping saves m as name (sealed in the store's settings),
// replacing any of that name.
func (d *Desk) SaveImportMapping(name string, m importer.Mapping) error {
	name = strings.TrimSpace(name)
	if name == "" || name == importer.MappingBankdesk {
		return refuse("A mapping needs a name other than %q.", importer.MappingBankdesk)
	}
	if err := m.Check(); err != nil {
		return err
	}
	saved, err := d.importMappings()
	if err != nil {
		return err
	}
	saved[name] = m
	return store.PutSettingJSON(d.store, store.SettingImportMappings, saved)
}

func (d *Desk) importMappings() (map[string]importer.Mapping, error) {
	saved, err := store.GetSetting[map[string]importer.Mapping](d.store, store.SettingImportMappings)
	if errors.Is(err, store.ErrNotFound) || saved == nil {
		return map[string]importer.Mapping{}, nil
	}
	return saved, err
}
