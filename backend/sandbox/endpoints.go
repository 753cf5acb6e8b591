package sandbox

import (
	"net/http"
	"time"
)

type providerRef struct {
	DisplayName string `json:"display_name,omitempty"`
	LogoURI     string `json:"logo_uri,omitempty"`
	ProviderID  string `json:"provider_id"`
}

type meJSON struct {
	ClientID               string      `json:"client_id"`
	CredentialsID          string      `json:"credentials_id"`
	ConsentStatus          string      `json:"consent_status"`
	ConsentStatusUpdatedAt string      `json:"consent_status_updated_at"`
	ConsentCreatedAt       string      `json:"consent_created_at"`
	ConsentExpiresAt       string      `json:"consent_expires_at"`
	Provider               providerRef `json:"provider"`
	Scopes                 []string    `json:"scopes"`
	PrivacyPolicy          string      `json:"privacy_policy"`
}

func (s *Server) getMe(c *call) *apiResult {
	p, _ := providerByID(c.cred.ProviderID)
	return okResult([]meJSON{{
		ClientID:               c.cred.ClientID,
		CredentialsID:          c.cred.ID,
		ConsentStatus:          "Authorised",
		ConsentStatusUpdatedAt: isoMillis(c.cred.ConsentCreated),
		ConsentCreatedAt:       isoMillis(c.cred.ConsentCreated),
		ConsentExpiresAt:       isoMillis(c.cred.ConsentExpires),
		Provider:               providerRef{DisplayName: p.DisplayName, LogoURI: s.logoURL(p.ID), ProviderID: p.ID},
		Scopes:                 c.cred.Scopes,
		PrivacyPolicy:          privacyPolicy,
	}})
}

type infoJSON struct {
	FullName        string   `json:"full_name"`
	Emails          []string `json:"emails"`
	Phones          []string `json:"phones"`
	UpdateTimestamp string   `json:"update_timestamp"`
}

func (s *Server) getInfo(c *call) *apiResult {
	return okResult([]infoJSON{{
		FullName:        "John Doe",
		Emails:          []string{"john@doe.com"},
		Phones:          []string{"+447700900123"},
		UpdateTimestamp: isoMillis(c.now),
	}})
}

type accountNumber struct {
	IBAN     string `json:"iban"`
	Number   string `json:"number"`
	SortCode string `json:"sort_code"`
	SwiftBIC string `json:"swift_bic"`
}

type accountJSON struct {
	UpdateTimestamp string        `json:"update_timestamp"`
	AccountID       string        `json:"account_id"`
	AccountType     string        `json:"account_type"`
	DisplayName     string        `json:"display_name"`
	Currency        string        `json:"currency"`
	AccountNumber   accountNumber `json:"account_number"`
	Provider        providerRef   `json:"provider"`
}

func accountType(a *account) string {
	if a.Kind == kindSavings {
		return "SAVINGS"
	}
	return "TRANSACTION"
}

func accountName(a *account) string {
	switch a.Kind {
	case kindSavings:
		return "Club Instant Saver"
	case kindCard:
		return "Platinum Rewards Credit Card"
	}
	return "Club Classic Current Account"
}

func (s *Server) accountJSON(c *call, u *userData, a *account) accountJSON {
	iban := a.IBAN
	if c.cred.User.IBANSalt != "" {
		iban = variantIBAN(a, u.name, c.cred.User.IBANSalt)
	}
	return accountJSON{
		UpdateTimestamp: isoMicros(c.now), AccountID: c.cred.accountID(a), AccountType: accountType(a),
		DisplayName: accountName(a), Currency: "GBP",
		AccountNumber: accountNumber{IBAN: iban, Number: a.Number, SortCode: a.SortCode, SwiftBIC: "SNDBGB2L"},
		Provider:      providerRef{ProviderID: c.cred.ProviderID},
	}
}

// books returns the connection's user data generated through today.
func (s *Server) books(c *call) *userData { return s.bank.user(c.cred.User.Username, c.today()) }

// lookup finds an account (cards=false) or card (cards=true) of the connection.
func (s *Server) lookup(c *call, cards bool) (*userData, *account, *apiResult) {
	u := s.books(c)
	id := c.r.PathValue("id")
	if u != nil {
		for _, a := range []*account{u.cur, u.sav, u.card} {
			if c.cred.accountID(a) == id && (a.Kind == kindCard) == cards {
				return u, a, nil
			}
		}
	}
	return nil, nil, errResult(http.StatusNotFound, "account_not_found", "account not found")
}

func (s *Server) getAccounts(c *call) *apiResult {
	out := []accountJSON{}
	if u := s.books(c); u != nil {
		out = append(out, s.accountJSON(c, u, u.cur), s.accountJSON(c, u, u.sav))
	}
	return okResult(out)
}

func (s *Server) getAccount(c *call) *apiResult {
	u, a, res := s.lookup(c, false)
	if res != nil {
		return res
	}
	return okResult([]accountJSON{s.accountJSON(c, u, a)})
}

type cardJSON struct {
	AccountID         string      `json:"account_id"`
	CardNetwork       string      `json:"card_network"`
	CardType          string      `json:"card_type"`
	Currency          string      `json:"currency"`
	DisplayName       string      `json:"display_name"`
	PartialCardNumber string      `json:"partial_card_number"`
	NameOnCard        string      `json:"name_on_card"`
	ValidFrom         string      `json:"valid_from"`
	ValidTo           string      `json:"valid_to"`
	UpdateTimestamp   string      `json:"update_timestamp"`
	Provider          providerRef `json:"provider"`
}

func (s *Server) cardJSON(c *call, u *userData) cardJSON {
	from := s.bank.start.civil().AddDate(4, 0, 0)
	return cardJSON{
		AccountID: c.cred.accountID(u.card), CardNetwork: "VISA", CardType: "CREDIT", Currency: "GBP",
		DisplayName: accountName(u.card), PartialCardNumber: u.cardLast4, NameOnCard: "MR JOHN DOE",
		ValidFrom: from.Format("2006-01"), ValidTo: from.AddDate(5, 0, 0).Format("2006-01"),
		UpdateTimestamp: isoMicros(c.now), Provider: providerRef{ProviderID: c.cred.ProviderID},
	}
}

func (s *Server) getCards(c *call) *apiResult {
	out := []cardJSON{}
	if u := s.books(c); u != nil {
		out = append(out, s.cardJSON(c, u))
	}
	return okResult(out)
}

func (s *Server) getCard(c *call) *apiResult {
	u, _, res := s.lookup(c, true)
	if res != nil {
		return res
	}
	return okResult([]cardJSON{s.cardJSON(c, u)})
}

// balances is the ground-truth balance of one account or card, in pence.
type balances struct {
	Current, Available, Overdraft, CreditLimit int64
	StatementBalance, PaymentDue               int64
	StatementDay, PaymentDueDay                day
}

// balanceOf computes balances as of now: available = current + overdraft - pending
// debits for accounts, credit limit - owed - pending purchases for cards.
func (s *Server) balanceOf(u *userData, a *account, now time.Time) balances {
	u.mu.Lock()
	defer u.mu.Unlock()
	v := a.viewAt(dayOf(now), s.bank.start)
	var pendOut int64
	for _, i := range a.pendingAt(now, s.bank.start) {
		amt := a.txs[i].Amount
		if a.Kind == kindCard && amt > 0 {
			pendOut += amt
		} else if a.Kind != kindCard && amt < 0 {
			pendOut -= amt
		}
	}
	b := balances{Current: v.balance}
	switch a.Kind {
	case kindCurrent:
		b.Overdraft = u.overdraft
		b.Available = v.balance + u.overdraft - pendOut
	case kindSavings:
		b.Available = v.balance - pendOut
	case kindCard:
		b.CreditLimit = u.creditLimit
		b.Available = u.creditLimit - v.balance - pendOut
		if u.stmtDay != 0 {
			b.StatementBalance, b.StatementDay = u.stmtBal, u.stmtDay
			y, m, _ := u.stmtDay.civil().Date()
			b.PaymentDueDay = dayFromDate(y, m+1, 20)
			if !u.stmtPaid {
				b.PaymentDue = u.stmtBal
			}
		}
	}
	return b
}

type accountBalanceJSON struct {
	Currency        string       `json:"currency"`
	Available       minorNumber  `json:"available"`
	Current         minorNumber  `json:"current"`
	Overdraft       *minorNumber `json:"overdraft,omitempty"`
	UpdateTimestamp string       `json:"update_timestamp"`
}

// balance answers /accounts/{id}/balance or, for card, /cards/{id}/balance.
func (s *Server) balance(card bool) func(*call) *apiResult {
	return func(c *call) *apiResult {
		u, a, res := s.lookup(c, card)
		if res != nil {
			return res
		}
		b := s.balanceOf(u, a, c.now)
		if card {
			return okResult([]cardBalanceJSON{cardBalance(b, c.now)})
		}
		return okResult([]accountBalanceJSON{accountBalance(a, b, c.now)})
	}
}

func accountBalance(a *account, b balances, now time.Time) accountBalanceJSON {
	out := accountBalanceJSON{Currency: "GBP", Available: minorNumber(b.Available), Current: minorNumber(b.Current), UpdateTimestamp: isoMicros(now)}
	if a.Kind == kindCurrent {
		od := minorNumber(b.Overdraft)
		out.Overdraft = &od
	}
	return out
}

// cardBalanceJSON: available is a number although the spec says string (docs/truelayer.md §11).
type cardBalanceJSON struct {
	Available            minorNumber `json:"available"`
	Currency             string      `json:"currency"`
	Current              minorNumber `json:"current"`
	CreditLimit          minorNumber `json:"credit_limit"`
	LastStatementBalance minorNumber `json:"last_statement_balance"`
	LastStatementDate    string      `json:"last_statement_date,omitempty"`
	PaymentDue           minorNumber `json:"payment_due"`
	PaymentDueDate       string      `json:"payment_due_date,omitempty"`
	UpdateTimestamp      string      `json:"update_timestamp"`
}

func cardBalance(b balances, now time.Time) cardBalanceJSON {
	out := cardBalanceJSON{
		Available: minorNumber(b.Available), Currency: "GBP", Current: minorNumber(b.Current),
		CreditLimit: minorNumber(b.CreditLimit), LastStatementBalance: minorNumber(b.StatementBalance),
		PaymentDue: minorNumber(b.PaymentDue), UpdateTimestamp: isoMicros(now),
	}
	if b.StatementDay != 0 {
		out.LastStatementDate = string(appendDate(nil, b.StatementDay))
		out.PaymentDueDate = string(appendDate(nil, b.PaymentDueDay))
	}
	return out
}

// standingOrderJSON: the amounts are numbers although the spec says string (docs/truelayer.md §11).
type standingOrderJSON struct {
	Frequency          string            `json:"frequency"`
	Status             string            `json:"status"`
	Timestamp          string            `json:"timestamp"`
	Currency           string            `json:"currency"`
	Meta               map[string]string `json:"meta"`
	NextPaymentDate    string            `json:"next_payment_date"`
	NextPaymentAmount  minorNumber       `json:"next_payment_amount"`
	FirstPaymentDate   string            `json:"first_payment_date"`
	FirstPaymentAmount minorNumber       `json:"first_payment_amount"`
	FinalPaymentDate   string            `json:"final_payment_date"`
	FinalPaymentAmount minorNumber       `json:"final_payment_amount"`
	Payee              string            `json:"payee"`
	Reference          string            `json:"reference"`
}

// midnight is the start of London's day d with its offset: +01:00 in summer.
func midnight(d day) string {
	_, off := d.midnight().Zone()
	return string(appendOffset(append(appendDate(nil, d), "T00:00:00"...), off, false))
}

// nextDOM is the first day after today that falls on day-of-month dom.
func nextDOM(today day, dom int) day {
	y, m, d := today.civil().Date()
	if d >= dom {
		m++
	}
	return dayFromDate(y, m, dom)
}

// currentAccount is lookup for what only a current account has (standing
// orders, direct debits): anything else answers 501, as banks do.
func (s *Server) currentAccount(c *call) (*userData, *account, *apiResult) {
	u, a, res := s.lookup(c, false)
	if res == nil && a.Kind != kindCurrent {
		res = errResult(http.StatusNotImplemented, "endpoint_not_supported", "Feature not supported by the provider")
	}
	return u, a, res
}

func (s *Server) getStandingOrders(c *call) *apiResult {
	u, a, res := s.currentAccount(c)
	if res != nil {
		return res
	}
	today := c.today()
	first := s.bank.start
	rent := func(d day) int64 { return roundTo(scale(u.rentBase, priceIndex(d.civil().Year())), 500) }
	meta := map[string]string{"provider_account_id": a.Number}
	mk := func(dom int, amount func(day) int64, payee, ref string) standingOrderJSON {
		next, firstDay := nextDOM(today, dom), nextDOM(first-1, dom)
		return standingOrderJSON{
			Frequency: "IntrvlMnthDay:01:" + string(appendPad(nil, dom, 2)), Status: "Active",
			Timestamp: isoMillis(c.now), Currency: "GBP", Meta: meta,
			NextPaymentDate: midnight(next), NextPaymentAmount: minorNumber(amount(next)),
			FirstPaymentDate: midnight(firstDay), FirstPaymentAmount: minorNumber(amount(firstDay)),
			FinalPaymentDate: "9999-12-31T00:00:00+00:00", FinalPaymentAmount: 0,
			Payee: payee, Reference: ref,
		}
	}
	return okResult([]standingOrderJSON{
		mk(1, rent, "J SMITH LETTINGS", "RENT 12 HIGH ST"),
		mk(15, func(day) int64 { return tplCharity.Lo }, "OXFAM", "MONTHLY GIFT"),
	})
}

type directDebitJSON struct {
	DirectDebitID            string            `json:"direct_debit_id"`
	Timestamp                string            `json:"timestamp"`
	Name                     string            `json:"name"`
	Status                   string            `json:"status"`
	PreviousPaymentTimestamp string            `json:"previous_payment_timestamp,omitempty"`
	PreviousPaymentAmount    *minorNumber      `json:"previous_payment_amount,omitempty"`
	Currency                 string            `json:"currency"`
	Meta                     map[string]string `json:"meta"`
}

func (s *Server) getDirectDebits(c *call) *apiResult {
	u, a, res := s.currentAccount(c)
	if res != nil {
		return res
	}
	today := c.today()
	out := []directDebitJSON{}
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, dd := range directDebits(today.civil().Year()) {
		item := directDebitJSON{
			// direct_debit_id may change between requests, like TrueLayer's.
			DirectDebitID: string(appendHex64(appendHex64(nil, mix64(c.nonce^seedOf(dd.mandID))), mix64(c.nonce+seedOf(dd.mandID)))),
			Timestamp:     isoMillis(c.now), Name: dd.t.Merchant, Status: "Active", Currency: "GBP",
			Meta: map[string]string{"provider_mandate_identification": dd.mandID, "provider_account_id": a.Number},
		}
		for i := len(a.txs) - 1; i >= 0; i-- {
			if t := &a.txs[i]; t.T == dd.t && t.Book <= today {
				amt := minorNumber(-t.Amount)
				item.PreviousPaymentTimestamp, item.PreviousPaymentAmount = midnight(t.Book), &amt
				break
			}
		}
		out = append(out, item)
	}
	return okResult(out)
}
