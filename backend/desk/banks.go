package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"bankdesk/backend/truelayer"
	"bankdesk/backend/view"
)

// banksTimeout bounds asking TrueLayer for its bank list.
const banksTimeout = 30 * time.Second

// providersMaxAge is how long the bank list is served from the store before
// TrueLayer is asked again: banks join and leave rarely.
const providersMaxAge = 30 * 24 * time.Hour

type cachedProviders struct {
	Env       string      `json:"env"`
	ClientID  string      `json:"client_id"`
	Countries string      `json:"countries"`
	Banks     []view.Bank `json:"banks"`
}

// Banks lists the providers the configured client may connect, Mock first,
// then by name. TrueLayer's list is cached in the store for a month (and
// served stale when TrueLayer cannot be reached); the built-in sandbox's
// local list is stored too, for its banks' names and countries
// (listedBank), but never served, as its address changes at each start.
func (d *Desk) Banks(ctx context.Context, countries ...string) ([]view.Bank, error) {
	ctx, cancel := context.WithTimeout(ctx, banksTimeout)
	defer cancel()
	key := strings.Join(countries, " ")
	cached, fetchedAt, hit := d.cachedBanks(key)
	if hit && d.sandbox == nil && d.now().Sub(fetchedAt) < providersMaxAge {
		return cached, nil
	}
	ps, err := d.client.Providers(ctx, truelayer.ProvidersQuery{Countries: countries})
	if err != nil {
		if hit && d.sandbox == nil {
			d.log.Warn("bank list: using the cached one", "err", err, "fetched_at", fetchedAt)
			return cached, nil
		}
		return nil, fmt.Errorf("list banks: %w", err)
	}
	if len(ps) == 0 {
		return nil, errors.New("list banks: TrueLayer returned no providers for this client")
	}
	banks := make([]view.Bank, 0, len(ps))
	for _, p := range ps {
		banks = append(banks, view.Bank{ID: p.ID, Name: p.DisplayName, LogoURL: p.LogoURL, Country: p.Country, Scopes: p.Scopes})
	}
	sort.SliceStable(banks, func(i, j int) bool {
		if mi, mj := banks[i].ID == "mock", banks[j].ID == "mock"; mi != mj {
			return mi
		}
		return strings.ToLower(banks[i].Name) < strings.ToLower(banks[j].Name)
	})
	raw, err := json.Marshal(cachedProviders{Env: string(d.cfg.Env), ClientID: d.cfg.ClientID, Countries: key, Banks: banks})
	if err == nil {
		err = d.store.PutProviders(d.now(), raw)
	}
	if err != nil {
		d.log.Warn("bank list: cache not saved", "err", err)
	}
	return banks, nil
}

// providerCountry is a provider's country from the cached bank list, or ""
// when the list is not cached or does not have it (consent.IsEU then goes by
// the provider id).
func (d *Desk) providerCountry(providerID string) string { return d.listedBank(providerID).Country }

// providerName is a provider's display name from the cached bank list, or
// "" (connect.Flow.Listed: the Flow's BankName decides the name shown).
func (d *Desk) providerName(providerID string) string { return d.listedBank(providerID).Name }

// listedBank is a provider as the cached bank list of this environment
// has it, or a zero Bank. Any cached country filter will do: a bank's name
// and country do not depend on it.
func (d *Desk) listedBank(providerID string) view.Bank {
	raw, _, err := d.store.Providers()
	if err != nil {
		return view.Bank{}
	}
	var c cachedProviders
	if json.Unmarshal(raw, &c) != nil || c.Env != string(d.cfg.Env) {
		return view.Bank{}
	}
	for _, b := range c.Banks {
		if b.ID == providerID {
			return b
		}
	}
	return view.Bank{}
}

// cachedBanks is the stored list when it was made for this environment,
// client and country filter.
func (d *Desk) cachedBanks(countries string) ([]view.Bank, time.Time, bool) {
	raw, fetchedAt, err := d.store.Providers()
	if err != nil {
		return nil, time.Time{}, false
	}
	var c cachedProviders
	if json.Unmarshal(raw, &c) != nil || c.Env != string(d.cfg.Env) || c.ClientID != d.cfg.ClientID || c.Countries != countries || len(c.Banks) == 0 {
		return nil, time.Time{}, false
	}
	return c.Banks, fetchedAt, true
}
