package sandbox

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"
)

// The bank's books are generated day by day from a fixed epoch, so every amount and
// running balance is a pure function of (username, account, date): two sandboxes
// agree, and restarting one does not rewrite history. Only the last six years (from
// the sandbox's start) are visible; earlier days just produce the opening balances.

type acctKind uint8

const (
	kindCurrent acctKind = iota
	kindSavings
	kindCard
)

const (
	maxLag       = 3 // card purchases book 1..3 days after they happen
	historyYears = 6
)

// tx is one transaction. Book is the posting day (booked timestamp); before it the
// transaction is pending, dated Date at Secs seconds into the day.
type tx struct {
	Date, Book day
	Secs       int32
	Seq        int32
	Amount     int64 // pence, sign as sent
	Credit     bool
	NoNorm     bool // only provider_transaction_id (exercises dedupe fallbacks)
	T          *txTemplate
	Hash       uint64
}

type account struct {
	ID       string
	Kind     acctKind
	Number   string
	SortCode string
	IBAN     string

	txs     []tx  // stored transactions in generation order (Date, Seq)
	opening int64 // balance at the epoch plus every transaction too old to store

	bal    int64             // booked balance so far during generation
	ring   [maxLag + 1]int64 // amounts booking on the next days, by day mod ring size
	seq    int32             // generation sequence, the tie-break in posting order
	daySeq uint64            // transactions generated so far today (for stable hashes)
	view   *acctView         // cached booked view for view.today
	seed   uint64            // per-account hash seed for transaction ids

	twins  []int32 // reused_ids: whose ids each transaction reuses (see twinsLocked)
	reused []bool  // reused_ids: whether another transaction reuses this one's ids
}

// acctView is the booked ledger as of one day: indices into txs in posting order and
// the running balance after each.
type acctView struct {
	today   day
	booked  []int32
	running []int64
	balance int64
}

type userData struct {
	mu   sync.Mutex
	name string
	seed uint64

	cur, sav, card *account
	genThrough     day

	salaryBase, rentBase, buffer, overdraft, creditLimit int64
	employer                                             *txTemplate
	toSavings, fromSavings, savIn, savOut, cardPay       *txTemplate
	cardLast4                                            string

	stmtBal  int64
	stmtDay  day
	stmtPaid bool
}

// bank holds every user's books for one sandbox.
type bank struct {
	mu        sync.Mutex
	start     day // first visible day: first of the month six years before the sandbox started
	epoch     day // generation starts here
	storeFrom day
	users     map[string]*userData
}

func newBank(now time.Time) *bank {
	y, m, _ := now.In(london).Date()
	start := dayFromDate(y-historyYears, m, 1)
	epoch := min(dayFromDate(2000, 1, 1), start)
	return &bank{start: start, epoch: epoch, storeFrom: start - maxLag, users: map[string]*userData{}}
}

// user returns the books for username generated through today, or nil for users
// without data (error users).
func (b *bank) user(username string, today day) *userData {
	if !dataUser(username) {
		return nil
	}
	b.mu.Lock()
	u := b.users[username]
	if u == nil {
		u = newUserData(username, b.epoch)
		b.users[username] = u
	}
	b.mu.Unlock()
	u.mu.Lock()
	for d := u.genThrough + 1; d <= today; d++ {
		u.genDay(d, b.storeFrom)
	}
	if today > u.genThrough {
		u.genThrough = today
	}
	u.mu.Unlock()
	return u
}

func newUserData(name string, epoch day) *userData {
	seed := seedOf("bankdesk-sandbox", name)
	r := newRNG(seed)
	u := &userData{
		name:        name,
		seed:        seed,
		genThrough:  epoch - 1,
		salaryBase:  r.between(3800, 4800) * 100,
		buffer:      r.between(30, 50) * 1000,
		overdraft:   r.between(1, 3) * 50000,
		creditLimit: r.between(6, 16) * 50000,
		employer:    tplSalaries[r.intn(len(tplSalaries))],
		cardLast4:   fmt.Sprintf("%04d", r.intn(10000)),
	}
	// Rent is a share of pay so every user's budget balances over the years.
	u.rentBase = roundTo(u.salaryBase*r.between(24, 34)/100, 500)
	u.cur = newAccount(u, kindCurrent, "current", 100000)
	u.sav = newAccount(u, kindSavings, "savings", 200000)
	u.card = newAccount(u, kindCard, "card", 0)
	u.toSavings = tpl("TO SAVINGS "+u.sav.Number, "", "TRANSFER", "TFR", 0, 0)
	u.fromSavings = tpl("FROM SAVINGS "+u.sav.Number, "", "TRANSFER", "TFR", 0, 0)
	u.savIn = tpl("FROM CURRENT ACCOUNT "+u.cur.Number, "", "TRANSFER", "TFR", 0, 0)
	u.savOut = tpl("TO CURRENT ACCOUNT "+u.cur.Number, "", "TRANSFER", "TFR", 0, 0)
	u.cardPay = tpl("PLATINUM VISA *"+u.cardLast4+" PAYMENT", "", "TRANSFER", "TFR", 0, 0)
	return u
}

func newAccount(u *userData, kind acctKind, label string, opening int64) *account {
	a := &account{
		ID:      stableHex(16, "account", u.name, label),
		Kind:    kind,
		seed:    seedOf("tx", u.name, label),
		bal:     opening,
		opening: opening,
	}
	if kind != kindCard {
		r := newRNG(seedOf("number", u.name, label))
		a.SortCode = fmt.Sprintf("%02d-%02d-%02d", 20+r.intn(70), r.intn(100), r.intn(100))
		a.Number = fmt.Sprintf("%08d", 10000000+r.intn(90000000))
		a.IBAN = ukIBAN(a.SortCode, a.Number)
	}
	return a
}

// ukIBAN builds a valid GB IBAN for the sandbox bank code SNDB.
func ukIBAN(sortCode, number string) string {
	bban := "SNDB" + strings.ReplaceAll(sortCode, "-", "") + number
	return "GB" + ibanCheck("GB", bban) + bban
}

// ibanCheck computes the two ISO 13616 check digits.
func ibanCheck(country, bban string) string {
	var digits strings.Builder
	for _, c := range bban + country + "00" {
		if c >= 'A' && c <= 'Z' {
			fmt.Fprintf(&digits, "%d", c-'A'+10)
		} else {
			digits.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	mod := new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%02d", 98-mod)
}

// variantIBAN is the john*/iban* behaviour: a different valid IBAN per account.
func variantIBAN(a *account, username, salt string) string {
	r := newRNG(seedOf("iban", username, salt, a.ID))
	number := fmt.Sprintf("%08d", 10000000+r.intn(90000000))
	sort := fmt.Sprintf("%02d%02d%02d", 20+r.intn(70), r.intn(100), r.intn(100))
	bban := "SNDB" + sort + number
	return "GB" + ibanCheck("GB", bban) + bban
}

func ringIdx(d day) int { return int(((int64(d) % (maxLag + 1)) + maxLag + 1) % (maxLag + 1)) }

func (a *account) beginDay(d day) {
	i := ringIdx(d)
	a.bal += a.ring[i]
	a.ring[i] = 0
	a.daySeq = 0
}

// post records a transaction of amount pence made on d that books lag days later.
// It returns the stored transaction, or nil when d is before the stored history.
func (a *account) post(d day, lag int, secs int32, amount int64, credit bool, t *txTemplate, storeFrom day) *tx {
	a.daySeq++
	h := mix64(a.seed ^ uint64(uint32(d))<<20 ^ a.daySeq)
	if lag == 0 {
		a.bal += amount
	} else {
		a.ring[ringIdx(d+day(lag))] += amount
	}
	if d < storeFrom {
		a.opening += amount
		return nil
	}
	a.seq++
	a.txs = append(a.txs, tx{Date: d, Book: d + day(lag), Secs: secs, Seq: a.seq, Amount: amount, Credit: credit, T: t, Hash: h})
	return &a.txs[len(a.txs)-1]
}

// payDay is the 25th, or the Friday before when it falls on a weekend.
func payDay(y int, m time.Month) day {
	d := dayFromDate(y, m, 25)
	switch d.civil().Weekday() {
	case time.Saturday:
		return d - 1
	case time.Sunday:
		return d - 2
	}
	return d
}

func scale(pence, idx int64) int64 { return pence * idx / 100 }

// purchaseLag: most card payments book the next day, some take two or three.
func purchaseLag(r *rng) int {
	switch n := r.intn(10); {
	case n < 6:
		return 1
	case n < 9:
		return 2
	}
	return 3
}

func purchaseSecs(r *rng) int32 { return int32(r.between(7*3600, 22*3600)) }

// genDay generates every account's transactions dated d. The order of events is fixed,
// so the result depends only on the user, the day and the balances so far.
func (u *userData) genDay(d day, storeFrom day) {
	cur, sav, card := u.cur, u.sav, u.card
	cur.beginDay(d)
	sav.beginDay(d)
	card.beginDay(d)
	t := d.civil()
	y, m, dom := t.Date()
	wd := t.Weekday()
	weekday := wd != time.Saturday && wd != time.Sunday
	idx := priceIndex(y)
	r := newRNG(mix64(u.seed ^ uint64(uint32(d))))

	// Card: repay last statement in full on the 20th, then the day's purchases, then
	// the statement on the 28th (purchases book later, so they miss it).
	if dom == 20 && !u.stmtPaid && u.stmtBal > 0 {
		card.post(d, 0, 0, -u.stmtBal, true, tplCardPaid, storeFrom)
		cur.post(d, 0, 0, -u.stmtBal, false, u.cardPay, storeFrom)
		u.stmtPaid = true
	}
	n := 0
	switch p := r.intn(100); {
	case p >= 80:
		n = 2
	case p >= 35:
		n = 1
	}
	for range n {
		tp := tplCardBuys[r.intn(len(tplCardBuys))]
		card.post(d, purchaseLag(&r), purchaseSecs(&r), scale(r.between(tp.Lo, tp.Hi), idx), false, tp, storeFrom)
	}
	if dom == 28 {
		u.stmtBal, u.stmtDay, u.stmtPaid = card.bal, d, card.bal <= 0
	}

	// Current account: fixed payments first.
	if dom == 1 {
		cur.post(d, 0, 0, -roundTo(scale(u.rentBase, idx), 500), false, tplRent, storeFrom)
	}
	if dom == 15 {
		cur.post(d, 0, 0, -tplCharity.Lo, false, tplCharity, storeFrom)
	}
	for _, dd := range directDebits(y) {
		if dom == dd.dom {
			cur.post(d, 0, 0, -dd.amount(y), false, dd.t, storeFrom)
		}
	}
	pd := payDay(y, m)
	if d == pd-1 {
		// Sweep what is left of last month's pay into savings.
		if amt := (cur.bal - u.buffer) / 1000 * 1000; amt >= 5000 {
			cur.post(d, 0, 0, -amt, false, u.toSavings, storeFrom)
			sav.post(d, 0, 0, amt, true, u.savIn, storeFrom)
		} else if cur.bal < 0 && sav.bal > 0 {
			// A lean month: top the current account back up from savings.
			amt := min(sav.bal, (u.buffer-cur.bal+999)/1000*1000)
			sav.post(d, 0, 0, -amt, false, u.savOut, storeFrom)
			cur.post(d, 0, 0, amt, true, u.fromSavings, storeFrom)
		}
	}
	if d == pd {
		pay := roundTo(scale(u.salaryBase, idx), 100)
		if m == time.March && r.chance(50) {
			pay += roundTo(pay*r.between(10, 30)/100, 100)
		}
		cur.post(d, 0, 0, pay, true, u.employer, storeFrom)
	}
	if limit := scale(1200000, idx); dom == 15 && (m-1)%3 == 0 && sav.bal > limit {
		// A quarterly splurge keeps savings bounded: a transfer out and a big purchase.
		amt := roundTo(scale(300000, idx)+(sav.bal-limit)/2, 10000)
		sav.post(d, 0, 0, -amt, false, u.savOut, storeFrom)
		cur.post(d, 0, 0, amt, true, u.fromSavings, storeFrom)
		h := tplHolidays[r.intn(len(tplHolidays))]
		cur.post(d, 2, purchaseSecs(&r), -(amt - scale(r.between(0, 60000), idx)), false, h, storeFrom)
	}

	// Current account: everyday spending.
	if r.chance(45) {
		g := tplGroceries[r.intn(len(tplGroceries))]
		cur.post(d, purchaseLag(&r), purchaseSecs(&r), -scale(r.between(g.Lo, g.Hi), idx), false, g, storeFrom)
	}
	if (weekday && r.chance(75)) || r.chance(25) {
		cur.post(d, purchaseLag(&r), purchaseSecs(&r), -scale(r.between(tplPret.Lo, tplPret.Hi), idx), false, tplPret, storeFrom)
	}
	if weekday && r.chance(50) {
		l := tplLunch[r.intn(len(tplLunch))]
		cur.post(d, purchaseLag(&r), purchaseSecs(&r), -scale(r.between(l.Lo, l.Hi), idx), false, l, storeFrom)
	}
	if weekday && r.chance(85) {
		cur.post(d, purchaseLag(&r), purchaseSecs(&r), -scale(r.between(tplTfL.Lo, tplTfL.Hi), idx), false, tplTfL, storeFrom)
	}
	if r.chance(20) {
		cur.post(d, purchaseLag(&r), purchaseSecs(&r), -scale(r.between(tplCorner.Lo, tplCorner.Hi), idx), false, tplCorner, storeFrom)
	}
	if r.chance(20) {
		a := tplAmazon[r.intn(len(tplAmazon))]
		cur.post(d, purchaseLag(&r), purchaseSecs(&r), -scale(r.between(a.Lo, a.Hi), idx), false, a, storeFrom)
	}
	if r.chance(7) {
		cur.post(d, 0, 0, -int64(1+r.intn(5))*2000, false, tplATM, storeFrom)
	}
	if aw := tplAwkward[dom]; aw != nil {
		amt := scale(r.between(aw.Lo, aw.Hi), idx)
		if aw.Category == "CREDIT" {
			cur.post(d, 1, purchaseSecs(&r), amt, true, aw, storeFrom)
		} else {
			cur.post(d, 1, purchaseSecs(&r), -amt, false, aw, storeFrom)
		}
	}

	// Savings: monthly interest on the booked balance.
	if dom == 1 && sav.bal > 0 {
		if interest := (sav.bal*savingsBps(y) + 60000) / 120000; interest > 0 {
			if t := sav.post(d, 0, 0, interest, true, tplInterest, storeFrom); t != nil {
				t.NoNorm = true
			}
		}
	}
}

func roundTo(v, unit int64) int64 { return (v + unit/2) / unit * unit }

// directDebit is a monthly mandate on the current account.
type directDebit struct {
	t      *txTemplate
	dom    int
	mandID string
	amount func(year int) int64
}

func fixedDD(t *txTemplate) func(int) int64 {
	return func(y int) int64 { return roundTo(scale(t.Lo, priceIndex(y)), 1) }
}

var (
	ddWater    = directDebit{tplWater, 4, "TW-000184", fixedDD(tplWater)}
	ddEE       = directDebit{tplEE, 12, "EE-55012", fixedDD(tplEE)}
	ddNetflix  = directDebit{tplNetflix, 17, "NFLX-9912", netflixPrice}
	ddOctopus  = directDebit{tplOctopus, 8, "OCT-77201", fixedDD(tplOctopus)}
	ddBritGas  = directDebit{tplBritGas, 8, "BG-10442", fixedDD(tplBritGas)}
	ddHyperopt = directDebit{tplHyperopt, 22, "HYP-30018", fixedDD(tplHyperopt)}
	ddBT       = directDebit{tplBTBroadbd, 22, "BT-88120", fixedDD(tplBTBroadbd)}
)

// directDebits lists the mandates active in a year (suppliers change over time).
func directDebits(y int) []directDebit {
	out := make([]directDebit, 0, 5)
	out = append(out, ddWater, ddEE)
	if y >= 2012 {
		out = append(out, ddNetflix)
	}
	if y >= 2016 {
		out = append(out, ddOctopus)
	} else {
		out = append(out, ddBritGas)
	}
	if y >= 2011 {
		out = append(out, ddHyperopt)
	} else {
		out = append(out, ddBT)
	}
	return out
}

// viewAt returns the booked ledger as of today (cached per day). Caller holds u.mu.
func (a *account) viewAt(today, start day) *acctView {
	if a.view != nil && a.view.today == today {
		return a.view
	}
	idx := make([]int32, 0, len(a.txs))
	for i := range a.txs {
		if a.txs[i].Book <= today {
			idx = append(idx, int32(i))
		}
	}
	// Generation order is (Date, Seq); posting order is (Book, Seq).
	slices.SortStableFunc(idx, func(x, y int32) int { return int(a.txs[x].Book - a.txs[y].Book) })
	v := &acctView{today: today, balance: a.opening}
	first := len(idx)
	run := make([]int64, len(idx))
	for i, k := range idx {
		v.balance += a.txs[k].Amount
		run[i] = v.balance
		if first == len(idx) && a.txs[k].Book >= start {
			first = i
		}
	}
	v.booked = idx[first:]
	v.running = run[first:]
	a.view = v
	return v
}

// pendingAt lists transactions made by now that have not booked yet, newest first.
// Caller holds u.mu.
func (a *account) pendingAt(now time.Time, start day) []int32 {
	today, secs := dayOf(now), secsInDay(now)
	var out []int32
	for i := len(a.txs) - 1; i >= 0; i-- {
		t := &a.txs[i]
		if t.Date < today-maxLag || t.Date < start {
			break
		}
		if t.Date > today || t.Book <= today || (t.Date == today && t.Secs > secs) {
			continue
		}
		out = append(out, int32(i))
	}
	return out
}
