package connect

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
)

// placement is where a new consent's accounts go, decided before anything
// is written.
type placement struct {
	// target takes the consent: a stored connection, or p itself when the
	// accounts are new to Bankdesk.
	target    store.Connection
	existing  bool               // target is a stored connection p was not told to renew
	join      []store.Account    // listed accounts to store under target
	renames   map[string]string  // stored id → the bank's new id, for accounts found under another id
	moved     []store.Account    // stored accounts taken from a connection that can no longer sync
	elsewhere []store.Account    // stored accounts that stay with another live connection
	unmatched []store.Account    // listed accounts that match nothing stored
	missing   []store.Account    // target's stored accounts the bank did not list
	emptied   []store.Connection // connections moved leaves with no account
}

// place decides where the accounts fetched for the unfinished connection p
// go, so that connecting the same bank again (TrueLayer makes a new
// credential, often with new account ids, for every login) leaves one
// live connection per account and no empty one.
//
// Each listed account is looked up among all stored ones: by id, then by
// what identifies it at the bank (sameAccount; outside the connection
// being renewed only at the same provider). Then:
//   - The target is the connection p renews (a reconnect), else the one
//     with the same credentials_id, else the stored connection holding
//     most of the listed accounts (the oldest on a tie), else p: the
//     accounts are new and p becomes a connection of its own.
//   - An account the target holds stays with it, renamed to the bank's new
//     id if it has one; so does an account kept after a disconnect (no
//     connection) and a new account.
//   - An account another connection holds stays there while that
//     connection can still sync: its own consent keeps it up to date, and
//     moving it would surprise the user. If that connection's consent has
//     ended or been refused, the account moves to the target; a
//     connection left with nothing is then removed.
//   - The target's accounts the bank no longer lists are kept, reported
//     missing.
//
// Every such case is told to the user (Result.Notes).
func (f *Flow) place(p store.Connection, fetched []store.Account, listed map[string]bool) (placement, error) {
	var pl placement
	conns, err := f.Store.Connections()
	if err != nil {
		return pl, fmt.Errorf("read connections: %w", err)
	}
	stored, err := f.Store.Accounts()
	if err != nil {
		return pl, fmt.Errorf("read stored accounts: %w", err)
	}
	byID := map[string]store.Connection{}
	for _, c := range conns {
		if c.ID != p.ID {
			byID[c.ID] = c
		}
	}

	// hits[i] is the stored account fetched[i] is, if any.
	hits := make([]*store.Account, len(fetched))
	taken := map[string]bool{}
	for i, a := range fetched {
		for j := range stored {
			if stored[j].ID == a.ID {
				hits[i] = &stored[j]
				taken[a.ID] = true
			}
		}
	}
	for i, a := range fetched {
		if hits[i] != nil {
			continue
		}
		for j := range stored {
			s := &stored[j]
			local := p.Renews != "" && s.ConnectionID == p.Renews
			if taken[s.ID] || (!local && s.ProviderID != a.ProviderID) || !sameAccount(*s, a) {
				continue
			}
			hits[i] = s
			taken[s.ID] = true
			break
		}
	}

	target, ok := byID[p.Renews]
	if !ok && p.Renews != "" {
		f.log().Warn("the connection a login renews is gone; placing its accounts afresh", "connection", p.Renews)
	}
	if !ok && p.CredentialsID != "" {
		for _, c := range conns {
			if c.ID != p.ID && c.CredentialsID == p.CredentialsID {
				target, ok = c, true
				break
			}
		}
	}
	if !ok {
		count := map[string]int{}
		for _, h := range hits {
			if h != nil {
				if _, exists := byID[h.ConnectionID]; exists {
					count[h.ConnectionID]++
				}
			}
		}
		for _, c := range conns { // oldest first
			if count[c.ID] > count[target.ID] {
				target, ok = c, true
			}
		}
		pl.existing = ok
	}
	if !ok {
		target = p
	}
	pl.target = target

	now := f.now()
	left := map[string]int{} // accounts each other connection still holds
	for _, s := range stored {
		left[s.ConnectionID]++
	}
	for i, a := range fetched {
		h := hits[i]
		if h == nil {
			pl.join = append(pl.join, a)
			if target.ID != p.ID {
				pl.unmatched = append(pl.unmatched, a)
			}
			continue
		}
		holder, held := byID[h.ConnectionID]
		switch {
		case held && holder.ID != target.ID && canSync(holder, now):
			pl.elsewhere = append(pl.elsewhere, *h)
			continue
		case held && holder.ID != target.ID:
			pl.moved = append(pl.moved, *h)
			if left[holder.ID]--; left[holder.ID] == 0 {
				pl.emptied = append(pl.emptied, holder)
			}
		}
		if h.ID != a.ID {
			if pl.renames == nil {
				pl.renames = map[string]string{}
			}
			pl.renames[h.ID] = a.ID
		}
		pl.join = append(pl.join, a)
	}
	if target.ID != p.ID {
		for _, s := range stored {
			if s.ConnectionID == target.ID && !taken[s.ID] && listed[s.Kind] {
				pl.missing = append(pl.missing, s)
			}
		}
	}
	return pl, nil
}

// canSync reports whether a connection still has a consent that works:
// one that ended or that TrueLayer refused cannot keep its accounts fresh.
func canSync(c store.Connection, now time.Time) bool {
	return c.Status == store.StatusActive && (c.ConsentExpiresAt.IsZero() || now.Before(c.ConsentExpiresAt))
}

// file carries out a placement: the target takes p's tokens (p is then
// gone) and revokes the consent they replace, renamed accounts take their
// history along, the accounts are stored under the target, and their
// balances are read.
func (f *Flow) file(ctx context.Context, p store.Connection, at string, pl placement) (Result, error) {
	t := pl.target
	name := f.sentenceName(p)
	res := Result{ConnectionID: t.ID, ProviderID: p.ProviderID, ProviderName: name, Existing: pl.existing}
	if len(pl.join) == 0 && t.ID == p.ID {
		// Nothing to keep: end the consent rather than leave an empty connection.
		if err := f.revoke(ctx, at, p.AccessTokenExpiry, p.RefreshToken); err != nil {
			f.log().Warn("revoke a consent without accounts", "connection", p.ID, "err", err)
		}
		if err := f.Store.DeleteConnection(p.ID, true); err != nil {
			return Result{}, fmt.Errorf("remove connection: %w", err)
		}
		return Result{}, ErrNoAccounts
	}

	now := f.now()
	if t.ID == p.ID {
		err := f.Store.UpdateConnection(p.ID, func(c *store.Connection) error {
			takeConsent(c, p, now)
			return nil
		})
		if err != nil {
			return Result{}, fmt.Errorf("save connection: %w", err)
		}
	} else {
		held := append([]string{p.ID, t.ID}, connIDs(pl.emptied)...)
		release, err := f.hold(ctx, held...)
		if err != nil {
			return f.stillUnfinished(p, "wait for the connection's sync to stop", err)
		}
		defer release()
		before, err := f.Store.AbsorbConnection(p.ID, t.ID, func(from store.Connection, into *store.Connection) error {
			tokens.Move(into, from, now)
			takeConsent(into, p, now)
			return nil
		})
		if err != nil {
			return Result{}, fmt.Errorf("save connection: %w", err)
		}
		// The replaced consent is one TrueLayer still holds unless it is the
		// same credential (a login that continued it, as extend's does).
		if before.CredentialsID != p.CredentialsID && (before.AccessToken != "" || before.RefreshToken != "") {
			if err := f.revoke(ctx, before.AccessToken, before.AccessTokenExpiry, before.RefreshToken); err != nil {
				f.log().Warn("revoke the consent a login replaced", "connection", t.ID, "err", err)
				res.RevokeFailed = true
			} else {
				res.RevokedOld = true
			}
		}
	}
	f.log().Info("bank connected", "connection", t.ID, "provider", p.ProviderID, "existing", pl.existing)

	for old, id := range pl.renames {
		if err := f.Store.RenameAccount(old, id); err != nil {
			f.log().Warn("account has a new id at the bank; its history could not follow", "account", old, "err", err)
			a := accountByID(pl.join, id)
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s has a new id at the bank, but its history could not follow; it starts afresh.", a.DisplayName))
			res.Unmatched = append(res.Unmatched, a)
			continue
		}
		if res.Renamed == nil {
			res.Renamed = map[string]string{}
		}
		res.Renamed[old] = id
		f.log().Info("account has a new id at the bank; history moved", "connection", t.ID, "account", id)
	}
	accts := make([]store.Account, len(pl.join))
	for i, a := range pl.join {
		a.ConnectionID = t.ID
		accts[i] = a
	}
	if err := f.Store.PutAccounts(t.ID, accts); err != nil {
		return res, fmt.Errorf("save accounts: %w", err)
	}
	for _, c := range pl.emptied {
		if err := f.revoke(ctx, c.AccessToken, c.AccessTokenExpiry, c.RefreshToken); err != nil {
			f.log().Warn("revoke an emptied connection", "connection", c.ID, "err", err)
		}
		if err := f.Store.DeleteConnection(c.ID, true); err != nil {
			return res, fmt.Errorf("remove emptied connection: %w", err)
		}
		res.Removed = append(res.Removed, c.ID)
	}
	res.Unmatched = append(res.Unmatched, pl.unmatched...)
	res.Missing, res.Elsewhere, res.Moved = pl.missing, pl.elsewhere, pl.moved
	for _, a := range accts {
		if a.Kind == store.KindCard {
			res.Cards++
		} else {
			res.Accounts++
		}
	}
	t.Scopes = firstNonEmptySlice(p.Scopes, t.Scopes)
	if f.ReadBalances {
		res.Warnings = append(res.Warnings, f.readBalances(ctx, t, at, accts)...)
	}
	res.Renewed = p.Renews != "" && t.ID == p.Renews
	res.ConsentExpiresAt = p.ConsentExpiresAt
	res.Notes = notes(res, p.Renews != "")
	return res, nil
}

func (f *Flow) hold(ctx context.Context, ids ...string) (func(), error) {
	if f.Hold == nil {
		return func() {}, nil
	}
	return f.Hold(ctx, ids...)
}

func connIDs(cs []store.Connection) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// takeConsent gives c the consent p was made for: its credential, dates
// and scopes (the tokens are moved by the caller, tokens.Move); c is
// finished.
func takeConsent(c *store.Connection, p store.Connection, now time.Time) {
	c.CredentialsID = p.CredentialsID
	c.ProviderID = p.ProviderID
	c.ProviderName = cmp.Or(p.ProviderName, c.ProviderName)
	c.Scopes = p.Scopes
	if p.Holder.Name != "" || len(p.Holder.Emails) > 0 || len(p.Holder.Phones) > 0 {
		c.Holder = p.Holder // a bank that did not answer this time keeps what it said before
	}
	c.ConsentCreatedAt, c.ConsentExpiresAt = p.ConsentCreatedAt, p.ConsentExpiresAt
	c.LastRefreshAt = now
	c.Status = store.StatusActive
	c.Unfinished, c.Renews = false, ""
}

func accountByID(accts []store.Account, id string) store.Account {
	for _, a := range accts {
		if a.ID == id {
			return a
		}
	}
	return store.Account{ID: id}
}

// notes words a Result for the user. renewing says the user asked to
// renew that connection (a reconnect), so it need not be explained.
func notes(r Result, renewing bool) []string {
	var out []string
	if r.Renewed && !r.ConsentExpiresAt.IsZero() {
		out = append(out, fmt.Sprintf("Your access to %s is renewed until %s.", r.ProviderName, r.ConsentExpiresAt.Local().Format("2 January 2006")))
	}
	if r.Existing {
		out = append(out, fmt.Sprintf("%s was already connected in Bankdesk, so this login renewed that connection instead of adding a second one; its accounts and history carry on.", r.ProviderName))
	}
	if r.RevokeFailed {
		out = append(out, "Bankdesk could not end the consent this one replaces at TrueLayer; it lapses by itself, or you can end it in your bank's app.")
	} else if r.RevokedOld && r.Existing {
		out = append(out, "The consent it had before was ended at TrueLayer.")
	}
	if n := len(r.Renamed); n > 0 {
		out = append(out, fmt.Sprintf("%s: the bank now uses new ids for %s; their history moved with them.", r.ProviderName, plural(n, "account")))
	}
	for _, a := range r.Moved {
		out = append(out, fmt.Sprintf("%s moved to this connection from an older %s connection whose consent had ended.", a.DisplayName, r.ProviderName))
	}
	if n := len(r.Removed); n > 0 {
		out = append(out, fmt.Sprintf("%s left with no account %s removed.", plural(n, "older connection"), map[bool]string{true: "was", false: "were"}[n == 1]))
	}
	for _, a := range r.Elsewhere {
		out = append(out, fmt.Sprintf("%s stays with your other %s connection, which keeps its own consent for it.", a.DisplayName, r.ProviderName))
	}
	if renewing || r.Existing {
		for _, a := range r.Unmatched {
			out = append(out, fmt.Sprintf("%s is new: it matches no account you had, so it starts without history.", a.DisplayName))
		}
	}
	for _, a := range r.Missing {
		out = append(out, fmt.Sprintf("The bank no longer shares %s; its history is kept, but it will not update unless you reconnect and choose it at the bank.", a.DisplayName))
	}
	return out
}

// Holdings words what a login shared: "2 accounts and 1 card".
func Holdings(accounts, cards int) string {
	return plural(accounts, "account") + " and " + plural(cards, "card")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// sameAccount reports whether two records describe one account at the
// bank: the same IBAN when both have one; else the same sort code and
// account number; for cards, the same partial card number and name on the
// card. Display names alone never match: "Current Account" is everyone's.
func sameAccount(a, b store.Account) bool {
	if a.Kind != b.Kind {
		return false
	}
	if a.Kind == store.KindCard {
		return a.PartialCardNumber != "" && a.PartialCardNumber == b.PartialCardNumber &&
			strings.EqualFold(cardName(a), cardName(b))
	}
	if ia, ib := compact(a.IBAN), compact(b.IBAN); ia != "" && ib != "" {
		return ia == ib
	}
	na := compact(a.Number)
	return na != "" && na == compact(b.Number) && compact(a.SortCode) == compact(b.SortCode)
}

func cardName(a store.Account) string {
	return cmp.Or(a.NameOnCard, a.HolderName, a.DisplayName)
}

// compact drops spaces and dashes and upper-cases, so "GB29 NWBK…" equals
// "gb29nwbk…" and "20-00-00" equals "200000".
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}
