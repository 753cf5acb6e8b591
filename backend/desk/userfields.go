package desk

import (
	"errors"
	"fmt"

	"bankdesk/backend/store"
	"bankdesk/backend/view"
)

// What the person adds to transactions (store.UserFields): edited here,
// shown on every row (txRow), kept apart from the bank's fields.

// UserFields are the person's fields of the account's transaction id
// (TxRow's AccountID and ID): empty when they added none. Offline.
func (d *Desk) UserFields(accountID, id string) (view.UserFields, error) {
	f, err := d.store.UserFields(accountID, id)
	if err != nil {
		return view.UserFields{}, err
	}
	return userFieldsView(f), nil
}

// SetUserFields replaces the person's fields of the account's transaction
// id with f, whole (an empty field clears it; a transfer link is set or
// cleared on both halves), and returns the row as it now lists. The
// screens hear DataChanged. Offline. A field the store refuses comes back
// as an error that says why (a problem.Sayer); a transaction no longer
// stored as ErrNoTransaction.
func (d *Desk) SetUserFields(accountID, id string, f view.UserFields) (view.TxRow, error) {
	fields := store.UserFields{Category: f.Category, Note: f.Note, Tags: f.Tags, Payee: f.Payee, Hidden: f.Hidden, NotTransfer: f.NotTransfer}
	if l := f.TransferWith; l != nil {
		fields.TransferWith = &store.TxRef{AccountID: l.AccountID, Key: l.ID}
	}
	if err := d.store.SetUserFields(accountID, id, fields); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return view.TxRow{}, fmt.Errorf("%w: %w", ErrNoTransaction, err)
		}
		return view.TxRow{}, fmt.Errorf("save your changes to the transaction: %w", err)
	}
	if err := d.applyUserFields(); err != nil {
		return view.TxRow{}, err
	}
	d.sink.DataChanged()
	return d.row(accountID, id)
}

// applyUserFields gives the screens' index, when loaded, the fields as
// stored: a link changes two rows, maybe of two accounts, so every
// account's are read (a record each), and no transaction is.
func (d *Desk) applyUserFields() error {
	d.ledgerMu.Lock()
	l := d.ledgerIdx
	d.ledgerMu.Unlock()
	if l == nil {
		return nil // loaded fresh on next use
	}
	accts, err := d.store.Accounts()
	if err != nil {
		return fmt.Errorf("read accounts: %w", err)
	}
	fields := make(map[string]map[string]store.UserFields, len(accts))
	for _, a := range accts {
		if fields[a.ID], err = d.store.UserFieldsOf(a.ID); err != nil {
			return fmt.Errorf("read your changes to transactions: %w", err)
		}
	}
	l.ApplyUserFields(fields)
	return nil
}

// row is the account's transaction id as the lists show it, booked or
// pending.
func (d *Desk) row(accountID, id string) (view.TxRow, error) {
	a, err := d.store.Account(accountID)
	if err != nil {
		return view.TxRow{}, fmt.Errorf("read account: %w", err)
	}
	t, err := d.store.Transaction(accountID, id)
	if errors.Is(err, store.ErrNotFound) {
		pending, perr := d.store.Pending(accountID)
		if perr != nil {
			return view.TxRow{}, perr
		}
		for _, p := range pending {
			if p.Key == id {
				return txRow(p, a.DisplayName), nil
			}
		}
		return view.TxRow{}, fmt.Errorf("%w: %w", ErrNoTransaction, err)
	}
	if err != nil {
		return view.TxRow{}, err
	}
	return txRow(t, a.DisplayName), nil
}

// TransactionAccounts lists the accounts that hold a transaction (booked,
// removed or pending) with this id: one, as a rule, since ids are the
// bank's and content hashes cover the account. Offline.
func (d *Desk) TransactionAccounts(id string) ([]string, error) {
	accts, err := d.store.Accounts()
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	var out []string
	for _, a := range accts {
		if _, err := d.row(a.ID, id); err == nil {
			out = append(out, a.ID)
		} else if !errors.Is(err, ErrNoTransaction) {
			return nil, err
		}
	}
	return out, nil
}

func userFieldsView(f store.UserFields) view.UserFields {
	v := view.UserFields{Category: f.Category, Note: f.Note, Tags: append([]string{}, f.Tags...), Payee: f.Payee, Hidden: f.Hidden, NotTransfer: f.NotTransfer}
	if l := f.TransferWith; l != nil {
		v.TransferWith = &view.TxRef{AccountID: l.AccountID, ID: l.Key}
	}
	return v
}
