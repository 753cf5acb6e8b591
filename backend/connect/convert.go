package connect

import (
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

func accountFrom(conn store.Connection, a truelayer.Account, now time.Time) store.Account {
	return store.Account{
		ID:           a.ID,
		ConnectionID: conn.ID,
		ProviderID:   firstNonEmpty(a.Provider.ID, conn.ProviderID),
		Kind:         store.KindAccount,
		Type:         a.Type,
		DisplayName:  a.DisplayName,
		Currency:     a.Currency,
		Number:       a.Number.Number,
		SortCode:     a.Number.SortCode,
		IBAN:         a.Number.IBAN,
		SwiftBIC:     a.Number.SwiftBIC,
		UpdatedAt:    now,
	}
}

func cardFrom(conn store.Connection, c truelayer.Card, now time.Time) store.Account {
	return store.Account{
		ID:                c.ID,
		ConnectionID:      conn.ID,
		ProviderID:        firstNonEmpty(c.Provider.ID, conn.ProviderID),
		Kind:              store.KindCard,
		Type:              c.CardType,
		DisplayName:       c.DisplayName,
		Currency:          c.Currency,
		CardNetwork:       c.CardNetwork,
		PartialCardNumber: c.PartialCardNumber,
		NameOnCard:        c.NameOnCard,
		HolderName:        c.NameOnCard,
		UpdatedAt:         now,
	}
}

func balanceFrom(a store.Account, b *truelayer.Balance, now time.Time) store.Balance {
	return store.Balance{
		AccountID: a.ID,
		Currency:  firstNonEmpty(b.Currency, a.Currency),
		Current:   b.Current,
		Available: b.Available,
		Overdraft: b.Overdraft,
		UpdatedAt: firstTime(b.UpdateTimestamp.Time, now),
	}
}

func cardBalanceFrom(a store.Account, b *truelayer.CardBalance, now time.Time) store.Balance {
	return store.Balance{
		AccountID:   a.ID,
		Currency:    firstNonEmpty(b.Currency, a.Currency),
		Current:     b.Current,
		Available:   b.Available,
		CreditLimit: b.CreditLimit,
		UpdatedAt:   firstTime(b.UpdateTimestamp.Time, now),
	}
}
