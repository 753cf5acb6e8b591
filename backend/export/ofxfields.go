package export

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"bankdesk/backend/store"
)

// OFX 2 field lengths, in characters.
const (
	ofxNameLen   = 32
	ofxMemoLen   = 255
	ofxFITIDLen  = 255
	ofxAcctIDLen = 22
	ofxBankIDLen = 9
)

// trnType picks a transaction's TRNTYPE (as ofxgo.NewTrnType spells it)
// from TrueLayer's transaction_category, falling back to DEBIT or CREDIT
// by the amount's sign. Types that only describe money going out (direct
// debits, standing orders, fees, bill payments) fall back too when the
// amount is money in: a refunded direct debit is a CREDIT.
func trnType(t store.Transaction) string {
	out := t.Amount.IsNegative()
	switch t.Category {
	case "ATM":
		return "ATM"
	case "CASH":
		return "CASH"
	case "CHEQUE":
		return "CHECK"
	case "DIVIDEND":
		return "DIV"
	case "INTEREST":
		return "INT"
	case "PURCHASE":
		return "POS"
	case "TRANSFER":
		return "XFER"
	case "DIRECT_DEBIT":
		if out {
			return "DIRECTDEBIT"
		}
	case "STANDING_ORDER":
		if out {
			return "REPEATPMT"
		}
	case "FEE_CHARGE":
		if out {
			return "FEE"
		}
	case "BILL_PAYMENT":
		if out {
			return "PAYMENT"
		}
	}
	if out {
		return "DEBIT"
	}
	return "CREDIT"
}

// nameAndMemo fills NAME and MEMO: NAME is the merchant, else the
// description; MEMO is the description when NAME is not (or when NAME had
// to be shortened), so the bank's full text survives. What the person
// added follows in MEMO, OFX's only free text (it has no category
// element): their note, payee name, category and tags, each after " | ",
// as much as its 255 characters hold.
func nameAndMemo(t store.Transaction) (name, memo string) {
	desc := oneLine(t.Description)
	name = oneLine(t.Merchant)
	if name == "" {
		name = desc
	}
	short := truncate(name, ofxNameLen)
	parts := make([]string, 0, 5)
	if desc != short {
		parts = append(parts, desc)
	}
	u := t.Fields()
	for _, p := range [][2]string{{"", u.Note}, {"Payee: ", u.Payee}, {"Category: ", u.Category}, {"Tags: ", strings.Join(u.Tags, ", ")}} {
		if v := oneLine(p[1]); v != "" {
			parts = append(parts, p[0]+v)
		}
	}
	return short, truncate(strings.Join(parts, " | "), ofxMemoLen)
}

// oneLine makes s fit an OFX text element: control characters (line
// breaks, tabs) become spaces, runs of spaces collapse, invalid UTF-8
// becomes U+FFFD, and the ends are trimmed (ofxgo trims them on reading).
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

// truncate cuts s to at most n characters, on a rune boundary.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return strings.TrimRight(s[:i], " ")
}

// fitID is the transaction's FITID: its dedupe key, which importers then
// deduplicate on across exports. A key longer than OFX allows (never seen)
// is replaced by a hash of itself, still stable and unique.
func fitID(key string) string {
	if len(key) <= ofxFITIDLen {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "x:" + hex.EncodeToString(sum[:])
}

// bankAccount identifies a bank account the way its bank's own OFX would,
// so an importer matches the account it already knows:
//
//   - sort code and number: BANKID is the sort code's six digits, ACCTID
//     the account number;
//   - else an IBAN: ACCTID is the IBAN (spaces removed), BANKID the first 8
//     characters of the BIC when known, else IBAN characters 5 to 8 (the
//     bank code of GB, IE and NL IBANs, its start elsewhere);
//   - else BANKID is the TrueLayer provider id and ACCTID TrueLayer's
//     account id, both cut to OFX's lengths (9 and 22 characters; 22 hex
//     characters of a random id are still unique).
func bankAccount(a store.Account) (bankID, acctID string) {
	sortCode := digits(a.SortCode)
	if sortCode != "" && a.Number != "" {
		return truncate(sortCode, ofxBankIDLen), truncate(a.Number, ofxAcctIDLen)
	}
	if iban := strings.ToUpper(strings.ReplaceAll(a.IBAN, " ", "")); len(iban) > 8 {
		if a.SwiftBIC != "" {
			return truncate(a.SwiftBIC, 8), iban
		}
		return iban[4:8], iban
	}
	return truncate(orDefault(a.ProviderID, "BANKDESK"), ofxBankIDLen), truncate(a.ID, ofxAcctIDLen)
}

// cardAccount is a card's ACCTID: TrueLayer's account id cut to 22
// characters. Bankdesk never sees the full card number, and the last four
// digits alone could match two cards.
func cardAccount(a store.Account) string { return truncate(a.ID, ofxAcctIDLen) }

// acctType is the bank account's ACCTTYPE (as ofxgo.NewAcctType spells
// it) from TrueLayer's account_type.
func acctType(a store.Account) string {
	if strings.Contains(strings.ToUpper(a.Type), "SAVINGS") {
		return "SAVINGS"
	}
	return "CHECKING"
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
