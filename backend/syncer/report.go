package syncer

import (
	"errors"
	"time"

	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// Phases of a sync, in Progress.Phase.
const (
	PhaseBackfill       = "backfill"
	PhaseIncremental    = "incremental"
	PhasePending        = "pending"
	PhaseBalance        = "balance"
	PhaseStandingOrders = "standing_orders"
	PhaseDirectDebits   = "direct_debits"
	PhaseDone           = "done"
)

// Progress is one step of a sync, for a progress bar or a log line. A
// connection's accounts sync concurrently, so their events interleave; the
// callback is never called concurrently. Window and Windows count the
// backfill's windows stored so far and in all (its deep windows, and the
// recent days as one); WindowFrom and WindowTo are the window's first and
// last day (the bank's). Added, Updated and Removed are this step's booked
// transactions; Total is the account's added so far in this sync. Message
// is set when a step was skipped or found nothing to do, and on PhaseDone
// when the account failed.
type Progress struct {
	ConnectionID string
	AccountID    string
	AccountName  string
	Kind         string // store.KindAccount or store.KindCard
	Phase        string
	WindowFrom   time.Time
	WindowTo     time.Time
	Window       int
	Windows      int
	Added        int
	Updated      int
	Removed      int
	Total        int
	Message      string
	// DeepHistoryUntil is when the bank stops serving history older than
	// 90 days (SCAWindow after the consent was given): a progress bar shows
	// the time left. Zero when it has passed or is unknown.
	DeepHistoryUntil time.Time
}

// Report is the outcome of syncing one connection.
type Report struct {
	ConnectionID string
	Accounts     []AccountReport
	// Err concerns the connection as a whole, e.g. one matching
	// tokens.ErrReconnectNeeded; its accounts then carry it too.
	Err error
}

// OK reports whether the connection and every account synced.
func (r Report) OK() bool {
	if r.Err != nil {
		return false
	}
	for _, a := range r.Accounts {
		if a.Err != nil {
			return false
		}
	}
	return true
}

// AccountReport is the outcome for one account or card.
type AccountReport struct {
	AccountID string
	Name      string
	Kind      string
	Added     int // booked transactions new to the store
	Updated   int // booked transactions whose content changed
	Removed   int // bookings the bank no longer returns, now marked removed
	// HistoryFrom is the first day the stored history covers: every booked
	// transaction the bank has from that day on is stored. Zero until the
	// first window is in.
	HistoryFrom time.Time
	// HistoryLimited is set when the bank refused older history: its
	// history ends there (a horizon, answered invalid_date_range), or the
	// 5-minute SCA window after consent had passed. HistoryFrom is then
	// where the bank's history starts instead of HistoryYears back.
	HistoryLimited bool
	// Skipped lists endpoints this background sync did not call because
	// the day's PSD2 budget for them was spent; an attended sync, or
	// tomorrow's, catches up. Not an error.
	Skipped []string
	// NotApplicable lists endpoints the bank does not offer for this
	// account (standing orders or direct debits answered 501 or 403).
	NotApplicable []string
	// Notes are other things the user may want to know, one sentence each.
	Notes []string
	Err   error
}

// NeedsUser reports a sync failure only the user can mend: the bank wants
// them to log in again (the consent expired or was revoked). Anything else
// (a bank not answering, a rate limit) the next sync tries again.
func NeedsUser(err error) bool {
	return errors.Is(err, tokens.ErrReconnectNeeded) || errors.Is(err, tokens.ErrRevoked) || truelayer.NeedsReconnect(err)
}
