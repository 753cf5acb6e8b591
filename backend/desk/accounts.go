package desk

import (
	"errors"
	"fmt"
	"time"

	"bankdesk/backend/money"
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
			IBAN: a.IBAN, PartialCardNumber: a.PartialCardNumber, Disconnected: !connected[a.ConnectionID],
		}
		b, err := d.store.Balance(a.ID)
		switch {
		case err == nil:
			v.Current = money.Ptr(&b.Current)
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
