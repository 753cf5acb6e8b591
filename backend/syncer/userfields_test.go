package syncer_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bankdesk/backend/internal/testbank"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/syncer"
	"bankdesk/backend/truelayer"
)

// The person's fields survive every way a sync meets their transaction
// again, against the built-in sandbox: a re-sync of the same days, a
// pending row that books under other ids, the bank changing a booking's
// provider_transaction_id, a reconnect (the same accounts, under new
// account ids or not), and a booking the bank stops listing.

var bg = context.Background()

func mustSync(t *testing.T, e *testenv.Env) {
	t.Helper()
	rep, err := e.Syncer.Sync(bg, e.ConnID, syncer.Attended, nil)
	if err != nil || !rep.OK() {
		t.Fatalf("sync: %v %+v", err, rep)
	}
}

// keyOf is the dedupe key the store gives a sandbox transaction.
func keyOf(tt sandbox.TruthTransaction) string {
	if tt.NormalisedProviderID != "" {
		return "n:" + tt.NormalisedProviderID
	}
	return "p:" + tt.ProviderTransactionID
}

// listed is the account's transaction under key as the reads give it,
// booked (removed ones too) or pending; t fails when there is none.
func listed(t *testing.T, st *store.Store, accountID, key string) store.Transaction {
	t.Helper()
	var found []store.Transaction
	if err := st.Transactions(accountID, 0, 0, func(tx store.Transaction) error {
		if tx.Key == key {
			found = append(found, tx)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	pending, err := st.Pending(accountID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tx := range pending {
		if tx.Key == key {
			found = append(found, tx)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d transactions %s in %s", len(found), key, accountID)
	}
	return found[0]
}

// annotate sets fields naming the transaction (its key in the note), and
// returns them as stored.
func annotate(t *testing.T, st *store.Store, accountID, key string) store.UserFields {
	t.Helper()
	f := store.UserFields{Category: "Mine", Note: "about " + key, Tags: []string{"kept"}, Payee: "Someone", Hidden: true}
	if err := st.SetUserFields(accountID, key, f); err != nil {
		t.Fatal(err)
	}
	got, err := st.UserFields(accountID, key)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func wantFields(t *testing.T, what string, got, want store.UserFields) {
	t.Helper()
	if got.Category != want.Category || got.Note != want.Note || strings.Join(got.Tags, ",") != strings.Join(want.Tags, ",") ||
		got.Payee != want.Payee || got.Hidden != want.Hidden || (got.TransferWith == nil) != (want.TransferWith == nil) ||
		got.TransferWith != nil && *got.TransferWith != *want.TransferWith {
		t.Errorf("%s: fields %+v, want %+v", what, got, want)
	}
}

// A re-sync reads the last days again (every record of them rewritten:
// transaction_id changes on every request) and leaves the fields.
func TestUserFieldsSurviveAResync(t *testing.T) {
	e := testenv.Connected(t, testenv.Options{User: "john", Pass: "doe", HistoryYears: 1})
	mustSync(t, e)
	truth := e.Sandbox.Truth("john")
	want := map[[2]string]store.UserFields{}
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		newest := a.Booked[len(a.Booked)-1]
		k := [2]string{a.AccountID, keyOf(newest)}
		want[k] = annotate(t, e.Store, k[0], k[1])
	}
	before := listed(t, e.Store, truth.Accounts[0].AccountID, keyOf(truth.Accounts[0].Booked[len(truth.Accounts[0].Booked)-1]))
	e.Clock.Add(time.Hour)
	mustSync(t, e)
	after := listed(t, e.Store, truth.Accounts[0].AccountID, before.Key)
	if after.TransactionID == before.TransactionID {
		t.Fatal("the re-sync did not read the day again: the test proves nothing")
	}
	for k, f := range want {
		wantFields(t, k[1]+" after a re-sync", listed(t, e.Store, k[0], k[1]).UserFields(), f)
	}
}

// A pending row's fields move to its booking, which the sandbox sends
// under other ids a few days later.
func TestUserFieldsFollowAPendingRowToItsBooking(t *testing.T) {
	e := testenv.Connected(t, testenv.Options{User: "john", Pass: "doe", HistoryYears: 1})
	mustSync(t, e)
	truth := e.Sandbox.Truth("john")
	type pick struct {
		accountID string
		pending   sandbox.TruthTransaction
	}
	var picks []pick
	for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
		for _, p := range a.Pending {
			// One the store can tell apart from its neighbours by amount
			// and text: the sandbox's books repeat purchases.
			n := 0
			for _, other := range append(a.Pending, a.BookedFrom(p.BookingDate)...) {
				if other.Description == p.Description && other.Amount.Equal(p.Amount) {
					n++
				}
			}
			if n == 1 {
				picks = append(picks, pick{a.AccountID, p})
			}
		}
	}
	if len(picks) == 0 {
		t.Fatal("no pending transaction in the sandbox's books: the test proves nothing")
	}
	want := map[string]store.UserFields{}
	for _, p := range picks {
		want[p.pending.Key] = annotate(t, e.Store, p.accountID, keyOf(p.pending))
	}

	e.Clock.Add(4 * 24 * time.Hour) // every purchase books within 3 days
	mustSync(t, e)
	after := e.Sandbox.Truth("john")
	checked := 0
	for _, p := range picks {
		var booked *sandbox.TruthTransaction
		like := 0 // bookings of the days it may book on that look the same
		for _, a := range append(slices.Clone(after.Accounts), after.Cards...) {
			if a.AccountID != p.accountID {
				continue
			}
			for i, b := range a.BookedFrom(p.pending.BookingDate) {
				if b.Key == p.pending.Key {
					booked = &a.BookedFrom(p.pending.BookingDate)[i]
				}
				if b.Description == p.pending.Description && b.Amount.Equal(p.pending.Amount) && b.BookingDate <= p.pending.Timestamp.AddDate(0, 0, 7).Format(time.DateOnly) {
					like++
				}
			}
		}
		if booked == nil || keyOf(*booked) == keyOf(p.pending) {
			t.Fatalf("%s: booked as %+v: the test proves nothing", p.pending.Description, booked)
		}
		if like != 1 {
			continue // a twin purchase booked beside it: either could be it
		}
		checked++
		got := listed(t, e.Store, p.accountID, keyOf(*booked))
		if got.Status != store.TxBooked {
			t.Fatalf("%s is %s", got.Key, got.Status)
		}
		wantFields(t, p.pending.Description+" once booked", got.UserFields(), want[p.pending.Key])
	}
	t.Logf("%d of %d pending rows followed to their booking", checked, len(picks))
	if checked == 0 {
		t.Fatal("every pending row had a look-alike: the test proves nothing")
	}
}

// idChanger is a bank that renames one booking's provider_transaction_id
// (keeping its normalised id) once it is switched on.
type idChanger struct {
	next     http.RoundTripper
	from, to atomic.Pointer[string]
}

func (c *idChanger) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	from, to := c.from.Load(), c.to.Load()
	if err != nil || from == nil || !strings.Contains(req.URL.Path, "/transactions") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body = bytes.ReplaceAll(body, []byte(`"`+*from+`"`), []byte(`"`+*to+`"`))
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// The bank gives a booking a new provider_transaction_id; the store
// matches it again by its normalised id and updates it, fields and all.
func TestUserFieldsSurviveAChangedProviderID(t *testing.T) {
	changer := &idChanger{}
	e := testenv.Connected(t, testenv.Options{User: "john", Pass: "doe", HistoryYears: 1, Client: func(c *truelayer.Config) {
		changer.next = testbank.Transport(t)
		c.HTTPClient = &http.Client{Transport: changer, Timeout: time.Minute}
	}})
	mustSync(t, e)
	a := e.Sandbox.Truth("john").Accounts[0]
	var tt sandbox.TruthTransaction
	for i := len(a.Booked) - 1; i >= 0 && tt.NormalisedProviderID == ""; i-- {
		tt = a.Booked[i] // the newest with a normalised id: in the days a sync reads again
	}
	key := keyOf(tt)
	want := annotate(t, e.Store, a.AccountID, key)
	from, to := tt.ProviderTransactionID, "RENAMED-"+tt.ProviderTransactionID
	changer.from.Store(&from)
	changer.to.Store(&to)

	e.Clock.Add(time.Hour)
	mustSync(t, e)
	got := listed(t, e.Store, a.AccountID, key)
	if got.ProviderTransactionID != to {
		t.Fatalf("provider id %q after the bank changed it to %q: the test proves nothing", got.ProviderTransactionID, to)
	}
	wantFields(t, "after the bank changed the provider id", got.UserFields(), want)
}

// Reconnecting the same bank moves nothing, or moves the accounts to the
// ids the bank now gives them: either way every field, and a transfer
// link between two accounts, is still there once it has synced.
func TestUserFieldsSurviveAReconnect(t *testing.T) {
	for _, c := range []struct {
		name   string
		faults sandbox.Faults
	}{{"same ids", sandbox.Faults{}}, {"new ids on re-consent", sandbox.Faults{NewAccountIDs: true}},
		{"ids of their own per login", sandbox.Faults{AccountIDsPerConnection: true}}} {
		name, faults := c.name, c.faults
		t.Run(name, func(t *testing.T) {
			e := testenv.Connected(t, testenv.Options{User: "john", Pass: "doe", HistoryYears: 1})
			mustSync(t, e)
			truth := e.Sandbox.Truth("john")
			cur, sav := truth.Accounts[0], truth.Accounts[1]
			want := map[[2]string]store.UserFields{}
			today, _ := time.Parse(time.DateOnly, truth.Today)
			deep := today.AddDate(0, 0, -200).Format(time.DateOnly) // older than 90 days: not read again
			for _, a := range append(slices.Clone(truth.Accounts), truth.Cards...) {
				k := [2]string{a.AccountID, keyOf(a.BookedFrom(deep)[0])}
				want[k] = annotate(t, e.Store, k[0], k[1])
			}
			out, in := keyOf(cur.Booked[len(cur.Booked)-1]), keyOf(sav.Booked[len(sav.Booked)-1])
			if err := e.Store.SetUserFields(cur.AccountID, out, store.UserFields{Note: "to savings", TransferWith: &store.TxRef{AccountID: sav.AccountID, Key: in}}); err != nil {
				t.Fatal(err)
			}

			e.Sandbox.SetFaults(faults)
			link, err := e.Flow.Reconnect(bg, e.ConnID)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Flow.Complete(bg, testenv.Login(t, link.URL, "john", "doe"))
			if err != nil || res.ConnectionID != e.ConnID {
				t.Fatalf("reconnect: %+v %v", res, err)
			}
			if name != "same ids" && len(res.Renamed) != 3 {
				t.Fatalf("renamed %v: the test proves nothing", res.Renamed)
			}
			e.Clock.Add(time.Hour)
			mustSync(t, e)
			id := func(old string) string {
				if n, ok := res.Renamed[old]; ok {
					return n
				}
				return old
			}
			for k, f := range want {
				wantFields(t, k[1]+" after the reconnect", listed(t, e.Store, id(k[0]), k[1]).UserFields(), f)
			}
			wantFields(t, "the transfer's first half", listed(t, e.Store, id(cur.AccountID), out).UserFields(),
				store.UserFields{Note: "to savings", TransferWith: &store.TxRef{AccountID: id(sav.AccountID), Key: in}})
			wantFields(t, "the transfer's second half", listed(t, e.Store, id(sav.AccountID), in).UserFields(),
				store.UserFields{TransferWith: &store.TxRef{AccountID: id(cur.AccountID), Key: out}})
		})
	}
}

// A booking the bank stops listing is kept as removed, fields and all.
func TestUserFieldsStayWithARemovedBooking(t *testing.T) {
	e := testenv.Connected(t, testenv.Options{User: "john", Pass: "doe", HistoryYears: 1})
	mustSync(t, e)
	e.Sandbox.SetFaults(sandbox.Faults{RemoveBookings: 1})
	a := e.Sandbox.Truth("john").Accounts[0]
	if len(a.Removed) == 0 {
		t.Fatal("the sandbox removed nothing: the test proves nothing")
	}
	key := keyOf(a.Removed[0])
	want := annotate(t, e.Store, a.AccountID, key)
	for range 2 { // missing twice in a row: removed
		e.Clock.Add(time.Hour)
		mustSync(t, e)
	}
	got := listed(t, e.Store, a.AccountID, key)
	if got.Status != store.TxRemoved {
		t.Fatalf("%s is %s", key, got.Status)
	}
	wantFields(t, "the removed booking", got.UserFields(), want)
}
