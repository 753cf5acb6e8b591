package importer

import (
	"errors"
	"strings"
	"testing"
)

// csvCase is a file read by a mapping, and the rows it gives (describe)
// or the words its refusal has.
type csvCase struct {
	name string
	m    Mapping
	file string
	want []string
}

var signed = Mapping{Date: "Date", Amount: "Amount", Description: "Description"}

func TestParseCSV(t *testing.T) {
	for _, tc := range []csvCase{
		{"signed amounts, LF", signed, "Date,Description,Amount\n2026-07-01,TEA,-1.20\n2026-07-02,REFUND,3\n",
			[]string{"2026-07-01 -1.2 DEBIT TEA [] ", "2026-07-02 3 CREDIT REFUND [] "}},
		{"BOM, CRLF, quoted, blank line, any case headers", signed, "\ufeffdate,\"description\",AMOUNT\r\n2026-07-01,\"ACME, LTD\",\"-1,234.56\"\r\n\r\n2026-07-02,X,+0.01\r\n",
			[]string{"2026-07-01 -1234.56 DEBIT ACME, LTD [] ", "2026-07-02 0.01 CREDIT X [] "}},
		{"decimal comma, semicolons, day first, parentheses", Mapping{Date: "Datum", DateFormat: "DD.MM.YYYY", Amount: "Betrag", Description: "Text", Decimal: ","},
			"Datum;Text;Betrag\n01.07.2026;MIETE;(1.234,56)\n2.7.2026;ZINS;0,5\n31.12.2026;GEBÜHR;1.000-\n",
			[]string{"2026-07-01 -1234.56 DEBIT MIETE [] ", "2026-07-02 0.5 CREDIT ZINS [] ", "2026-12-31 -1000 DEBIT GEBÜHR [] "}},
		{"debit and credit columns, merchant, id, currency", Mapping{Date: "Date", DateFormat: "DD/MM/YYYY", Debit: "Paid out", Credit: "Paid in", Description: "Details", Merchant: "Payee", ID: "Ref", Currency: "Ccy"},
			"Date,Details,Payee,Paid out,Paid in,Ref,Ccy\n01/07/2026,CARD 1234,Tesco,£12.00,,R1,gbp\n02/07/2026,BGC,,,\"1,500.00\",R2,GBP\n",
			[]string{"2026-07-01 -12 DEBIT CARD 1234 [Tesco] R1", "2026-07-02 1500 CREDIT BGC [] R2"}},
		{"a type column wins over the sign", Mapping{Date: "d", Amount: "a", Type: "t", Description: "x"},
			"d,a,t,x\n2026-07-01,5.00,DEBIT,CARD\n2026-07-02,-5.00,CR,REVERSAL\n2026-07-03,-2,,FEE\n",
			[]string{"2026-07-01 -5 DEBIT CARD [] ", "2026-07-02 5 CREDIT REVERSAL [] ", "2026-07-03 -2 DEBIT FEE [] "}},
		{"out-positive (a card statement), date-times, tabs", Mapping{Date: "when", Amount: "amt", Description: "what", Sign: SignOutPositive},
			"when\twhat\tamt\n2026-07-01T10:00:00Z\tBOOKS\t9.99\n2026-07-02 08:00\tPAYMENT THANK YOU\t-100\n",
			[]string{"2026-07-01 -9.99 DEBIT BOOKS [] ", "2026-07-02 100 CREDIT PAYMENT THANK YOU [] "}},
		{"Bankdesk's export: formula safety undone", mustBuiltin(t),
			"date,booked_at,description,merchant,amount,currency,type\r\n2026-07-01,x,'=SUM(A1),,-1.00,GBP,DEBIT\r\n2026-07-02,x,'+44 TOPUP,'@HOME,2.00,GBP,CREDIT\r\n",
			[]string{"2026-07-01 -1 DEBIT =SUM(A1) [] ", "2026-07-02 2 CREDIT +44 TOPUP [@HOME] "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseCSV(strings.NewReader(tc.file), tc.m)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(f.Rows); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func mustBuiltin(t *testing.T) Mapping {
	m, ok := Builtin(MappingBankdesk)
	if !ok {
		t.Fatal("no built-in mapping")
	}
	return m
}

func TestParseCSVRefuses(t *testing.T) {
	for _, tc := range []csvCase{
		{"empty", signed, "", []string{"it is empty"}},
		{"a missing column", signed, "Date,Amount\n2026-07-01,1\n", []string{`line 1: there is no column "Description" (the columns are "Date", "Amount")`}},
		{"a bad amount", signed, "Date,Description,Amount\n2026-07-01,TEA,1.2.3\n", []string{`line 2: the amount "1.2.3" is not a number`}},
		{"an exponent is no amount", signed, "Date,Description,Amount\n2026-07-01,TEA,1e3\n", []string{`line 2: the amount "1e3"`}},
		{"a decimal comma read with a point", signed, "Date,Description,Amount\n2026-07-01,TEA,\"1,5\"\n", []string{`line 2: the amount "1,5"`}},
		{"a bad date", signed, "Date,Description,Amount\n07/01/2026,TEA,1\n", []string{`line 2: the date "07/01/2026" does not read as YYYY-MM-DD`}},
		{"a short row", signed, "Date,Amount,Description\n2026-07-01,1\n", []string{"line 2: the row has 2 fields"}},
		{"an empty description", signed, "Date,Description,Amount\n2026-07-01,,1\n", []string{"line 2: the description is empty"}},
		{"both debit and credit", Mapping{Date: "d", Debit: "o", Credit: "i", Description: "x"}, "d,o,i,x\n2026-07-01,1,2,T\n", []string{`exactly one of "o" and "i"`}},
		{"an unknown type", Mapping{Date: "d", Amount: "a", Type: "t", Description: "x"}, "d,a,t,x\n2026-07-01,1,MAYBE,T\n", []string{`the type "MAYBE"`}},
		{"a broken quote", signed, "Date,Description,Amount\n2026-07-01,\"TEA,1\n", []string{"the CSV does not parse"}},
		{"no date column", Mapping{Amount: "a", Description: "x"}, "a,x\n", []string{"names no date column"}},
		{"no amount column", Mapping{Date: "d", Description: "x"}, "d,x\n", []string{"needs an amount column"}},
		{"amount and debit", Mapping{Date: "d", Amount: "a", Debit: "o", Description: "x"}, "d,x\n", []string{"give one or the other"}},
		{"a bad separator", Mapping{Date: "d", Amount: "a", Description: "x", Decimal: ":"}, "d,x\n", []string{"decimal separator"}},
		{"a bad date format", Mapping{Date: "d", Amount: "a", Description: "x", DateFormat: "MM/YYYY"}, "d,x\n", []string{"needs a year (YYYY), a month (MM) and a day (DD)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCSV(strings.NewReader(tc.file), tc.m)
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want[0]) {
				t.Fatalf("err %v, want an *Error containing %q", err, tc.want[0])
			}
		})
	}
}
