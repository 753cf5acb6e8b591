// Package export writes stored transactions to files other programs read:
// CSV for spreadsheets and scripts, OFX for money managers (GnuCash,
// Moneydance, HomeBank...).
//
// # CSV
//
// RFC 4180: UTF-8, a header row, records ending in CRLF, fields quoted when
// they hold the delimiter, a double quote or a line break (or start with a
// space), as encoding/csv quotes them. The columns, in this order:
//
//	date             booking day, YYYY-MM-DD (UTC)
//	booked_at        booking time, RFC 3339 in UTC (fractional seconds only when stored)
//	account_id       TrueLayer's account id
//	account_name     the account's display name
//	provider         the bank's TrueLayer provider id
//	description      the bank's raw text
//	merchant
//	category         TrueLayer's transaction_category: PURCHASE, ATM, DIRECT_DEBIT...
//	classification   TrueLayer's classification, joined with " / "
//	amount           signed exact decimal, '.' separator, no thousands separator,
//	                 at least two decimals; money out is negative
//	currency         ISO 4217
//	type             DEBIT or CREDIT
//	status           booked or pending
//	running_balance  like amount; empty when the bank sent none
//	transaction_id   the dedupe key (store.DedupeKey): stable across syncs
//
// then what the person added (store.UserFields), after the bank's columns
// so that those keep their places:
//
//	category_name    the category shown: the person's own, else the bank's
//	                 in words (ledger.EffectiveCategory)
//	note             the person's note (line breaks as stored)
//	tags             the person's tags, joined with ", "
//	payee            the name the person gave the other party
//	hidden           true when the person hid it from the list, else false
//	transfer_with    the transaction_id of the other half of a transfer the
//	                 person linked it to; empty when none
//	transfer_with_account_id  that transaction's account_id
//
// Hidden transactions are exported like the others.
//
// Numbers are date, booked_at, amount and running_balance: Bankdesk writes
// them itself, from times and decimals, so they hold only digits, '-', ':',
// '.', 'T', 'Z' and '+'. Every other column is text.
//
// Spreadsheet safety (OWASP "CSV injection"): unless Options.Raw, a text
// cell whose first character is '=', '+', '-', '@', a tab or a carriage
// return gets a single quote (') prepended, so a spreadsheet shows it as text
// instead of evaluating it as a formula. Number columns are never touched: a
// negative amount keeps its leading '-' and stays a number.
//
// Text cells keep their text byte for byte: a line break inside one (LF,
// CR or CRLF, whatever the bank sent) is written as stored, inside the
// quotes (RFC 4180 section 2.6 allows line breaks in a quoted field), while
// the records still end in CRLF. Readers that return a quoted field as
// written, like Python's csv module on a file opened with newline="" (as
// its docs require), give the stored text back exactly; encoding/csv's
// Reader turns every CRLF into LF, inside fields too, and leaves the rest.
// With safety on, "\rx" is written as "'\rx".
//
// Options.FlattenNewlines (`bankdesk export --flatten-newlines`) is for
// spreadsheets and importers that end a row at any line break, quoted or
// not: each line break in a text cell (CRLF, CR or LF) is written as one
// space, so every record is one line. Safety then looks at the flattened
// cell: "\r=1" is written " =1", which starts with a space, not a trigger.
//
// # Order and memory
//
// Rows come oldest first by booking time; ties break on account id, then
// booked before pending, then transaction_id: the order of the app's
// transaction list, so the same store gives the same bytes. The export
// streams. Each account's booked transactions are read from the store a
// page at a time (store.Transactions) by a goroutine of its own, a few
// batches ahead of the writer, so unsealing overlaps with writing and
// accounts are read on several cores; its pending ones (a short list) are
// merged in; the accounts' streams then meet in a k-way merge. Memory is
// constant in the number of transactions: per account, one store page and
// at most six batches of 512.
//
// # OFX
//
// OFX 2.0.3 (XML), built and marshalled with github.com/aclindsa/ofxgo: one
// statement per account, bank accounts in BANKMSGSRSV1, cards in
// CREDITCARDMSGSRSV1. See ofx.go for how fields are filled; OFX has no
// category element, so what the person added (note, payee name, category,
// tags) goes into MEMO after the bank's text (nameAndMemo). ofxgo marshals
// a whole response into memory, so an OFX export holds its transactions in
// memory (about 2 KB each at the peak) and is slower (see BENCHMARKS.md);
// CSV is the streaming format.
//
// # Files
//
// ToFile writes a new or regular file through a partial file in the
// target's directory, synced and moved onto the target only once everything
// was written: an error, a cancelled context or a crash never leaves a
// partial file where the user asked for one, and an existing file is
// replaced only on success. Exports hold bank data, so the file is private
// to the user (mode 0600), and the partial file leaves no plaintext behind
// after a crash: on Linux it has no name while it is written, elsewhere the
// next export to that folder removes it (see partial.go). A link to a file
// is followed; a device, FIFO or descriptor (/dev/null, /dev/stdout) is
// written in place; a folder is refused before anything is written.
package export
