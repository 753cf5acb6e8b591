package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aclindsa/ofxgo"
	"github.com/shopspring/decimal"

	"bankdesk/backend/position"
	"bankdesk/backend/store"
	"bankdesk/backend/txread"
)

// ofxDefaultCurrency is CURDEF for an account that names no currency and
// has no transaction to borrow one from: Bankdesk's banks are British.
const ofxDefaultCurrency = "GBP"

// OFX writes the selected accounts' booked transactions to w as one OFX
// 2.0.3 file with a statement per account (see the package doc), built and
// marshalled with ofxgo:
//
//   - FITID is the dedupe key, so re-importing an overlapping export adds
//     nothing twice; TRNAMT is the exact signed amount; DTPOSTED the
//     booking time (UTC, to the millisecond);
//   - NAME and MEMO: see nameAndMemo; TRNTYPE: see trnType;
//   - the account: see bankAccount and cardAccount; CURDEF is the account's
//     currency (amounts are in it: TrueLayer reports them so);
//   - DTSTART and DTEND are the requested days (DTEND at most now), or the
//     first transaction's time and now;
//   - LEDGERBAL is the stored balance as of its update time, as the
//     person's money (position.Of: a card's is negative when owed, as OFX
//     wants, while TrueLayer gives what is owed); without one, a bank account's newest exported running
//     balance; without that, zero as of DTEND, since OFX requires the
//     element. AVAILBAL is the stored available balance when there is one.
//
// Nothing reaches w unless the whole file was built.
//
// ofxgo v0.1.3 also writes, in every card statement, CASHADVBALAMT,
// INTRATEPURCH, INTRATECASH, INTRATEXFER and REWARDINFO's amounts as 0 (its
// omitempty cannot drop a struct-typed amount) and an empty BALLIST in
// every statement. Bankdesk has no such data; importers ignore them.
func OFX(ctx context.Context, w io.Writer, src Source, opts Options) (Summary, error) {
	accts, progress, err := opts.start(FormatOFX, src)
	if err != nil {
		return Summary{}, err
	}
	b := ofxBuilder{ctx: ctx, src: src, opts: opts, now: opts.now().UTC(), progress: progress}
	resp := ofxgo.Response{
		Version: ofxgo.OfxVersion203,
		Signon: ofxgo.SignonResponse{
			Status:   ofxgo.Status{Code: 0, Severity: "INFO"},
			DtServer: ofxgo.Date{Time: b.now},
			Language: "ENG",
			Org:      "Bankdesk",
			Fid:      "Bankdesk",
		},
	}
	for i, a := range accts {
		uid := ofxgo.UID(strconv.Itoa(i + 1))
		var msg ofxgo.Message
		if a.Kind == store.KindCard {
			msg, err = b.cardStatement(uid, a)
		} else {
			msg, err = b.bankStatement(uid, a)
		}
		if err != nil {
			return Summary{}, err
		}
		if a.Kind == store.KindCard {
			resp.CreditCard = append(resp.CreditCard, msg)
		} else {
			resp.Bank = append(resp.Bank, msg)
		}
	}
	buf, err := resp.Marshal()
	if err != nil {
		return Summary{}, fmt.Errorf("export: marshal OFX: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return Summary{}, fmt.Errorf("export: write OFX: %w", err)
	}
	if opts.Progress != nil {
		opts.Progress(b.progress)
	}
	return Summary{Rows: b.progress.Rows, Accounts: len(accts)}, nil
}

// ofxBuilder builds one OFX file's statements.
type ofxBuilder struct {
	ctx      context.Context
	src      Source
	opts     Options
	now      time.Time
	progress Progress
}

// statement is what bank and card statements share.
type statement struct {
	currency *ofxgo.CurrSymbol
	list     *ofxgo.TransactionList
	balance  decimal.Decimal
	asOf     time.Time
	avail    *decimal.Decimal
	availAt  time.Time
}

func (b *ofxBuilder) bankStatement(uid ofxgo.UID, a store.Account) (*ofxgo.StatementResponse, error) {
	st, err := b.statement(a)
	if err != nil {
		return nil, err
	}
	bankID, acctID := bankAccount(a)
	kind, err := ofxgo.NewAcctType(acctType(a))
	if err != nil {
		return nil, fmt.Errorf("export: account type of %s: %w", a.ID, err)
	}
	sr := &ofxgo.StatementResponse{
		TrnUID:       uid,
		Status:       ofxgo.Status{Code: 0, Severity: "INFO"},
		CurDef:       *st.currency,
		BankAcctFrom: ofxgo.BankAcct{BankID: ofxgo.String(bankID), AcctID: ofxgo.String(acctID), AcctType: kind},
		BankTranList: st.list,
	}
	st.setBalances(&sr.BalAmt, &sr.DtAsOf, &sr.AvailBalAmt, &sr.AvailDtAsOf)
	return sr, nil
}

func (b *ofxBuilder) cardStatement(uid ofxgo.UID, a store.Account) (*ofxgo.CCStatementResponse, error) {
	st, err := b.statement(a)
	if err != nil {
		return nil, err
	}
	sr := &ofxgo.CCStatementResponse{
		TrnUID:       uid,
		Status:       ofxgo.Status{Code: 0, Severity: "INFO"},
		CurDef:       *st.currency,
		CCAcctFrom:   ofxgo.CCAcct{AcctID: ofxgo.String(cardAccount(a))},
		BankTranList: st.list,
	}
	st.setBalances(&sr.BalAmt, &sr.DtAsOf, &sr.AvailBalAmt, &sr.AvailDtAsOf)
	return sr, nil
}

// setBalances fills a bank or card statement's balance fields.
func (st statement) setBalances(bal *ofxgo.Amount, asOf *ofxgo.Date, avail **ofxgo.Amount, availAt **ofxgo.Date) {
	setAmount(bal, st.balance)
	*asOf = ofxgo.Date{Time: st.asOf}
	if st.avail != nil {
		*avail = new(ofxgo.Amount)
		setAmount(*avail, *st.avail)
		*availAt = &ofxgo.Date{Time: st.availAt}
	}
}

// statement reads one account's transactions and balance.
func (b *ofxBuilder) statement(a store.Account) (statement, error) {
	var st statement
	st.list = &ofxgo.TransactionList{}
	var running *decimal.Decimal
	var runningAt time.Time
	firstCurrency := ""
	sel := b.opts.Selection()
	sel.IncludePending = false // a statement lists bookings
	for t, err := range txread.Rows(b.src, []store.Account{a}, sel) {
		if err != nil {
			return st, err
		}
		if b.progress.Rows%ctxEvery == 0 {
			if err := b.ctx.Err(); err != nil {
				return st, fmt.Errorf("export: %w", err)
			}
		}
		st.list.Transactions = append(st.list.Transactions, ofxTransaction(t))
		if firstCurrency == "" {
			firstCurrency = t.Currency
		}
		if t.RunningBalance != nil {
			running, runningAt = t.RunningBalance, t.BookedAt
		}
		b.progress.Rows++
		if b.opts.Progress != nil && b.progress.Rows%ProgressEvery == 0 {
			b.opts.Progress(b.progress)
		}
	}
	var err error
	code := orDefault(a.Currency, orDefault(firstCurrency, ofxDefaultCurrency))
	if st.currency, err = ofxgo.NewCurrSymbol(code); err != nil {
		return st, fmt.Errorf("export: currency %q of account %s: %w", code, a.ID, err)
	}
	st.list.DtStart.Time, st.list.DtEnd.Time = b.span(st.list.Transactions)
	st.asOf = st.list.DtEnd.Time
	bal, err := b.src.Balance(a.ID)
	switch {
	case err == nil:
		st.balance, st.asOf = position.Of(a.Kind, bal.Current), bal.UpdatedAt.UTC()
		if st.asOf.IsZero() {
			st.asOf = b.now
		}
		if bal.Available != nil {
			st.avail, st.availAt = bal.Available, st.asOf
		}
	case !errors.Is(err, store.ErrNotFound):
		return st, fmt.Errorf("export: read balance of %s: %w", a.ID, err)
	case running != nil && a.Kind != store.KindCard:
		st.balance, st.asOf = *running, runningAt.UTC()
	}
	return st, nil
}

// span is a statement's DTSTART and DTEND: the requested days (the end at
// most now), or the first transaction's time and now.
func (b *ofxBuilder) span(txs []ofxgo.Transaction) (start, end time.Time) {
	end = b.now
	if !b.opts.To.IsZero() {
		if e := b.opts.To.AddDays(1).UTC(); e.Before(end) {
			end = e
		}
	}
	switch {
	case !b.opts.From.IsZero():
		start = b.opts.From.UTC()
	case len(txs) > 0:
		start = txs[0].DtPosted.Time
	default:
		start = end
	}
	if start.After(end) {
		start = end // a range that starts in the future
	}
	return start, end
}

// ofxTransaction is one booked transaction as an STMTTRN.
func ofxTransaction(t store.Transaction) ofxgo.Transaction {
	kind, _ := ofxgo.NewTrnType(trnType(t)) // trnType only returns valid names
	name, memo := nameAndMemo(t)
	st := ofxgo.Transaction{
		TrnType:  kind,
		DtPosted: ofxgo.Date{Time: t.BookedAt}, // in the bank's offset: its date is the bank's day
		FiTID:    ofxgo.String(fitID(t.Key)),
		Name:     ofxgo.String(name),
		Memo:     ofxgo.String(memo),
	}
	setAmount(&st.TrnAmt, t.Amount)
	return st
}

// setAmount stores d exactly (ofxgo.Amount is a big.Rat: no float on the
// way).
func setAmount(a *ofxgo.Amount, d decimal.Decimal) { a.Set(d.Rat()) }
