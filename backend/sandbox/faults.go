package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// Faults are injected failures for Data API calls (optionally only those whose path
// contains Path). Counters decrement as they fire. Other processes set them with
// POST {AuthURL}/__sandbox/faults (the JSON body replaces them) and read them with GET.
type Faults struct {
	RateLimit         int  `json:"rate_limit"`          // next N calls: 429 provider_too_many_requests
	RetryAfter        int  `json:"retry_after"`         // Retry-After seconds for rate_limit; 0 = 1
	ServerErrors      int  `json:"server_errors"`       // next N calls fail with ServerErrorStatus
	ServerErrorStatus int  `json:"server_error_status"` // 500, 503 or 504; 0 = 503
	DelayMS           int  `json:"delay_ms"`            // every call delayed
	Truncate          int  `json:"truncate"`            // next N responses cut mid-body
	ExpireTokensAfter int  `json:"expire_tokens_after"` // after N more successful calls, expire all access tokens
	SCAExpired        bool `json:"sca_expired"`         // every connection's SCA window is over
	ExtendStatus      int  `json:"extend_status"`       // next extend call answers 400, 401 or 422

	// Real-bank behaviour. None is one-shot: each holds until the faults are replaced.
	// All but sca_window_seconds honour Path.
	//
	// DelayJitterMS adds a uniform 0..N ms to every call's delay_ms (real time): real
	// banks take 1-3 s a call (delay_ms 1000, delay_jitter_ms 2000).
	DelayJitterMS int `json:"delay_jitter_ms"`
	// AsyncMS keeps an async task (?async=true) Queued for the first half of N ms of
	// real time from its start, then Running, then done; a webhook is sent when it is
	// done. 0 = the AsyncPolls count decides (Options).
	AsyncMS int `json:"async_ms"`
	// SCAWindowSeconds is how long after the user authenticated at the bank it serves
	// transactions older than 90 days (then 403 sca_exceeded), on the sandbox clock;
	// 0 = 300 (TrueLayer documents five minutes).
	SCAWindowSeconds int `json:"sca_window_seconds"`
	// HistoryHorizonDays makes the bank keep only N days: booked and pending
	// transaction requests whose from is a London day before today-N answer 400
	// invalid_date_range, and a request without from starts at the horizon at most.
	// 0 = the full six years.
	HistoryHorizonDays int `json:"history_horizon_days"`
	// ReusedIDs makes a few bookings of each account carry the normalised and
	// provider ids of another, genuinely different booking of the same account: some
	// booked 30-60 days earlier, some of the opposite direction a few days earlier.
	// Truth tells them apart by key.
	ReusedIDs bool `json:"reused_ids"`
	// RemoveBookings makes the bank, from the sandbox day it is set, stop listing up to
	// N bookings per account booked 2-5 days before that day, i.e. strictly inside the
	// 7-day window an incremental sync fetches again. They stay gone (Truth lists them
	// as removed) until the knob is cleared or changed; other rows, running balances
	// and balances are unchanged.
	RemoveBookings int `json:"remove_bookings"`

	Path string `json:"path"` // only calls whose path contains this
	// NewAccountIDs makes the next full authentication (a login through an auth link,
	// not one continuing a connection for extend) list the user's accounts and card
	// under ids never used before: same numbers, IBANs, card and history, as banks
	// that re-issue account ids on re-consent do. One-shot.
	NewAccountIDs bool `json:"new_account_ids"`

	// Real-bank behaviour around a connection's first minutes and a second login.
	//
	// MeFailOnce makes the first /me call after the next code exchange answer 503
	// temporarily_unavailable, as a bank whose new consent has not settled yet does.
	// The exchange consumes it; that credential's first /me fires it.
	MeFailOnce bool `json:"me_fail_once"`
	// AccountIDsPerConnection gives every credential that a full login creates from
	// now on account and card ids of its own, as TrueLayer's account_id belongs to
	// one connection. Each login through an auth link already creates a new
	// credential (credentials_id) and the older one stays live until revoked, so with
	// this set the same user connecting twice sees the same accounts (numbers, IBANs,
	// card, history) under new ids on the new credential. Stays set until cleared.
	AccountIDsPerConnection bool `json:"account_ids_per_connection"`
}

func (f Faults) validate() error {
	switch f.ServerErrorStatus {
	case 0, 500, 503, 504:
	default:
		return fmt.Errorf("server_error_status must be 500, 503 or 504")
	}
	switch f.ExtendStatus {
	case 0, 400, 401, 422:
	default:
		return fmt.Errorf("extend_status must be 400, 401 or 422")
	}
	if f.RateLimit < 0 || f.ServerErrors < 0 || f.DelayMS < 0 || f.Truncate < 0 || f.ExpireTokensAfter < 0 || f.RetryAfter < 0 {
		return fmt.Errorf("counters must not be negative")
	}
	if f.DelayJitterMS < 0 || f.AsyncMS < 0 || f.SCAWindowSeconds < 0 || f.HistoryHorizonDays < 0 || f.RemoveBookings < 0 {
		return fmt.Errorf("delay_jitter_ms, async_ms, sca_window_seconds, history_horizon_days and remove_bookings must not be negative")
	}
	return nil
}

// SetFaults replaces the injected faults. Invalid faults (see the HTTP endpoint) are
// not expected from Go callers; negative numbers act as zero.
func (s *Server) SetFaults(f Faults) {
	today := dayOf(s.now())
	s.faultMu.Lock()
	// remove_bookings is anchored on the day it was set, so the same bookings stay
	// gone while the clock moves on; replacing the faults with the same value keeps it.
	if old := s.faults; f.RemoveBookings > 0 && (old.RemoveBookings != f.RemoveBookings || old.Path != f.Path) {
		s.removeAnchor = today
	}
	s.faults = f
	s.faultMu.Unlock()
}

// Faults returns the faults still armed.
func (s *Server) Faults() Faults {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.faults
}

func (f *Faults) matches(path string) bool { return f.Path == "" || strings.Contains(path, f.Path) }

// faultDelay is delay_ms plus a uniform 0..delay_jitter_ms.
func (s *Server) faultDelay(path string) time.Duration {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if !s.faults.matches(path) {
		return 0
	}
	ms := max(s.faults.DelayMS, 0)
	if j := s.faults.DelayJitterMS; j > 0 {
		ms += rand.IntN(j + 1)
	}
	return time.Duration(ms) * time.Millisecond
}

// asyncDuration is how long (real time) an async task started on path runs.
func (s *Server) asyncDuration(path string) time.Duration {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if s.faults.AsyncMS <= 0 || !s.faults.matches(path) {
		return 0
	}
	return time.Duration(s.faults.AsyncMS) * time.Millisecond
}

// bankRules are the standing real-bank knobs that shape a transactions answer.
type bankRules struct {
	horizon      int // days the bank keeps; 0 = all
	reuse        bool
	remove       int // bookings per account no longer listed
	removeAnchor day // the day remove_bookings was set
	scaWindow    time.Duration
	scaExpired   bool
}

func (s *Server) rules(path string) bankRules {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	f := &s.faults
	r := bankRules{scaWindow: scaWindow, scaExpired: f.SCAExpired}
	if f.SCAWindowSeconds > 0 {
		r.scaWindow = time.Duration(f.SCAWindowSeconds) * time.Second
	}
	if f.matches(path) {
		r.horizon, r.reuse = max(f.HistoryHorizonDays, 0), f.ReusedIDs
		if f.RemoveBookings > 0 {
			r.remove, r.removeAnchor = f.RemoveBookings, s.removeAnchor
		}
	}
	return r
}

// firstDay is the first London day the bank serves as of today: the start of the
// visible history or, with a horizon, today-horizon.
func (r bankRules) firstDay(today, start day) day {
	if r.horizon > 0 {
		return max(start, today-day(r.horizon))
	}
	return start
}

// takeFailure consumes a rate_limit or server_errors fault, if one is armed for path.
func (s *Server) takeFailure(path string) *apiResult {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	f := &s.faults
	if !f.matches(path) {
		return nil
	}
	if f.RateLimit > 0 {
		f.RateLimit--
		res := errResult(http.StatusTooManyRequests, "provider_too_many_requests", "Provider rate limit exceeded.")
		res.retryAfter = max(f.RetryAfter, 1)
		return res
	}
	if f.ServerErrors > 0 {
		f.ServerErrors--
		switch f.ServerErrorStatus {
		case 500:
			return errResult(500, "internal_server_error", "Internal server error.")
		case 504:
			return errResult(504, "provider_timeout", "The provider service timed out.")
		default:
			return errResult(503, "temporarily_unavailable", "The provider service is unavailable.")
		}
	}
	return nil
}

func (s *Server) takeTruncate(path string) bool {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if s.faults.Truncate > 0 && s.faults.matches(path) {
		s.faults.Truncate--
		return true
	}
	return false
}

// countSuccess arms expire_tokens_after: when its counter reaches zero every access
// token issued so far is expired.
func (s *Server) countSuccess(path string) {
	s.faultMu.Lock()
	fire := false
	if s.faults.ExpireTokensAfter > 0 && s.faults.matches(path) {
		s.faults.ExpireTokensAfter--
		fire = s.faults.ExpireTokensAfter == 0
	}
	s.faultMu.Unlock()
	if fire {
		s.ExpireAccessTokens()
	}
}

// takeExtendStatus consumes the one-shot extend_status fault.
func (s *Server) takeExtendStatus() int { return takeOnce(s, &s.faults.ExtendStatus) }

// takeNewAccountIDs consumes the one-shot new_account_ids fault.
func (s *Server) takeNewAccountIDs() bool { return takeOnce(s, &s.faults.NewAccountIDs) }

// takeMeFailOnce consumes the one-shot me_fail_once fault.
func (s *Server) takeMeFailOnce() bool { return takeOnce(s, &s.faults.MeFailOnce) }

// takeOnce consumes a one-shot fault: it returns the knob's value and
// resets it to zero, under faultMu.
func takeOnce[T any](s *Server, knob *T) T {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	v := *knob
	var zero T
	*knob = zero
	return v
}

func (s *Server) accountIDsPerConnection() bool {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.faults.AccountIDsPerConnection
}

// takeMeFailure fires the /me failure armed on credential id by me_fail_once.
func (s *Server) takeMeFailure(credID string) *apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.creds[credID]
	if c == nil || !c.MeFailPending {
		return nil
	}
	c.MeFailPending = false
	return errResult(503, "temporarily_unavailable", "The provider service is unavailable.")
}

// Control endpoints on the auth server, for processes that cannot call Go.

func (s *Server) handleGetFaults(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Faults())
}

func (s *Server) handleSetFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid faults: " + err.Error()})
		return
	}
	if err := f.validate(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	s.SetFaults(f)
	writeJSON(w, http.StatusOK, f)
}

func (s *Server) handleExpireTokens(w http.ResponseWriter, r *http.Request) {
	s.ExpireAccessTokens()
	writeJSON(w, http.StatusOK, map[string]bool{"expired": true})
}

// handleAdvance moves the sandbox clock: body {"seconds": N}.
func (s *Server) handleAdvance(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Seconds int64 `json:"seconds"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<10)).Decode(&req); err != nil || req.Seconds < 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"seconds": N} with N >= 0`})
		return
	}
	s.Advance(time.Duration(req.Seconds) * time.Second)
	writeJSON(w, http.StatusOK, map[string]string{"now": s.now().Format(time.RFC3339)})
}

// handleTruth serves Truth(username) as JSON for end-to-end tests.
func (s *Server) handleTruth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Truth(r.URL.Query().Get("username")))
}
