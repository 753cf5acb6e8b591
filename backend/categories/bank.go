package categories

// TransferCategory is TrueLayer's transaction_category of a transfer,
// "Transfer of money between accounts" (the TransactionCategory enum of
// the Data API spec, backend/internal/openapi/data-api-v1.json):
// ledger.FlowOf's transfers.
const TransferCategory = "TRANSFER"

// TransfersName is the category name of every transfer.
const TransfersName = "Transfers"

// Uncategorised names a transaction the bank gave no category.
const Uncategorised = "Uncategorised"

// bankNames are TrueLayer's transaction_category values in words (as the
// spec's TransactionCategory describes them), for transactions without a
// transaction_classification.
var bankNames = map[string]string{
	"ATM":            "Cash",
	"BILL_PAYMENT":   "Bills",
	"CASH":           "Cash",
	"CASHBACK":       "Cashback",
	"CHEQUE":         "Cheques",
	"CORRECTION":     "Corrections",
	"CREDIT":         "Other income",
	"DEBIT":          "Other payments",
	"DIRECT_DEBIT":   "Direct debits",
	"DIVIDEND":       "Dividends",
	"FEE_CHARGE":     "Fees and charges",
	"INTEREST":       "Interest",
	"OTHER":          "Other",
	"PURCHASE":       "Purchases",
	"STANDING_ORDER": "Standing orders",
	TransferCategory: TransfersName,
	"UNKNOWN":        Uncategorised,
}

// BankName is the bank's category of a transaction in words, from its
// transaction_category and transaction_classification: "Transfers" for
// every transfer (so the filter finds exactly the transfers the totals
// show apart), else the classification when it has one ("Shopping"), else
// the transaction_category in words ("Cash" for ATM).
func BankName(category string, classification []string) string {
	if category == TransferCategory {
		return TransfersName
	}
	if len(classification) > 0 && classification[0] != "" {
		return classification[0]
	}
	if name, ok := bankNames[category]; ok {
		return name
	}
	if category != "" {
		return category
	}
	return Uncategorised
}
