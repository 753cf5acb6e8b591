package syncer

import (
	"fmt"
	"testing"
	"time"

	"bankdesk/backend/bankdata"
	"bankdesk/backend/internal/testbank"
	"bankdesk/backend/internal/testrules"
	"bankdesk/backend/rules"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"

	"github.com/shopspring/decimal"
)

// benchBank is a sandbox with one john/doe connection (newEnv), its clock
// stopped so the SCA window never closes however long the benchmark runs,
// and a client that bypasses the OpenAPI validator (the benchmark measures
// the pipeline, not the validator) and polls async tasks as the app does
// against a loopback sandbox (10 ms, see desk.pollInterval).
type benchBank struct {
	sb     *sandbox.Server
	client *truelayer.Client
	conn   store.Connection
	accts  []store.Account
}

func newBenchBank(b *testing.B) *benchBank {
	b.Helper()
	e := newEnv(b, envOptions{unvalidated: true, pollInterval: 10 * time.Millisecond})
	bank := &benchBank{sb: e.sb, client: e.client, conn: e.conn()}
	var err error
	if bank.accts, err = e.st.AccountsOf(e.connID); err != nil {
		b.Fatal(err)
	}
	return bank
}

// emptyCopy is a fresh store holding only the connection and its accounts.
func (bank *benchBank) emptyCopy(b *testing.B) *store.Store {
	b.Helper()
	st := testbank.Store(b)
	if err := st.PutConnection(bank.conn); err != nil {
		b.Fatal(err)
	}
	if err := st.PutAccounts(bank.conn.ID, bank.accts); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkBackfillSixYears is the first sync of a new connection: six
// years of a current account, a savings account and a card (about 9,000
// transactions in 75 async windows) from the built-in sandbox over
// loopback HTTP, decoded, converted, deduplicated, sealed and stored, plus
// pending sets, balances, standing orders and direct debits.
func BenchmarkBackfillSixYears(b *testing.B) {
	bank := newBenchBank(b)
	txs := 0
	for b.Loop() {
		b.StopTimer()
		st := bank.emptyCopy(b)
		keeper := &tokens.Keeper{Store: st, Client: bank.client, Now: func() time.Time { return start }}
		eng := New(Options{Store: st, Client: bank.client, Tokens: keeper, Now: func() time.Time { return start }, PSUIP: "192.0.2.10"})
		b.StartTimer()
		rep, err := eng.Sync(ctx, bank.conn.ID, Attended, nil)
		if err != nil || !rep.OK() {
			b.Fatalf("sync: %v %s", err, describe(rep))
		}
		txs = 0
		for _, a := range rep.Accounts {
			txs += a.Added
		}
	}
	b.ReportMetric(float64(txs), "tx/op")
	b.ReportMetric(float64(txs)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkIngest is the part of a sync after the HTTP decode: converting
// already-decoded transactions, deduplicating, sealing and storing them, a
// window at a time as the engine does.
//
//   - busy-account: 100,000 transactions of one account over six years, in
//     the backfill's 25 quarterly windows of 4,000;
//   - sandbox: the sandbox's six years of three accounts (8,952
//     transactions) in its 75 windows, as BenchmarkBackfillSixYears stores
//     them.
func BenchmarkIngest(b *testing.B) {
	b.Run("busy-account", func(b *testing.B) {
		txs := busyAccount(100_000)
		var batches []ingestBatch
		for i := 0; i < len(txs); i += 4000 {
			batches = append(batches, ingestBatch{benchAccount, txs[i:min(i+4000, len(txs))]})
		}
		benchIngest(b, func(b *testing.B) *store.Store {
			st := testbank.Store(b)
			if err := st.PutConnection(store.Connection{ID: "c"}); err != nil {
				b.Fatal(err)
			}
			if err := st.PutAccounts("c", []store.Account{{ID: benchAccount, Kind: store.KindAccount}}); err != nil {
				b.Fatal(err)
			}
			return st
		}, batches)
	})
	b.Run("sandbox", func(b *testing.B) {
		bank := newBenchBank(b)
		var batches []ingestBatch
		for _, a := range bank.accts {
			limit := historyLimit(dayOf(start), defaultHistoryYears)
			for to := dayOf(start); !to.Before(limit); {
				w := windowEndingAt(to, defaultWindowMonths, limit)
				txs, err := bank.client.Transactions(ctx, bank.conn.AccessToken, bankdata.Resource(a), w.from, w.to)
				if err != nil {
					b.Fatal(err)
				}
				batches = append(batches, ingestBatch{a.ID, txs})
				to = w.from.AddDate(0, 0, -1)
			}
		}
		benchIngest(b, bank.emptyCopy, batches)
	})
}

// BenchmarkIngestWithRules is the busy account's ingest (100,000
// transactions in 25 windows) with no rules saved and with 50
// (testrules.Fifty), then the read of every transaction stored that a
// sync's reload does. Rules run on reads (store.ApplyRules), not on
// writes, so the read is where they cost. Each iteration does both, in
// turn, so the figures share the machine's moments.
func BenchmarkIngestWithRules(b *testing.B) {
	txs := busyAccount(100_000)
	var ingest, read [2]time.Duration
	n := 0
	for b.Loop() {
		for i, rs := range [][]rules.Rule{nil, testrules.Fifty()} {
			b.StopTimer()
			st := testbank.Store(b)
			if err := st.PutConnection(store.Connection{ID: "c"}); err != nil {
				b.Fatal(err)
			}
			if err := st.PutAccounts("c", []store.Account{{ID: benchAccount, Kind: store.KindAccount}}); err != nil {
				b.Fatal(err)
			}
			if _, err := st.SetRules(rs); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start := time.Now()
			for w := 0; w < len(txs); w += 4000 {
				recs, _ := bankdata.Transactions(benchAccount, store.TxBooked, txs[w:min(w+4000, len(txs))], time.UTC)
				if _, _, err := st.PutTransactions(benchAccount, recs); err != nil {
					b.Fatal(err)
				}
			}
			stored := time.Now()
			got := 0
			if err := st.Transactions(benchAccount, 0, 0, func(store.Transaction) error { got++; return nil }); err != nil || got != len(txs) {
				b.Fatalf("read %d: %v", got, err)
			}
			ingest[i] += stored.Sub(start)
			read[i] += time.Since(stored)
		}
		n++
	}
	per := func(d time.Duration) float64 { return float64(len(txs)) * float64(n) / d.Seconds() }
	b.ReportMetric(per(ingest[0]), "ingest-tx/s-no-rules")
	b.ReportMetric(per(ingest[1]), "ingest-tx/s-50-rules")
	b.ReportMetric(per(read[0]), "read-tx/s-no-rules")
	b.ReportMetric(per(read[1]), "read-tx/s-50-rules")
	b.ReportMetric(per(ingest[0]+read[0]), "both-tx/s-no-rules")
	b.ReportMetric(per(ingest[1]+read[1]), "both-tx/s-50-rules")
}

type ingestBatch struct {
	account string
	txs     []truelayer.Transaction
}

func benchIngest(b *testing.B, empty func(*testing.B) *store.Store, batches []ingestBatch) {
	total := 0
	for _, bt := range batches {
		total += len(bt.txs)
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		st := empty(b)
		b.StartTimer()
		added := 0
		for _, bt := range batches {
			recs, _ := bankdata.Transactions(bt.account, store.TxBooked, bt.txs, time.UTC)
			n, _, err := st.PutTransactions(bt.account, recs)
			if err != nil {
				b.Fatal(err)
			}
			added += n
		}
		if added != total {
			b.Fatalf("added %d of %d", added, total)
		}
	}
	b.ReportMetric(float64(total), "tx/op")
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

const benchAccount = "f1234560abf9f57287637624def390871"

// busyAccount makes n decoded transactions shaped like TrueLayer's (the
// three ids, merchant, classification, running balance, meta with the
// bank's category and reference), newest first as the API sends them, over
// the six years before start.
func busyAccount(n int) []truelayer.Transaction {
	merchants := []string{"TESCO STORES 3297", "PRET A MANGER", "TFL TRAVEL CH", "AMAZON MKTPLACE", "SAINSBURYS S/MKTS", "DELIVEROO"}
	classes := [][]string{{"Shopping", "Groceries"}, {"Food & Dining", "Coffee shops"}, {"Transport", "Public transport"}}
	step := 6 * 365 * 24 * time.Hour / time.Duration(n)
	out := make([]truelayer.Transaction, n)
	balance := decimal.New(250_000, -2)
	for i := range out {
		m := merchants[i%len(merchants)]
		amount := decimal.New(-int64(100+(i*7919)%25_000), -2)
		typ := "DEBIT"
		if i%9 == 0 {
			amount, typ = amount.Neg(), "CREDIT"
		}
		balance = balance.Add(amount)
		var ts truelayer.Time
		ts.Time = dayOf(start).Add(-time.Duration(i) * step).Truncate(24 * time.Hour)
		out[i] = truelayer.Transaction{
			TransactionID:                   fmt.Sprintf("%032x", uint64(i)*0x2545f4914f6cdd1d),
			NormalisedProviderTransactionID: fmt.Sprintf("txn-%016x", uint64(i)*0x9e3779b97f4a7c15),
			ProviderTransactionID:           fmt.Sprintf("%016X", uint64(i)*0xbf58476d1ce4e5b9),
			Timestamp:                       ts,
			Description:                     "CARD PAYMENT TO " + m,
			Amount:                          amount,
			Currency:                        "GBP",
			Type:                            typ,
			Category:                        "PURCHASE",
			Classification:                  classes[i%len(classes)],
			MerchantName:                    m,
			RunningBalance:                  &truelayer.RunningBalance{Amount: balance, Currency: "GBP"},
			Meta:                            map[string]any{"provider_transaction_category": "DEB", "provider_reference": fmt.Sprintf("REF%06d", i)},
		}
	}
	return out
}

// BenchmarkSlowBank is issue 10's race against the SCA window at full
// scale: a bank answering in 1.5 s per call, async jobs of 3 s, history
// older than 90 days served for 60 s after the login. It reports the wall
// time of the first sync and the deep transactions lost, for the order
// before the deep phase (each account's recent days first, then its deep
// windows one at a time) and for the deep phase at several DeepAtOnce:
// the whole sync (s/sync), until its last deep window was stored
// (deep-s), and the connect flow's reads before it (connect-s, which
// also count against the 60 s).
// About a minute per case: run with -benchtime=1x.
func BenchmarkSlowBank(b *testing.B) {
	cases := []struct {
		name   string
		old    bool
		atOnce int
	}{
		{"recent-first", true, 1},
		{"deep-first/4", false, 4},
		{"deep-first/8", false, 8},
		{"deep-first/12", false, 12},
		{"deep-first/16", false, 16},
		{"deep-first/24", false, 24},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				e := newEnv(b, envOptions{realTime: true, pollInterval: 500 * time.Millisecond, // the client's default
					faults: sandbox.Faults{DelayMS: 1500, AsyncMS: 3000, SCAWindowSeconds: 60}})
				e.opts.recentFirst, e.opts.DeepAtOnce = c.old, c.atOnce
				b.StartTimer()
				t0 := time.Now()
				recentFrom := dayOf(e.clk.Now()).AddDate(0, 0, -recentDays)
				var deepDone time.Duration // since the sync began, the last deep window stored
				if _, err := e.engine().Sync(ctx, e.connID, Attended, func(p Progress) {
					if p.Phase == PhaseBackfill && p.WindowTo.Before(recentFrom) {
						deepDone = time.Since(t0)
					}
				}); err != nil {
					b.Fatal(err)
				}
				elapsed := time.Since(t0)
				b.StopTimer()
				b.ReportMetric(deepDone.Seconds(), "deep-s")
				b.ReportMetric(time.Since(e.loggedIn).Seconds()-elapsed.Seconds(), "connect-s")
				truth := e.sb.Truth("john")
				all := 0
				for _, a := range append(truth.Accounts, truth.Cards...) {
					all += len(a.Booked)
				}
				b.ReportMetric(elapsed.Seconds(), "s/sync")
				b.ReportMetric(float64(all-countBooked(b, e.st, truth)), "lost")
				b.ReportMetric(float64(all), "booked")
			}
		})
	}
}
