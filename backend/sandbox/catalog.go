package sandbox

// txTemplate is the static part of a transaction: what the bank prints and how
// TrueLayer classifies it. Amounts are pence at the 2020 price level (see priceIndex).
type txTemplate struct {
	Desc     string
	Merchant string
	Category string // TrueLayer transaction_category enum
	Class    []string
	ProvCat  string // meta.provider_transaction_category, bank style
	Location string // card meta.location
	Lo, Hi   int64

	// Pre-encoded JSON fragments so a six-year response is mostly memcpy.
	descJSON, merchantJSON, classJSON []byte
}

func tpl(desc, merchant, category, provCat string, lo, hi int64, class ...string) *txTemplate {
	t := &txTemplate{Desc: desc, Merchant: merchant, Category: category, Class: class, ProvCat: provCat, Lo: lo, Hi: hi}
	if class == nil {
		t.Class = []string{}
	}
	t.encode()
	return t
}

func (t *txTemplate) encode() {
	t.descJSON = appendJSONString(nil, t.Desc)
	if t.Merchant != "" {
		t.merchantJSON = appendJSONString(nil, t.Merchant)
	}
	b := []byte{'['}
	for i, c := range t.Class {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c)
	}
	t.classJSON = append(b, ']')
}

func cardTpl(desc, merchant, location string, lo, hi int64, class ...string) *txTemplate {
	t := tpl(desc, merchant, "PURCHASE", "PUR", lo, hi, class...)
	t.Location = location
	return t
}

// Current account.
var (
	tplSalaries = []*txTemplate{
		tpl("HARGREAVE & COLE SALARY", "", "CREDIT", "BGC", 0, 0, "Income", "Salary"),
		tpl("BRIGHTWATER LTD SALARY", "", "CREDIT", "BGC", 0, 0, "Income", "Salary"),
		tpl("ORCHARD SYSTEMS PAYROLL", "", "CREDIT", "BGC", 0, 0, "Income", "Salary"),
	}
	tplRent    = tpl("J SMITH LETTINGS RENT", "J Smith Lettings", "STANDING_ORDER", "SO", 0, 0, "Home", "Rent")
	tplCharity = tpl("OXFAM MONTHLY GIFT", "Oxfam", "STANDING_ORDER", "SO", 1000, 1000, "Gifts & Donations", "Charity")

	tplWater     = tpl("THAMES WATER", "Thames Water", "DIRECT_DEBIT", "DD", 3400, 3400, "Bills and Utilities", "Water")
	tplEE        = tpl("EE LIMITED", "EE", "DIRECT_DEBIT", "DD", 2500, 2500, "Bills and Utilities", "Mobile Phone")
	tplNetflix   = tpl("NETFLIX.COM", "Netflix", "DIRECT_DEBIT", "DD", 0, 0, "Entertainment", "TV & Streaming")
	tplOctopus   = tpl("OCTOPUS ENERGY", "Octopus Energy", "DIRECT_DEBIT", "DD", 7800, 7800, "Bills and Utilities", "Gas & Electric")
	tplBritGas   = tpl("BRITISH GAS", "British Gas", "DIRECT_DEBIT", "DD", 7800, 7800, "Bills and Utilities", "Gas & Electric")
	tplHyperopt  = tpl("HYPEROPTIC LTD", "Hyperoptic", "DIRECT_DEBIT", "DD", 3000, 3000, "Bills and Utilities", "Internet")
	tplBTBroadbd = tpl("BT GROUP PLC", "BT", "DIRECT_DEBIT", "DD", 3000, 3000, "Bills and Utilities", "Internet")

	tplGroceries = []*txTemplate{
		tpl("TESCO STORES 2931", "Tesco", "PURCHASE", "DEB", 800, 9500, "Shopping", "Groceries"),
		tpl("TESCO EXPRESS 4410", "Tesco", "PURCHASE", "DEB", 300, 2500, "Shopping", "Groceries"),
		tpl("SAINSBURY'S S/MKT", "Sainsbury's", "PURCHASE", "DEB", 1200, 9000, "Shopping", "Groceries"),
		tpl("SAINSBURYS LOCAL 0641", "Sainsbury's", "PURCHASE", "DEB", 300, 2200, "Shopping", "Groceries"),
	}
	tplPret     = tpl("PRET A MANGER LONDON", "Pret A Manger", "PURCHASE", "DEB", 250, 495, "Food & Dining", "Coffee shops")
	tplTfL      = tpl("TFL TRAVEL CH", "Transport for London", "PURCHASE", "DEB", 280, 810, "Transport", "Public transport")
	tplAmazon   = []*txTemplate{tpl("AMZNMKTPLACE AMAZON.CO.UK", "Amazon", "PURCHASE", "DEB", 500, 8000, "Shopping", "General"), tpl("AMAZON.CO.UK*2K4LT0", "Amazon", "PURCHASE", "DEB", 700, 4500, "Shopping", "General")}
	tplLunch    = []*txTemplate{tpl("LEON RESTAURANTS", "Leon", "PURCHASE", "DEB", 650, 1150, "Food & Dining", "Fast Food"), tpl("ITSU LIMITED", "itsu", "PURCHASE", "DEB", 550, 1250, "Food & Dining", "Fast Food"), tpl("GREGGS PLC", "Greggs", "PURCHASE", "DEB", 180, 650, "Food & Dining", "Fast Food")}
	tplCorner   = tpl("MARKET NEWS & WINE", "", "PURCHASE", "DEB", 150, 1400, "Shopping", "General")
	tplATM      = tpl("LINK ATM HIGH ST", "", "ATM", "CPT", 0, 0, "Cash", "ATM")
	tplHolidays = []*txTemplate{tpl("TUI HOLIDAYS", "TUI", "PURCHASE", "DEB", 240000, 300000, "Travel", "Vacation"), tpl("BRITISH AIRWAYS", "British Airways", "PURCHASE", "DEB", 240000, 300000, "Travel", "Air Travel")}

	// awkward descriptions, one per month each on a fixed day, for exporter tests:
	// comma, double quotes, emoji, non-ASCII, and leading = + - @ (CSV injection).
	tplAwkward = map[int]*txTemplate{
		3:  tpl("SMITH, JONES & CO", "Smith, Jones & Co", "PURCHASE", "DEB", 1500, 4500, "Shopping", "General"),
		7:  tpl(`"THE ANCHOR" PUB`, `"The Anchor"`, "PURCHASE", "DEB", 800, 3800, "Food & Dining", "Bars"),
		9:  tpl("DELIVEROO 🍕 ORDER", "Deliveroo", "PURCHASE", "DEB", 1200, 3200, "Food & Dining", "Takeaway"),
		11: tpl("CAFÉ CRÈME, LONDON", "Café Crème", "PURCHASE", "DEB", 320, 1250, "Food & Dining", "Coffee shops"),
		14: tpl("=SUM(A1:A2) REFUND", "", "CREDIT", "DEB", 500, 2500, "Shopping", "General"),
		19: tpl("+44 MOBILE TOPUP", "", "PURCHASE", "DEB", 1000, 2000, "Bills and Utilities", "Mobile Phone"),
		23: tpl("-20% OFF OUTLET", "Outlet", "PURCHASE", "DEB", 900, 5600, "Shopping", "Clothing"),
		27: tpl("@HOME FURNISHINGS", "@Home", "PURCHASE", "DEB", 1500, 12000, "Shopping", "Home"),
	}
)

// Card.
var (
	tplCardBuys = []*txTemplate{
		cardTpl("DELIVEROO", "Deliveroo", "INTERNET", 1200, 3800, "Food & Dining", "Takeaway"),
		cardTpl("SHELL 1234 LONDON", "Shell", "LONDON GB", 3000, 7500, "Auto & Transport", "Gas & Fuel"),
		cardTpl("TRAINLINE.COM", "Trainline", "INTERNET", 900, 12000, "Travel", "Rail"),
		cardTpl("JOHN LEWIS 0412", "John Lewis", "LONDON GB", 1500, 15000, "Shopping", "Home"),
		cardTpl("ASOS.COM", "ASOS", "INTERNET", 1800, 9000, "Shopping", "Clothing"),
		cardTpl("UBER *TRIP", "Uber", "INTERNET", 700, 3200, "Transport", "Taxi"),
		cardTpl("WAGAMAMA 0231", "Wagamama", "LONDON GB", 1500, 5500, "Food & Dining", "Restaurants"),
		cardTpl("BOOTS 1120", "Boots", "LONDON GB", 300, 3500, "Health & Fitness", "Pharmacy"),
		cardTpl("ODEON CINEMAS", "Odeon", "INTERNET", 900, 3200, "Entertainment", "Movies & DVDs"),
		cardTpl("STEAM PURCHASE", "Steam", "INTERNET", 299, 5999, "Entertainment", "Games"),
		cardTpl("SAINSBURYS SMRKT STORE 128", "Sainsbury's", "LONDON GB", 1200, 8500, "Shopping", "Groceries"),
	}
	tplCardPaid = tpl("PAYMENT RECEIVED - THANK YOU", "", "TRANSFER", "PAYMENT", 0, 0)
)

// Savings.
var tplInterest = tpl("INTEREST (GROSS)", "", "INTEREST", "INT", 0, 0, "Income", "Interest")

// netflixPrice is the UK standard plan over time, in pence (0 before launch).
func netflixPrice(year int) int64 {
	return byYear(year, 1299, []yearStep{{2012, 0}, {2014, 599}, {2017, 749}, {2020, 899}, {2022, 999}, {2024, 1099}})
}

// savingsBps is the savings rate in basis points over time.
func savingsBps(year int) int64 {
	return byYear(year, 350, []yearStep{{2008, 450}, {2009, 300}, {2017, 50}, {2022, 25}, {2023, 150}, {2025, 400}})
}

// yearStep is a value that holds in the years before Before.
type yearStep struct {
	Before int
	Value  int64
}

// byYear is the value of the first step whose years include year, or
// later once they are all past; steps go in order of Before.
func byYear(year int, later int64, steps []yearStep) int64 {
	for _, st := range steps {
		if year < st.Before {
			return st.Value
		}
	}
	return later
}

// priceIndex scales 2020 prices to other years (100 in 2020, ~2% a year).
func priceIndex(year int) int64 {
	i := int64(60 + 2*(year-2000))
	return max(30, min(i, 250))
}
