package export

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aclindsa/ofxgo"
	"github.com/shopspring/decimal"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/store"
)

var exportTime = at("2025-04-01T12:00:00Z")

func exportOFX(t *testing.T, st *store.Store, opts Options) *ofxgo.Response {
	t.Helper()
	opts.Now = func() time.Time { return exportTime }
	var buf bytes.Buffer
	if _, err := OFX(context.Background(), &buf, st, opts); err != nil {
		t.Fatal(err)
	}
	resp, err := ofxgo.ParseResponse(&buf)
	if err != nil {
		t.Fatalf("ofxgo cannot parse the export back: %v", err)
	}
	return resp
}

// statementTxs is one parsed statement, whatever its kind.
type parsedStatement struct {
	bankID, acctID, acctType, currency string
	list                               *ofxgo.TransactionList
	balance                            ofxgo.Amount
	asOf                               time.Time
	avail                              *ofxgo.Amount
}

func statements(t *testing.T, resp *ofxgo.Response) map[string]parsedStatement {
	t.Helper()
	out := map[string]parsedStatement{}
	for _, m := range resp.Bank {
		s := m.(*ofxgo.StatementResponse)
		out[string(s.BankAcctFrom.AcctID)] = parsedStatement{string(s.BankAcctFrom.BankID), string(s.BankAcctFrom.AcctID),
			s.BankAcctFrom.AcctType.String(), s.CurDef.String(), s.BankTranList, s.BalAmt, s.DtAsOf.Time, s.AvailBalAmt}
	}
	for _, m := range resp.CreditCard {
		s := m.(*ofxgo.CCStatementResponse)
		out[string(s.CCAcctFrom.AcctID)] = parsedStatement{"", string(s.CCAcctFrom.AcctID), "card", s.CurDef.String(),
			s.BankTranList, s.BalAmt, s.DtAsOf.Time, s.AvailBalAmt}
	}
	return out
}

func sameAmount(a ofxgo.Amount, d decimal.Decimal) bool { return a.Rat.Cmp(d.Rat()) == 0 }

// An OFX export parses back with ofxgo and matches the store: one statement
// per account with the bank's identifiers, every booked transaction once
// under its dedupe key, exact amounts, exact times, balances.
func TestOFXParsesBackAndMatchesTheStore(t *testing.T) {
	st := testenv.Store(t)
	fillTricky(t, st)
	if err := st.PutBalance(store.Balance{AccountID: current.ID, Current: dec("1042.17"), Available: decp("1542.17"), UpdatedAt: at("2025-03-30T08:00:00Z")}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutBalance(store.Balance{AccountID: card.ID, Current: dec("123.45"), Available: decp("876.55"), UpdatedAt: at("2025-03-31T08:00:00Z")}); err != nil {
		t.Fatal(err)
	}
	resp := exportOFX(t, st, Options{})
	if resp.Version.String() != "203" || !resp.Signon.DtServer.Time.Equal(exportTime) {
		t.Fatalf("version %s, server time %s", resp.Version, resp.Signon.DtServer.Time)
	}
	if len(resp.Bank) != 2 || len(resp.CreditCard) != 1 {
		t.Fatalf("%d bank and %d card statements", len(resp.Bank), len(resp.CreditCard))
	}
	got := statements(t, resp)
	for _, c := range []struct {
		acct                     store.Account
		bankID, acctID, acctType string
		balance                  string
		asOf                     string
		avail                    string
	}{
		{current, "309457", "12345678", "CHECKING", "1042.17", "2025-03-30T08:00:00Z", "1542.17"},
		// No stored balance: the newest running balance, as of its booking.
		{savings, "BUKB", "GB33BUKB20201555555555", "SAVINGS", "0.125", "2025-03-04T14:00:00Z", ""},
		// Cards: what is owed, as a negative balance.
		{card, "", "0123456789abcdef012345", "card", "-123.45", "2025-03-31T08:00:00Z", "876.55"},
	} {
		s, ok := got[c.acctID]
		if !ok {
			t.Errorf("%s: no statement for ACCTID %s", c.acct.DisplayName, c.acctID)
			continue
		}
		if s.bankID != c.bankID || s.acctType != c.acctType || s.currency != "GBP" {
			t.Errorf("%s: BANKID %q ACCTTYPE %s CURDEF %s", c.acct.DisplayName, s.bankID, s.acctType, s.currency)
		}
		if !sameAmount(s.balance, dec(c.balance)) || !s.asOf.Equal(at(c.asOf)) {
			t.Errorf("%s: LEDGERBAL %s as of %s", c.acct.DisplayName, s.balance.String(), s.asOf)
		}
		if (s.avail == nil) != (c.avail == "") || s.avail != nil && !sameAmount(*s.avail, dec(c.avail)) {
			t.Errorf("%s: AVAILBAL %v", c.acct.DisplayName, s.avail)
		}
		var booked []store.Transaction
		if err := st.Transactions(c.acct.ID, 0, 0, func(tx store.Transaction) error { booked = append(booked, tx); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(s.list.Transactions) != len(booked) {
			t.Fatalf("%s: %d transactions, the store has %d", c.acct.DisplayName, len(s.list.Transactions), len(booked))
		}
		if !s.list.DtStart.Time.Equal(booked[0].BookedAt) || !s.list.DtEnd.Time.Equal(exportTime) {
			t.Errorf("%s: DTSTART %s DTEND %s", c.acct.DisplayName, s.list.DtStart.Time, s.list.DtEnd.Time)
		}
		sumOFX, sumStore := new(ofxgo.Amount), decimal.Zero
		for i, tx := range booked {
			o := s.list.Transactions[i]
			if string(o.FiTID) != tx.Key || !sameAmount(o.TrnAmt, tx.Amount) || !o.DtPosted.Time.Equal(tx.BookedAt) {
				t.Errorf("%s #%d: FITID %s TRNAMT %s DTPOSTED %s, stored %s %s %s", c.acct.DisplayName, i,
					o.FiTID, o.TrnAmt.String(), o.DtPosted.Time, tx.Key, tx.Amount, tx.BookedAt)
			}
			if utf8.RuneCountInString(string(o.Name)) > 32 || utf8.RuneCountInString(string(o.Memo)) > 255 || o.Name == "" && tx.Description+tx.Merchant != "" {
				t.Errorf("%s #%d: NAME %q MEMO %q", c.acct.DisplayName, i, o.Name, o.Memo)
			}
			sumOFX.Add(&sumOFX.Rat, &o.TrnAmt.Rat)
			sumStore = sumStore.Add(tx.Amount)
		}
		if !sameAmount(*sumOFX, sumStore) {
			t.Errorf("%s: amounts add up to %s, stored %s", c.acct.DisplayName, sumOFX.String(), sumStore)
		}
	}
	// Spot checks of NAME and MEMO: the bank's text, then what the person
	// added (a note's line break as a space).
	first := got["12345678"].list.Transactions[0]
	if first.Name != `=HYPERLINK("http://evil.example"` || first.TrnType.String() != "POS" ||
		first.Memo != `TESCO, STORES 3297 | line one line "two", three | Payee: @payee | Category: =Eating; out | Tags: +plus, zürich 😀` {
		t.Errorf("first transaction: NAME %q MEMO %q TRNTYPE %s", first.Name, first.Memo, first.TrnType)
	}
	if w := got["12345678"].list.Transactions[3]; w.Memo != "windows line" || w.TrnType.String() != "ATM" || w.TrnAmt.String() != "-1234567.891" {
		t.Errorf("fourth transaction: %+v", w)
	}
}

// NAME and MEMO fit OFX's 32 and 255 characters, cut between characters,
// never inside one; line breaks and tabs become single spaces.
func TestOFXTextFitsTheFieldLimits(t *testing.T) {
	st := testenv.Store(t)
	addAccounts(t, st, current)
	emoji := strings.Repeat("😀", 40)
	long := strings.Repeat("é", 300)
	addBooked(t, st, current.ID,
		store.Transaction{ProviderTransactionID: "1", BookedAt: at("2025-01-01T10:00:00Z"), Merchant: emoji, Description: "CARD\r\nPAYMENT\tTO  X", Amount: dec("-1"), Currency: "GBP"},
		store.Transaction{ProviderTransactionID: "2", BookedAt: at("2025-01-02T10:00:00Z"), Description: long, Amount: dec("-2"), Currency: "GBP"},
		store.Transaction{ProviderTransactionID: "3", BookedAt: at("2025-01-03T10:00:00Z"), Merchant: "Tesco", Description: "Tesco", Amount: dec("-3"), Currency: "GBP"},
	)
	txs := exportOFX(t, st, Options{}).Bank[0].(*ofxgo.StatementResponse).BankTranList.Transactions
	if txs[0].Name != ofxgo.String(strings.Repeat("😀", 32)) || txs[0].Memo != "CARD PAYMENT TO X" {
		t.Errorf("NAME %q MEMO %q", txs[0].Name, txs[0].Memo)
	}
	if txs[1].Name != ofxgo.String(strings.Repeat("é", 32)) || txs[1].Memo != ofxgo.String(strings.Repeat("é", 255)) {
		t.Errorf("long description: NAME %d MEMO %d characters", utf8.RuneCountInString(string(txs[1].Name)), utf8.RuneCountInString(string(txs[1].Memo)))
	}
	if txs[2].Name != "Tesco" || txs[2].Memo != "" {
		t.Errorf("merchant equal to description: NAME %q MEMO %q", txs[2].Name, txs[2].Memo)
	}

	// The person's note alone (NAME is the bank's whole text), and one too
	// long for what is left of MEMO after the bank's.
	if err := st.SetUserFields(current.ID, "p:3", store.UserFields{Note: "weekly\nshop", Payee: "Tesco Extra"}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetUserFields(current.ID, "p:2", store.UserFields{Note: "never seen"}); err != nil {
		t.Fatal(err)
	}
	txs = exportOFX(t, st, Options{}).Bank[0].(*ofxgo.StatementResponse).BankTranList.Transactions
	if txs[2].Name != "Tesco" || txs[2].Memo != "weekly shop | Payee: Tesco Extra" {
		t.Errorf("with a note: NAME %q MEMO %q", txs[2].Name, txs[2].Memo)
	}
	if txs[1].Memo != ofxgo.String(strings.Repeat("é", 255)) {
		t.Errorf("a note after a full MEMO: %d characters", utf8.RuneCountInString(string(txs[1].Memo)))
	}
}

func TestOFXTransactionTypes(t *testing.T) {
	for _, c := range []struct {
		category, amount, want string
	}{
		{"PURCHASE", "-5", "POS"}, {"ATM", "-20", "ATM"}, {"DIRECT_DEBIT", "-30", "DIRECTDEBIT"},
		{"DIRECT_DEBIT", "30", "CREDIT"}, {"STANDING_ORDER", "-500", "REPEATPMT"}, {"STANDING_ORDER", "500", "CREDIT"},
		{"INTEREST", "1.23", "INT"}, {"INTEREST", "-1.23", "INT"}, {"FEE_CHARGE", "-5", "FEE"}, {"FEE_CHARGE", "5", "CREDIT"},
		{"TRANSFER", "-100", "XFER"}, {"TRANSFER", "100", "XFER"}, {"BILL_PAYMENT", "-60", "PAYMENT"},
		{"CASH", "-10", "CASH"}, {"CHEQUE", "-10", "CHECK"}, {"DIVIDEND", "4", "DIV"},
		{"CREDIT", "9", "CREDIT"}, {"DEBIT", "-9", "DEBIT"}, {"OTHER", "-1", "DEBIT"}, {"", "1", "CREDIT"}, {"UNKNOWN", "0", "CREDIT"},
	} {
		got := trnType(store.Transaction{Category: c.category, Amount: dec(c.amount)})
		if got != c.want {
			t.Errorf("%s %s: %s, want %s", c.category, c.amount, got, c.want)
		}
		if _, err := ofxgo.NewTrnType(got); err != nil {
			t.Errorf("%s is not an OFX TRNTYPE", got)
		}
	}
}

func TestOFXAccountIdentifiers(t *testing.T) {
	for _, c := range []struct {
		acct           store.Account
		bankID, acctID string
	}{
		{store.Account{SortCode: "30-94-57", Number: "12345678", IBAN: "GB33BUKB20201555555555"}, "309457", "12345678"},
		{store.Account{IBAN: "de89 3704 0044 0532 0130 00", SwiftBIC: "COBADEFFXXX"}, "COBADEFF", "DE89370400440532013000"},
		{store.Account{IBAN: "GB33BUKB20201555555555"}, "BUKB", "GB33BUKB20201555555555"},
		{store.Account{ID: "0123456789abcdef0123456789abcdef", ProviderID: "ob-nationwide"}, "ob-nation", "0123456789abcdef012345"},
		{store.Account{ID: "short"}, "BANKDESK", "short"},
	} {
		if b, a := bankAccount(c.acct); b != c.bankID || a != c.acctID {
			t.Errorf("%+v: BANKID %q ACCTID %q, want %q %q", c.acct, b, a, c.bankID, c.acctID)
		}
	}
}

func TestOFXSelectsDays(t *testing.T) {
	st := testenv.Store(t)
	addAccounts(t, st, current)
	for _, s := range []string{"2025-01-31T23:59:59Z", "2025-02-01T00:00:00Z", "2025-02-28T23:59:59Z", "2025-03-01T00:00:00Z"} {
		addBooked(t, st, current.ID, store.Transaction{ProviderTransactionID: s, BookedAt: at(s), Description: s, Amount: dec("-1"), Currency: "GBP"})
	}
	list := exportOFX(t, st, Options{From: bday("2025-02-01"), To: bday("2025-02-28")}).Bank[0].(*ofxgo.StatementResponse).BankTranList
	if len(list.Transactions) != 2 || list.Transactions[0].FiTID != "p:2025-02-01T00:00:00Z" || list.Transactions[1].FiTID != "p:2025-02-28T23:59:59Z" {
		t.Fatalf("February: %+v", list.Transactions)
	}
	if !list.DtStart.Time.Equal(date("2025-02-01")) || !list.DtEnd.Time.Equal(date("2025-03-01")) {
		t.Fatalf("DTSTART %s DTEND %s", list.DtStart.Time, list.DtEnd.Time)
	}
	// No balance, no running balance: LEDGERBAL is zero as of DTEND.
	s := exportOFX(t, st, Options{From: bday("2025-02-01"), To: bday("2025-02-28")}).Bank[0].(*ofxgo.StatementResponse)
	if !sameAmount(s.BalAmt, decimal.Zero) || !s.DtAsOf.Time.Equal(date("2025-03-01")) {
		t.Fatalf("LEDGERBAL %s as of %s", s.BalAmt.String(), s.DtAsOf.Time)
	}
}

func TestOFXRefusesWhatItCannotCarry(t *testing.T) {
	st := testenv.Store(t)
	fillTricky(t, st)
	var buf bytes.Buffer
	if _, err := OFX(context.Background(), &buf, st, Options{IncludePending: true}); !errors.Is(err, ErrPendingInOFX) {
		t.Errorf("pending: %v", err)
	}
	for _, o := range []Options{{Delimiter: ';'}, {BOM: true}, {Excel: true}, {Raw: true}, {FlattenNewlines: true}, {Accounts: []string{"nope"}}} {
		if _, err := OFX(context.Background(), &buf, st, o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if buf.Len() != 0 {
		t.Fatal("a refused export wrote something")
	}
}

func TestOFXIsDeterministic(t *testing.T) {
	st := testenv.Store(t)
	fillTricky(t, st)
	opts := Options{Now: func() time.Time { return exportTime }}
	var a, b bytes.Buffer
	if _, err := OFX(context.Background(), &a, st, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := OFX(context.Background(), &b, st, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two exports of one store at one time differ")
	}
}
