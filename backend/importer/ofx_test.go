package importer

import (
	"errors"
	"strings"
	"testing"

	"bankdesk/backend/bankday"
)

// sgml is an OFX 1.0.2 file as banks write them: SGML headers, no closing
// tags on leaf elements.
const sgml = `OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260705120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>GBP
<BANKACCTFROM><BANKID>400000<ACCTID>12345678<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20260701<DTEND>20260705
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260701000000[+1:BST]<TRNAMT>12.50<FITID>A1<NAME>TESCO STORES 2041</STMTTRN>
<STMTTRN><TRNTYPE>POS<DTPOSTED>20260702<TRNAMT>-3,20<FITID>A2<NAME>PRET A MANGER<MEMO>PRET A MANGER LONDON</STMTTRN>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260703<TRNAMT>-1500.00<FITID>A3<NAME>ACME LTD<MEMO>SALARY JULY</STMTTRN>
<STMTTRN><TRNTYPE>XFER<DTPOSTED>20260704<TRNAMT>250<FITID>A4<PAYEE><NAME>J SMITH<ADDR1>1 HIGH ST<CITY>LONDON<STATE>LDN<POSTALCODE>N1</PAYEE></STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>100.00<DTASOF>20260705</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
`

const xmlCard = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<?OFX OFXHEADER="200" VERSION="203" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS><DTSERVER>20260705120000</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>
<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
<CCSTMTRS><CURDEF>EUR</CURDEF><CCACCTFROM><ACCTID>4111</ACCTID></CCACCTFROM>
<BANKTRANLIST><DTSTART>20260701</DTSTART><DTEND>20260705</DTEND>
<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260702235900.000[-5:EST]</DTPOSTED><TRNAMT>0.10</TRNAMT><FITID>C1</FITID><NAME>CAFE</NAME><MEMO>CAFE DE FLORE PARIS 75006 | Payee: Flore</MEMO></STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>-0.10</BALAMT><DTASOF>20260705</DTASOF></LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>
`

func TestParseOFX(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		currency   string
		want       []string // day amount type description [merchant] id
	}{
		{"SGML 1.x", sgml, "GBP", []string{
			"2026-07-01 -12.5 DEBIT TESCO STORES 2041 [] A1",                // DEBIT with a positive amount: money out
			"2026-07-02 -3.2 DEBIT PRET A MANGER LONDON [PRET A MANGER] A2", // decimal comma; MEMO is the description, NAME the merchant
			"2026-07-03 1500 CREDIT SALARY JULY [ACME LTD] A3",              // CREDIT with a negative amount: money in
			"2026-07-04 250 CREDIT J SMITH [] A4",                           // PAYEE's name; XFER goes by the sign
		}},
		{"SGML with CRLF and a BOM", "\ufeff" + strings.ReplaceAll(sgml, "\n", "\r\n"), "GBP", nil},
		{"NAME cut at 32 characters", strings.Replace(sgml, "<NAME>PRET A MANGER<MEMO>PRET A MANGER LONDON", "<NAME>PRET A MANGER LONDON VICTORIA ST<MEMO>PRET A MANGER LONDON VICTORIA STATION", 1), "GBP", []string{
			"2026-07-01 -12.5 DEBIT TESCO STORES 2041 [] A1",
			"2026-07-02 -3.2 DEBIT PRET A MANGER LONDON VICTORIA STATION [] A2",
			"2026-07-03 1500 CREDIT SALARY JULY [ACME LTD] A3",
			"2026-07-04 250 CREDIT J SMITH [] A4",
		}},
		{"XML 2.x card, offset day", xmlCard, "EUR", []string{"2026-07-02 -0.1 DEBIT CAFE DE FLORE PARIS 75006 [CAFE] C1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseOFX(strings.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if f.Currency != tc.currency || f.Format != FormatOFX {
				t.Fatalf("currency %q format %q", f.Currency, f.Format)
			}
			got := describe(f.Rows)
			want := tc.want
			if want == nil {
				want = describe(mustOFX(t, sgml).Rows)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestParseOFXRefuses(t *testing.T) {
	two := strings.Replace(sgml, "</STMTTRNRS>", "</STMTTRNRS><STMTTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>GBP<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>SAVINGS</BANKACCTFROM><LEDGERBAL><BALAMT>0<DTASOF>20260705</LEDGERBAL></STMTRS></STMTTRNRS>", 1)
	for name, tc := range map[string]struct{ file, want string }{
		"not OFX":      {"date,amount\n", "not an OFX file"},
		"no statement": {strings.Replace(sgml, "BANKMSGSRSV1", "BANKMSGSRSVX", 2), ""},
		"two accounts": {two, "holds 2 statements"},
		"no text":      {strings.Replace(sgml, "<NAME>TESCO STORES 2041", "", 1), "has no text"},
		"bad amount":   {strings.Replace(sgml, "<TRNAMT>12.50", "<TRNAMT>12.5x", 1), ""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseOFX(strings.NewReader(tc.file))
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(e.Say(), "The file cannot be imported: ") {
				t.Fatalf("err %v, want an *Error containing %q", err, tc.want)
			}
		})
	}
}

func mustOFX(t *testing.T, s string) File {
	t.Helper()
	f, err := ParseOFX(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func describe(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join([]string{r.Day.String(), r.Amount.String(), r.Type, r.Description, "[" + r.Merchant + "]", r.ID}, " ")
	}
	return out
}

var _ = bankday.Date
