package sandbox

import (
	"net/http"
	"slices"
	"time"
)

// parseBound accepts YYYY-MM-DD (a whole London day, inclusive) and RFC 3339
// date-times (docs/truelayer.md §4): with a zone they are instants, without one London
// wall time, as the bank reads its own zone-less stamps.
func parseBound(v string, end bool) (time.Time, bool) {
	if t, err := time.ParseInLocation("2006-01-02", v, london); err == nil {
		d := dayOf(t)
		if end {
			return (d + 1).midnight().Add(-time.Nanosecond), true
		}
		return d.midnight(), true
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", v, london); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// dateRange reads from/to. Without from the window is the last 90 days (which never
// needs SCA), or less back to firstDay; without to it runs to the end of today.
func dateRange(c *call, firstDay day) (from, to time.Time, res *apiResult) {
	q := c.r.URL.Query()
	today := c.today()
	to = (today + 1).midnight().Add(-time.Nanosecond)
	from = max(today-deepHistoryDays, firstDay).midnight()
	var ok bool
	if v := q.Get("to"); v != "" {
		if to, ok = parseBound(v, true); !ok {
			return from, to, errResult(http.StatusBadRequest, "validation_error", "The supplied parameters are not valid.")
		}
	}
	if v := q.Get("from"); v != "" {
		if from, ok = parseBound(v, false); !ok {
			return from, to, errResult(http.StatusBadRequest, "validation_error", "The supplied parameters are not valid.")
		}
	}
	if from.After(to) {
		return from, to, errResult(http.StatusBadRequest, "invalid_date_range", "Invalid date range provided.")
	}
	return from, to, nil
}

// transactions serves booked or pending transactions of an account or card.
func (s *Server) transactions(cards, pending bool) func(*call) *apiResult {
	return func(c *call) *apiResult {
		u, a, res := s.lookup(c, cards)
		if res != nil {
			return res
		}
		rules := s.rules(c.r.URL.Path)
		today := c.today()
		from, to, res := dateRange(c, rules.firstDay(today, s.bank.start))
		if res != nil {
			return res
		}
		// A bank that keeps only so much history refuses to look further back.
		if rules.horizon > 0 && dayOf(from) < today-day(rules.horizon) {
			return errResult(http.StatusBadRequest, "invalid_date_range",
				"The date range is outside the supported range for this provider.")
		}
		// Deep history (more than 90 days back) only within 5 minutes (or the
		// sca_window_seconds knob) of the user authenticating at the bank
		// (https://docs.truelayer.com/docs/data-api-errors, sca_exceeded).
		if dayOf(from) < today-deepHistoryDays && (rules.scaExpired || c.now.Sub(c.cred.AuthTime) > rules.scaWindow) {
			return errResult(http.StatusForbidden, "sca_exceeded",
				"SCA exemption has expired. This resource is protected and should be accessed shortly after PSU Authentication. In order to access this resource, please have the PSU re-authenticate.")
		}
		enc := txEncoder{nonce: c.nonce, withRunning: hasScope(c.cred.Scopes, "balance")}
		if cards {
			enc.cardMeta = appendJSONString([]byte(`,"cardNumber":`), "4929********"+u.cardLast4)
		}
		u.mu.Lock()
		txs := a.txs
		var view *acctView
		var pend, removed, twins []int32
		if pending {
			pend = a.pendingAt(c.now, s.bank.start)
		} else {
			view = a.viewAt(today, s.bank.start)
			if rules.reuse {
				twins = a.twinsLocked()
			}
			if rules.remove > 0 {
				removed = a.removedAt(rules.removeAnchor, rules.remove, s.bank.start)
			}
		}
		u.mu.Unlock()

		// Appends never touch existing elements, so txs can be read without the lock.
		fromDay, toDay := dayOf(from), dayOf(to)
		var b []byte
		if pending {
			b = make([]byte, 0, 64+len(pend)*600)
			b = append(b, `{"results":[`...)
			for _, i := range pend {
				t := &txs[i]
				ts := t.Date.at(t.Secs)
				if ts.Before(from) || ts.After(to) {
					continue
				}
				b = enc.append(b, t, t, true, 0)
			}
		} else {
			b = make([]byte, 0, 64+min(len(view.booked), int(toDay-fromDay+1)*5)*600)
			b = append(b, `{"results":[`...)
			// Newest first, like TrueLayer; booked timestamps are London midnight.
			for k := len(view.booked) - 1; k >= 0; k-- {
				i := view.booked[k]
				t := &txs[i]
				if t.Book > toDay {
					continue
				}
				if t.Book < fromDay || (t.Book == fromDay && from.After(t.Book.midnight())) {
					break
				}
				if removed != nil && slices.Contains(removed, i) {
					continue
				}
				idt := t
				if twins != nil && twins[i] >= 0 {
					idt = &txs[twins[i]]
				}
				b = enc.append(b, t, idt, false, view.running[k])
			}
		}
		if b[len(b)-1] == ',' {
			b = b[:len(b)-1]
		}
		b = append(b, `],"status":"Succeeded"}`...)
		return &apiResult{status: http.StatusOK, body: b}
	}
}

// txEncoder writes AccountTransaction / CardTransaction JSON by hand: a six-year
// history is ~8,000 items and this keeps it to a few milliseconds.
type txEncoder struct {
	nonce       uint64
	withRunning bool
	cardMeta    []byte // `,"cardNumber":"4929********1234"` for cards
	zone        midnightZone
}

const pendingSalt = 0x70656e64696e6721

// txIDs returns the stable normalised and provider ids of t.
func txIDs(t *tx, pending bool) (normalised, providerID []byte) {
	var p [16]byte
	return appendNormID(nil, t, pending), appendProvID(p[:0], t, pending)
}

func idHash(t *tx, pending bool) uint64 {
	if pending {
		return t.Hash ^ pendingSalt
	}
	return t.Hash
}

func appendNormID(b []byte, t *tx, pending bool) []byte {
	return appendHex64(append(b, "txn-"...), mix64(idHash(t, pending)))
}

// appendProvID appends the bank's id: 16 upper-case hex digits.
func appendProvID(b []byte, t *tx, pending bool) []byte {
	x := mix64(idHash(t, pending) ^ 0x5bd1e995)
	for i := 60; i >= 0; i -= 4 {
		b = append(b, upperHex[(x>>uint(i))&0xf])
	}
	return b
}

const upperHex = "0123456789ABCDEF"

// appendTimestamp writes the bank's stamp. Bookings are dated London midnight with
// the offset (+01:00 in summer; +00:00 or Z in winter), about one in eight with no
// zone at all (London wall time); pending ones carry their London time of day.
func (e *txEncoder) appendTimestamp(b []byte, t *tx, pending bool) []byte {
	b = append(b, '"')
	if pending {
		ts := t.Date.at(t.Secs)
		_, off := ts.Zone()
		b = appendDate(b, t.Date)
		b = append(b, 'T')
		b = appendClock(b, t.Secs)
		b = appendOffset(b, off, t.Hash&1 == 0)
		return append(b, '"')
	}
	b = appendDate(b, t.Book)
	b = append(b, "T00:00:00"...)
	if sel := t.Hash >> 60 % 10; sel != 1 {
		b = appendOffset(b, e.zone.offset(t.Book), sel == 0)
	}
	return append(b, '"')
}

// append writes transaction t; its stable ids are those of idt (t itself, or the
// transaction whose ids it reuses under reused_ids).
func (e *txEncoder) append(b []byte, t, idt *tx, pending bool, running int64) []byte {
	tp := t.T
	h := idHash(t, pending)
	var provBuf [16]byte
	prov := appendProvID(provBuf[:0], idt, pending)
	// transaction_id changes on every request (docs/truelayer.md §4); the other ids do not.
	b = append(b, `{"transaction_id":"`...)
	b = appendHex64(b, mix64(h^e.nonce))
	b = appendHex64(b, mix64(h+e.nonce))
	if !idt.NoNorm {
		b = append(b, `","normalised_provider_transaction_id":"`...)
		b = appendNormID(b, idt, pending)
	}
	b = append(b, `","provider_transaction_id":"`...)
	b = append(b, prov...)
	b = append(b, `","timestamp":`...)
	b = e.appendTimestamp(b, t, pending)
	b = append(b, `,"description":`...)
	b = append(b, tp.descJSON...)
	b = append(b, `,"amount":`...)
	b = appendMinor(b, t.Amount)
	if t.Credit {
		b = append(b, `,"currency":"GBP","transaction_type":"CREDIT","transaction_category":"`...)
	} else {
		b = append(b, `,"currency":"GBP","transaction_type":"DEBIT","transaction_category":"`...)
	}
	b = append(b, tp.Category...)
	b = append(b, `","transaction_classification":`...)
	b = append(b, tp.classJSON...)
	if tp.merchantJSON != nil {
		b = append(b, `,"merchant_name":`...)
		b = append(b, tp.merchantJSON...)
	}
	if e.withRunning && !pending {
		b = append(b, `,"running_balance":{"amount":`...)
		b = appendMinor(b, running)
		b = append(b, `,"currency":"GBP"}`...)
	}
	b = append(b, `,"meta":{"provider_transaction_category":"`...)
	b = append(b, tp.ProvCat...)
	b = append(b, '"')
	if e.cardMeta != nil {
		b = append(b, e.cardMeta...)
		if tp.Location != "" {
			b = append(b, `,"location":"`...)
			b = append(b, tp.Location...)
			b = append(b, '"')
		}
	} else if !pending {
		// Deprecated, but still sent by many providers: equals provider_transaction_id.
		b = append(b, `,"bank_transaction_id":"`...)
		b = append(b, prov...)
		b = append(b, '"')
	}
	return append(b, "}},"...)
}
