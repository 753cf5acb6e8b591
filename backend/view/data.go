package view

// AccountView is an account or card with its latest balance: no tokens,
// amounts as exact decimal strings.
type AccountView struct {
	ID           string `json:"id"`
	ConnectionID string `json:"connectionId"`
	ProviderID   string `json:"providerId"`
	Kind         string `json:"kind"` // account or card
	Type         string `json:"type,omitempty"`
	DisplayName  string `json:"displayName"`
	Currency     string `json:"currency"`
	// Current is the balance as the person's money (position.Of): negative
	// when they owe it, as a card's balance is.
	Current *string `json:"current,omitempty"`
	// Available is what can be spent: for a card (Owes), the credit left.
	Available *string `json:"available,omitempty"`
	// Owes says the account lends money (a card): a negative Current is
	// owed, and Available is credit, not money held.
	Owes              bool   `json:"owes,omitempty"`
	SortCode          string `json:"sortCode,omitempty"`
	Number            string `json:"number,omitempty"`
	IBAN              string `json:"iban,omitempty"`
	PartialCardNumber string `json:"partialCardNumber,omitempty"`
	BalanceUpdatedAt  string `json:"balanceUpdatedAt,omitempty"`
	// HistoryFrom is the first day (YYYY-MM-DD) the stored history covers,
	// once known; HistoryLimited says the bank refused older history (the
	// UI then says "since <date>" and offers a reconnect).
	HistoryFrom    string `json:"historyFrom,omitempty"`
	HistoryLimited bool   `json:"historyLimited,omitempty"`
	LastSyncedAt   string `json:"lastSyncedAt,omitempty"` // RFC 3339; when a sync last finished fully
	// Disconnected: the account's connection was removed and its data kept
	// for offline reading; its balance is the last one synced
	// (BalanceUpdatedAt), and nothing will update it.
	Disconnected bool `json:"disconnected,omitempty"`
	// Manual: an account Bankdesk keeps itself, filled by imported bank
	// files (`bankdesk import`); it has no connection and never syncs.
	Manual bool `json:"manual,omitempty"`
}

// TxFilter is what the Transactions and Spending screens ask for. Dates
// are YYYY-MM-DD, booking days (the bank's), both included.
type TxFilter struct {
	AccountIDs []string `json:"accountIds"`
	From       string   `json:"from"`
	To         string   `json:"to"`
	// Months, when above zero, is the period instead of From and To: the
	// bank's current month up to today and the Months−1 months before it.
	Months   int    `json:"months"`
	Category string `json:"category"`
	Status   string `json:"status"` // "", booked, pending or removed
	Search   string `json:"search"`
	Offset   int    `json:"offset"`
	Limit    int    `json:"limit"`
	// IncludeHidden lists the rows the person hid too (the list's "Show"
	// beside "N hidden"); totals count them either way.
	IncludeHidden bool `json:"includeHidden"`
}

// TxRow is one line of the list: exact decimal strings, signed amounts.
type TxRow struct {
	ID          string `json:"id"`
	AccountID   string `json:"accountId"`
	AccountName string `json:"accountName"`
	BookingDate string `json:"bookingDate"` // the bank's day: what the list shows and groups by
	BookedAt    string `json:"bookedAt"`    // RFC 3339 with the bank's offset
	Description string `json:"description"`
	Merchant    string `json:"merchant"`
	// Category is the category every screen shows and the category filter
	// takes: the person's own (UserFields.Category) when they chose one,
	// else BankCategory.
	Category string `json:"category"`
	// BankCategory is the bank's category in words ("Transfers",
	// "Shopping", "Cash"): TrueLayer's classification, else its
	// transaction_category (ledger.CategoryName).
	BankCategory string `json:"bankCategory"`
	// TransactionCategory is TrueLayer's transaction_category ("PURCHASE").
	TransactionCategory string   `json:"transactionCategory"`
	Classification      []string `json:"classification"`
	// Transfer says the row moves money between the person's own accounts
	// (or pays off a card): neither income nor spending in any total.
	Transfer       bool   `json:"transfer,omitempty"`
	Amount         string `json:"amount"`
	Currency       string `json:"currency"`
	Type           string `json:"type"`
	Status         string `json:"status"`
	RunningBalance string `json:"runningBalance,omitempty"`
	// What the person added (UserFields), never the bank's and never
	// changed by a sync: empty, [] and false when they added nothing.
	Note   string   `json:"note"`
	Tags   []string `json:"tags"`
	Payee  string   `json:"payee"`
	Hidden bool     `json:"hidden"` // left out of the list, still counted and exported
	// TransferWith is the ID of the transaction the person linked this one
	// to, the other half of a transfer, in TransferWithAccountID; null when
	// none.
	TransferWith          *string `json:"transferWith"`
	TransferWithAccountID string  `json:"transferWithAccountId,omitempty"`
}

// UserFields are what the person adds to a transaction, whole: what
// App.SetUserFields takes (an empty field clears it) and the detail panel
// edits.
type UserFields struct {
	Category string   `json:"category"` // their own category name; "" keeps the bank's
	Note     string   `json:"note"`
	Tags     []string `json:"tags"`
	Payee    string   `json:"payee"` // the name to show for the other party
	Hidden   bool     `json:"hidden"`
	// TransferWith links the transaction to the other half of a transfer
	// (both halves at once); null unlinks both.
	TransferWith *TxRef `json:"transferWith"`
	// NotTransfer says it is no transfer, whatever the bank's category:
	// it counts as income or spending (a link wins over it).
	NotTransfer bool `json:"notTransfer"`
}

// TxRef names a transaction: TxRow's AccountID and ID.
type TxRef struct {
	AccountID string `json:"accountId"`
	ID        string `json:"id"`
}

// TxTotals sums the whole selection, not just the page, in one currency,
// by the rule Spending follows too: booked rows only, income, spending and
// transfers apart. Pending rows are summed apart, not in the totals.
type TxTotals struct {
	Currency     string `json:"currency"`
	In           string `json:"in"`           // income: zero or more
	Out          string `json:"out"`          // spending: zero or less
	Transfers    string `json:"transfers"`    // TransfersIn + TransfersOut
	TransfersIn  string `json:"transfersIn"`  // zero or more
	TransfersOut string `json:"transfersOut"` // zero or less
	Count        int    `json:"count"`        // booked rows totalled
	Pending      string `json:"pending"`      // the pending rows' sum
	PendingCount int    `json:"pendingCount"`
}

// TxPage is one page of the selection and its totals.
type TxPage struct {
	Rows   []TxRow    `json:"rows"`
	Total  int        `json:"total"`
	Totals []TxTotals `json:"totals"`
	// From and To are the days the filter selected (YYYY-MM-DD; "" open).
	From string `json:"from"`
	To   string `json:"to"`
	// Months counts the selection's rows per booking month, in the list's
	// order (newest first): the list lays out its month separators by them.
	Months []TxMonth `json:"months"`
	// Hidden counts the rows of the selection the person hid: left out of
	// Rows, Total and Months, still in Totals.
	Hidden int `json:"hidden"`
	// SearchProblem says what is wrong with a search that does not parse
	// ("amount: "abc" is not a number"), for the search field; the rows
	// are then those holding the search as written. "" when it parses.
	SearchProblem string `json:"searchProblem"`
}

// TxMonth is how many rows of a selection fall in one of the bank's months.
type TxMonth struct {
	Month string `json:"month"` // YYYY-MM
	Count int    `json:"count"`
}

// TxDetail is one transaction with every field the bank sent for it, for
// the row's detail panel. Amounts are exact decimal strings.
type TxDetail struct {
	TxRow
	ProviderID string `json:"providerId"` // the bank (TrueLayer provider id)
	// The bank's ids: NormalisedProviderTransactionID is TrueLayer's stable
	// one, ProviderTransactionID the bank's own, TransactionID the
	// per-request one last seen (it changes between reads).
	NormalisedProviderTransactionID string            `json:"normalisedProviderTransactionId,omitempty"`
	ProviderTransactionID           string            `json:"providerTransactionId,omitempty"`
	TransactionID                   string            `json:"transactionId,omitempty"`
	Meta                            map[string]string `json:"meta"` // the bank's meta fields, as text
}

// Month is money in and out in one of the bank's months, one currency.
type Month struct {
	Month    string `json:"month"` // YYYY-MM
	Currency string `json:"currency"`
	In       string `json:"in"`
	Out      string `json:"out"` // positive: money spent
	// Partial says the figures cover part of the month only: the current
	// month (not over yet), or one the period starts or ends inside.
	Partial bool `json:"partial"`
}

// Category is money out in one spending category, one currency.
type Category struct {
	Name     string `json:"name"`
	Currency string `json:"currency"`
	Out      string `json:"out"` // positive
	Count    int    `json:"count"`
}

// Spending is what the charts show for a filter: every month of its
// period (empty ones too) and the categories spent on in that period.
// Booked rows only, transfers left out, so the months add up to the
// categories and to the Transactions totals of the same filter.
type Spending struct {
	From       string     `json:"from"`  // the period's first day, YYYY-MM-DD ("" when nothing matched)
	To         string     `json:"to"`    // its last day
	Today      string     `json:"today"` // the bank's day now
	Months     []Month    `json:"months"`
	Categories []Category `json:"categories"`
	Totals     []Total    `json:"totals"` // the period's in and out per currency: the months' sums
}

// Total is money in and out over a period, in one currency.
type Total struct {
	Currency string `json:"currency"`
	In       string `json:"in"`
	Out      string `json:"out"` // positive: money spent
}

// NetPosition is what the person has less what they owe, in one currency
// (never converted): the Overview's headline.
type NetPosition struct {
	Currency string `json:"currency"`
	Net      string `json:"net"`    // Assets + Debts
	Assets   string `json:"assets"` // balances held: zero or more
	Debts    string `json:"debts"`  // what is owed (cards, overdrafts): zero or less
	Accounts int    `json:"accounts"`
}

// ExportRequest is what the export dialog asks for. Dates are YYYY-MM-DD.
type ExportRequest struct {
	Format         string   `json:"format"` // csv or ofx
	AccountIDs     []string `json:"accountIds"`
	From           string   `json:"from"`
	To             string   `json:"to"`
	IncludePending bool     `json:"includePending"`
	Semicolon      bool     `json:"semicolon"`
	Excel          bool     `json:"excel"` // BOM for Excel
	Raw            bool     `json:"raw"`   // no spreadsheet safety
	// FlattenNewlines writes line breaks in cells as spaces: one line per row.
	FlattenNewlines bool `json:"flattenNewlines"`
	// Category and Search are the list's filters (TxFilter's): the export
	// writes what the list shows.
	Category string `json:"category"`
	Search   string `json:"search"`
}

// ExportDone says where the file went; Path is "" when the user cancelled.
type ExportDone struct {
	Path string `json:"path"`
	Rows int    `json:"rows"`
}

// BackupDone is a backup written (Settings' "Back up…"): where, and what
// it holds. An empty Path means the save dialog was cancelled.
type BackupDone struct {
	Path         string `json:"path"`
	Connections  int    `json:"connections"`
	Accounts     int    `json:"accounts"`
	Transactions int    `json:"transactions"`
}

// StandingOrderView is a payment the account holder scheduled at the bank:
// exact decimal strings, days as YYYY-MM-DD ("" when the bank sent none).
type StandingOrderView struct {
	Payee     string `json:"payee"`
	Reference string `json:"reference,omitempty"`
	// Frequency is in words ("every month on the 1st"); "" when the bank's
	// code is one Bankdesk does not know.
	Frequency  string `json:"frequency"`
	Status     string `json:"status,omitempty"` // Active, Inactive
	NextDate   string `json:"nextDate,omitempty"`
	NextAmount string `json:"nextAmount,omitempty"`
	// FinalDate is the last payment's day; "" for an order that runs until
	// cancelled.
	FinalDate string `json:"finalDate,omitempty"`
	Currency  string `json:"currency"`
}

// DirectDebitView is a mandate that lets a merchant collect from the
// account, with its last collection when the bank says.
type DirectDebitView struct {
	Name       string `json:"name"`
	Status     string `json:"status,omitempty"` // Active, Inactive
	LastDate   string `json:"lastDate,omitempty"`
	LastAmount string `json:"lastAmount,omitempty"`
	Currency   string `json:"currency"`
}

// RegularPayments is one account's standing orders (by next payment day)
// and direct debits (by name), as last synced.
type RegularPayments struct {
	AccountID      string              `json:"accountId"`
	AccountName    string              `json:"accountName"`
	Currency       string              `json:"currency"`
	StandingOrders []StandingOrderView `json:"standingOrders"`
	DirectDebits   []DirectDebitView   `json:"directDebits"`
	// UpdatedAt is when the account last synced fully (RFC 3339), "" if never.
	UpdatedAt string `json:"updatedAt,omitempty"`
}
