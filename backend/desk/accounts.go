package desk

import (
	"errors"
	"fmt"
	"time"

	"bankdesk/backend/money"
	"bankdesk/backend/position"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/view"
)

// Accounts lists every stored account and card with its latest balance. It
// reads only the store, so it works offline.
func (d *Desk) Accounts() ([]view.AccountView, error) {
	accts, err := d.store.Accounts()
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	conns, err := d.store.Connections()
	if err != nil {
		return nil, fmt.Errorf("read connections: %w", err)
	}
	connected := make(map[string]bool, len(conns))
	for _, c := range conns {
		connected[c.ID] = true
	}
	out := make([]view.AccountView, 0, len(accts))
	for _, a := range accts {
		v := view.AccountView{
			ID: a.ID, ConnectionID: a.ConnectionID, ProviderID: a.ProviderID, Kind: a.Kind, Type: a.Type,
			DisplayName: a.DisplayName, Currency: a.Currency, SortCode: a.SortCode, Number: a.Number,
			IBAN: a.IBAN, PartialCardNumber: a.PartialCardNumber, Disconnected: !a.Manual && !connected[a.ConnectionID], Manual: a.Manual, Owes: position.Owes(a.Kind),
		}
		b, err := d.store.Balance(a.ID)
		switch {
		case err == nil:
			current := position.Of(a.Kind, b.Current)
			v.Current = money.Ptr(&current)
			v.Available = money.Ptr(b.Available)
			v.BalanceUpdatedAt = RFC3339(b.UpdatedAt)
		case !errors.Is(err, store.ErrNotFound):
			return nil, fmt.Errorf("read balance of %s: %w", a.ID, err)
		}
		st, err := syncer.ReadState(d.store, a.ID)
		if err != nil {
			return nil, fmt.Errorf("read sync state of %s: %w", a.ID, err)
		}
		if !st.HistoryFrom.IsZero() {
			v.HistoryFrom = st.HistoryFrom.Format(time.DateOnly)
			v.HistoryLimited = st.HistoryLimited
		}
		if !st.LastSyncAt.IsZero() {
			v.LastSyncedAt = RFC3339(st.LastSyncAt)
		}
		out = append(out, v)
	}
	return out, nil
}

// NetPosition is what the person has less what they owe, per currency, over
// every stored account's latest balance (position.Sum). Offline.
func (d *Desk) NetPosition() ([]view.NetPosition, error) {
	accts, err := d.store.Accounts()
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	var balances []position.Balance
	for _, a := range accts {
		b, err := d.store.Balance(a.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			continue // not synced yet: nothing to count
		case err != nil:
			return nil, fmt.Errorf("read balance of %s: %w", a.ID, err)
		}
		cur := b.Currency
		if cur == "" {
			cur = a.Currency
		}
		balances = append(balances, position.Balance{Currency: cur, Amount: position.Of(a.Kind, b.Current)})
	}
	out := []view.NetPosition{}
	for _, n := range position.Sum(balances) {
		out = append(out, view.NetPosition{Currency: n.Currency, Net: money.String(n.Net()), Assets: money.String(n.Assets), Debts: money.String(n.Debts), Accounts: n.Accounts})
	}
	return out, nil
}
