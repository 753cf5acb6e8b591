package importer

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/aclindsa/ofxgo"
	"github.com/shopspring/decimal"

	"bankdesk/backend/bankday"
	"bankdesk/backend/store"
)

// ParseOFX reads an OFX or QFX file (1.x SGML or 2.x XML) with one bank or
// card statement. Each STMTTRN becomes a Row: its day is DTPOSTED's date
// as written (in the offset the file gives), its ID the FITID, its amount
// TRNAMT exactly. Direction: TRNTYPE DEBIT or CREDIT (and the types only
// money out or only money in can be: DIRECTDEBIT, REPEATPMT, FEE, SRVCHG,
// PAYMENT; DEP, DIRECTDEP) is the file's word, and the amount takes that
// sign; other types (POS, ATM, XFER, INT...) go by TRNAMT's sign, as OFX
// says they do.
//
// Text: NAME (or PAYEE's name) is the other party, MEMO more of the
// bank's text. Bankdesk's own export puts the merchant in NAME and the
// full description first in MEMO (cut to 32 characters in NAME
// otherwise), so: when MEMO's first part (before " | ") begins with a NAME
// of 31 or 32 characters, it is the description and there is no merchant;
// when MEMO has a first part, it is the description and NAME the
// merchant; else NAME is the description. (A note the person added shows
// as MEMO's first part when the description fits NAME: such a file reads
// the note as the description.)
func ParseOFX(r io.Reader) (File, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len(utf8BOM)); string(b) == utf8BOM {
		_, _ = br.Discard(len(utf8BOM))
	}
	raw, err := io.ReadAll(br)
	if err != nil {
		return File{}, fail(0, "it could not be read (%v)", err)
	}
	// ofxgo reads the SGML headers line by line; a file saved with CR line
	// ends (old Mac tools) has one line only.
	raw = bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	resp, err := ofxgo.DecodeResponse(bytes.NewReader(raw))
	if err != nil {
		return File{}, fail(0, "it is not an OFX file Bankdesk can read (%v)", err)
	}
	type statement struct {
		currency string
		list     *ofxgo.TransactionList
	}
	var sts []statement
	for _, m := range resp.Bank {
		if s, ok := m.(*ofxgo.StatementResponse); ok {
			sts = append(sts, statement{s.CurDef.String(), s.BankTranList})
		}
	}
	for _, m := range resp.CreditCard {
		if s, ok := m.(*ofxgo.CCStatementResponse); ok {
			sts = append(sts, statement{s.CurDef.String(), s.BankTranList})
		}
	}
	switch {
	case len(sts) == 0:
		return File{}, fail(0, "it holds no bank or card statement")
	case len(sts) > 1:
		return File{}, fail(0, "it holds %d statements (several accounts); export one account per file and import each", len(sts))
	}
	st := sts[0]
	f := File{Format: FormatOFX, Currency: strings.ToUpper(st.currency)}
	if st.list == nil {
		return f, nil
	}
	for i, t := range st.list.Transactions {
		row, err := ofxRow(i+1, t)
		if err != nil {
			return File{}, err
		}
		f.Rows = append(f.Rows, row)
	}
	return f, nil
}

func ofxRow(n int, t ofxgo.Transaction) (Row, error) {
	if t.DtPosted.IsZero() {
		return Row{}, fail(0, "transaction %d has no date (DTPOSTED)", n)
	}
	amount, err := decimal.NewFromString(t.TrnAmt.String())
	if err != nil || t.TrnAmt.Denom().BitLen() == 0 {
		return Row{}, fail(0, "transaction %d has an amount Bankdesk cannot read (%q)", n, t.TrnAmt.String())
	}
	y, m, d := t.DtPosted.Date()
	row := Row{Line: n, Day: bankday.Date(y, m, d), ID: strings.TrimSpace(string(t.FiTID))}
	row.Type, row.Amount = direction(ofxDirection(t.TrnType.String()), amount)
	if t.Currency != nil {
		row.Currency = strings.ToUpper(t.Currency.CurSym.String())
	}
	name := strings.TrimSpace(string(t.Name))
	if name == "" && t.Payee != nil {
		name = strings.TrimSpace(string(t.Payee.Name))
	}
	memo, _, _ := strings.Cut(strings.TrimSpace(string(t.Memo)), " | ")
	switch {
	case memo != "" && strings.HasPrefix(memo, name) && utf8.RuneCountInString(name) >= ofxNameLen-1:
		// NAME is the description cut to OFX's 32 characters (and a space
		// at the cut trimmed): no merchant.
		row.Description = memo
	case memo != "" && name != "":
		row.Description, row.Merchant = memo, name
	case name != "":
		row.Description = name
	default:
		row.Description = memo
	}
	if row.Description == "" {
		return Row{}, fail(0, "transaction %d (FITID %q) has no text (NAME, PAYEE or MEMO)", n, row.ID)
	}
	return row, nil
}

// ofxNameLen is OFX's length of NAME, in characters.
const ofxNameLen = 32

// ofxDirection is the direction a TRNTYPE states, or "" when it leaves it
// to the sign.
func ofxDirection(trnType string) string {
	switch strings.ToUpper(trnType) {
	case "DEBIT", "DIRECTDEBIT", "REPEATPMT", "FEE", "SRVCHG", "PAYMENT":
		return store.TypeDebit
	case "CREDIT", "DEP", "DIRECTDEP":
		return store.TypeCredit
	}
	return ""
}

// direction is a row's type and signed amount: the stated direction when
// there is one (the amount's magnitude takes its sign), else the sign's.
func direction(stated string, amount decimal.Decimal) (string, decimal.Decimal) {
	switch stated {
	case store.TypeDebit:
		return store.TypeDebit, amount.Abs().Neg()
	case store.TypeCredit:
		return store.TypeCredit, amount.Abs()
	}
	if amount.IsNegative() {
		return store.TypeDebit, amount
	}
	return store.TypeCredit, amount
}
