package view

// Rule is one of the person's rules (package rules): what it matches and
// what it sets. Amounts are exact decimal strings compared on the signed
// amount (money out negative); "" tests nothing.
type Rule struct {
	ID      string    `json:"id"` // "" for a new rule: SaveRules gives it one
	Name    string    `json:"name"`
	Enabled bool      `json:"enabled"`
	Match   RuleMatch `json:"match"`
	Set     RuleSet   `json:"set"`
}

// RuleMatch is what a rule tests: every field given must hold; text
// tests ignore case.
type RuleMatch struct {
	DescriptionContains string `json:"descriptionContains"`
	DescriptionEquals   string `json:"descriptionEquals"`
	DescriptionRegexp   string `json:"descriptionRegexp"`
	MerchantContains    string `json:"merchantContains"`
	MerchantEquals      string `json:"merchantEquals"`
	MerchantRegexp      string `json:"merchantRegexp"`
	AmountMin           string `json:"amountMin"`
	AmountMax           string `json:"amountMax"`
	Sign                string `json:"sign"`            // "in", "out" or ""
	Account             string `json:"account"`         // an account id
	TransactionType     string `json:"transactionType"` // DEBIT, CREDIT or ""
	DayOfMonth          []int  `json:"dayOfMonth"`      // any of these days (1..31)
	// BankCategory is the bank's category in words (TxRow.BankCategory).
	BankCategory string `json:"bankCategory"`
}

// RuleSet is what a rule sets; empty fields it leaves alone.
type RuleSet struct {
	Category string   `json:"category"`
	Payee    string   `json:"payee"`
	Hidden   *bool    `json:"hidden"` // null leaves it alone
	Tags     []string `json:"tags"`
}

// RulePreview is what saving a rule would change in the past: each
// transaction whose shown fields change, with each field before and
// after. What is hand-set stays: a rule never changes it.
type RulePreview struct {
	Changes []RuleChange `json:"changes"`
	Count   int          `json:"count"` // len(Changes)
}

// RuleChange is one transaction a rule changes: the row as it would list
// afterwards, and its fields that change.
type RuleChange struct {
	Row    TxRow         `json:"row"`
	Fields []FieldChange `json:"fields"`
}

// FieldChange is one field before and after: "category", "tags" (joined
// with ", "), "payee" or "hidden" ("true"/"false").
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// CategoryNode is one of the person's categories: a top-level one with
// its children (one level), each named in full ("Home › Energy") in Name
// and by its own part in Label.
type CategoryNode struct {
	Name     string         `json:"name"`
	Label    string         `json:"label"`
	Children []CategoryNode `json:"children"`
}

// CategoryChange is what a category operation changed beyond the list.
type CategoryChange struct {
	Categories   []CategoryNode `json:"categories"`   // the list afterwards
	Transactions int            `json:"transactions"` // hand-set categories moved
	Rules        int            `json:"rules"`        // rules whose category moved
	RulesRemoved int            `json:"rulesRemoved"` // rules left setting nothing
}
