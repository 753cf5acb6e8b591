// Package wiring builds the backend's services over one store and one
// TrueLayer client: the token keeper, the sync engine, the connect flow and
// the consent service, each sharing the others as desk runs them. desk.Open
// and the tests' testenv.Connected both call New, so what the tests run is
// wired as the app and the command line run it.
package wiring

import (
	"context"
	"log/slog"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/consent"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// Options are what the services share and the settings that differ between
// the environments (and tests).
type Options struct {
	Store  *store.Store
	Client *truelayer.Client
	Now    func() time.Time // nil means time.Now
	Log    *slog.Logger     // nil discards
	// Country gives a provider's country from the cached bank list; see
	// syncer.Options.Country and consent.Service.Country.
	Country func(providerID string) string
	// Listed gives a provider's display name from the cached bank list
	// (connect.Flow.Listed).
	Listed func(providerID string) string

	// RedirectURI, Providers and Hold are the connect flow's (connect.Flow).
	RedirectURI string
	Providers   []string
	Hold        func(ctx context.Context, connIDs ...string) (release func(), err error)

	// Sync tunes the engine (HistoryYears, Sleep, Retry...); New sets its
	// Store, Client, Tokens, Now, Log and Country.
	Sync syncer.Options
}

// Services are the wired parts.
type Services struct {
	Tokens  *tokens.Keeper
	Syncer  *syncer.Engine
	Flow    *connect.Flow
	Consent *consent.Service
}

// New wires the services. There is one Keeper per store: it serialises the
// refreshes of each connection's token, so the engine and the consent
// service must share it.
func New(o Options) Services {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	keeper := &tokens.Keeper{Store: o.Store, Client: o.Client, Now: o.Now}
	so := o.Sync
	so.Store, so.Client, so.Tokens, so.Now = o.Store, o.Client, keeper, o.Now
	so.Log, so.Country = o.Log.With("component", "sync"), o.Country
	flow := &connect.Flow{
		Store:       o.Store,
		Client:      o.Client,
		RedirectURI: o.RedirectURI,
		Providers:   o.Providers,
		Now:         o.Now,
		Log:         o.Log,
		Hold:        o.Hold,
		Listed:      o.Listed,
	}
	return Services{
		Tokens: keeper,
		Syncer: syncer.New(so),
		Flow:   flow,
		Consent: &consent.Service{
			Store: o.Store, Client: o.Client, Tokens: keeper, Flow: flow, Now: o.Now,
			Log: o.Log.With("component", "consent"), Country: o.Country,
		},
	}
}
