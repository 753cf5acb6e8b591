package syncer

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"bankdesk/backend/store"
)

// checkpoint is an account's sync progress, kept sealed in the store and
// written with every backfill window, in the same commit as the window's
// transactions (store.PutTransactionsAndCheckpoint): it never runs ahead
// of the data. A crash before that commit makes the next sync fetch the
// window again, which dedupe makes harmless.
type checkpoint struct {
	V        int           `json:"v"`
	Backfill backfillState `json:"backfill"`
	// HistoryFrom and HistoryLimited: see AccountReport.
	HistoryFrom    time.Time `json:"history_from,omitzero"`
	HistoryLimited bool      `json:"history_limited,omitempty"`
	// LastSyncAt is when a sync of the account last finished with nothing
	// failed or skipped.
	LastSyncAt time.Time `json:"last_sync_at,omitzero"`
	// Recurring records per endpoint (standing_orders, direct_debits)
	// whether the bank offers it: available or not_applicable.
	Recurring map[string]string `json:"recurring,omitempty"`
	// Calls counts background calls per endpoint for one UTC day, for the
	// PSD2 budget. Each is counted before it is made, so a crash can only
	// overcount.
	Calls map[string]dayCount `json:"calls,omitempty"`

	lost bool // the stored one could not be read: this is a fresh start
}

// checkpointVersion 2 has the deep-history windows fetched in parallel
// (Backfill.Deep, Floor, Recent); version 1 walked back one window at a
// time (Cursor) and is converted on load (upgrade).
const checkpointVersion = 2

// backfillState is the first fetch of an account's history. Its windows are
// fixed by Anchor, the bank day it began (plan): the deep ones, older than
// 90 days, each stored with the checkpoint that lists it in Deep; then the
// recent 90 days (Recent), read as incremental windows.
type backfillState struct {
	Anchor time.Time `json:"anchor,omitzero"`
	// Deep lists the first days (YYYY-MM-DD) of the deep windows stored.
	Deep []string `json:"deep,omitempty"`
	// Floor is the first day the bank gives history from, once it refused
	// what lies before (its horizon, or the SCA window over): no deep
	// window ending before it is asked for again. Zero: none refused.
	Floor  time.Time `json:"floor,omitzero"`
	Recent bool      `json:"recent,omitempty"`
	Done   bool      `json:"done,omitempty"`
	// RetryFloor and RetryDeep hold Floor and the window it lay in while
	// the user's "fetch older history" asks the bank once more (RetryOlder):
	// what it refuses again leaves things as they were.
	RetryFloor time.Time `json:"retry_floor,omitzero"`
	RetryDeep  []string  `json:"retry_deep,omitempty"`

	// Version 1: the first day of the oldest window stored, walking back
	// from Anchor; and how many windows that was.
	Cursor  time.Time `json:"cursor,omitzero"`
	Windows int       `json:"windows,omitempty"`
}

type dayCount struct {
	Day string `json:"day"` // YYYY-MM-DD, the bank's day
	N   int    `json:"n"`
}

// clone copies cp deeply enough to change it without touching cp.
func (cp checkpoint) clone() checkpoint {
	cp.Backfill.Deep = slices.Clone(cp.Backfill.Deep)
	cp.Backfill.RetryDeep = slices.Clone(cp.Backfill.RetryDeep)
	cp.Recurring = maps.Clone(cp.Recurring)
	cp.Calls = maps.Clone(cp.Calls)
	return cp
}

// Recurring endpoint states.
const (
	available     = "available"
	notApplicable = "not_applicable"
)

func loadCheckpoint(st *store.Store, accountID string) (checkpoint, error) {
	raw, err := st.Checkpoint(accountID)
	if errors.Is(err, store.ErrNotFound) {
		return checkpoint{V: checkpointVersion, lost: errors.Is(err, store.ErrUnreadable)}, nil
	}
	if err != nil {
		return checkpoint{}, fmt.Errorf("read sync checkpoint: %w", err)
	}
	var cp checkpoint
	if err := json.Unmarshal(raw, &cp); err != nil {
		return checkpoint{V: checkpointVersion, lost: true}, nil // as unreadable
	}
	if cp.V > checkpointVersion {
		return checkpoint{}, fmt.Errorf("sync checkpoint version %d is newer than this Bankdesk knows (%d)", cp.V, checkpointVersion)
	}
	if cp.V < 2 {
		cp.Backfill = upgrade(cp.Backfill)
	}
	return cp, nil
}

// upgrade turns a version 1 backfill, which walked back from Anchor one
// window at a time and had stored everything from Cursor on, into deep
// windows done and the recent part done.
func upgrade(b backfillState) backfillState {
	if b.Done || b.Cursor.IsZero() || b.Anchor.IsZero() {
		b.Recent = b.Done
		return b
	}
	p := plan(b.Anchor, defaultWindowMonths, defaultHistoryYears)
	for _, w := range p.deep {
		if !w.from.Before(b.Cursor) {
			b.Deep = append(b.Deep, w.key())
		}
	}
	b.Recent = !b.Cursor.After(p.recentFrom)
	b.Cursor, b.Windows = time.Time{}, 0
	return b
}

func encodeCheckpoint(cp checkpoint) ([]byte, error) {
	cp.V = checkpointVersion
	raw, err := json.Marshal(cp)
	if err != nil {
		return nil, fmt.Errorf("encode sync checkpoint: %w", err)
	}
	return raw, nil
}

func saveCheckpoint(st *store.Store, accountID string, cp checkpoint) error {
	raw, err := encodeCheckpoint(cp)
	if err != nil {
		return err
	}
	if err := st.PutCheckpoint(accountID, raw); err != nil {
		return fmt.Errorf("save sync checkpoint: %w", err)
	}
	return nil
}

// State is what the app shows about an account's sync.
type State struct {
	BackfillDone   bool
	HistoryFrom    time.Time // see AccountReport.HistoryFrom; zero when unknown
	HistoryLimited bool
	LastSyncAt     time.Time // zero when never fully synced
	// NotApplicable lists endpoints the bank does not offer for the account.
	NotApplicable []string
}

// ReadState returns an account's sync state from the store; the zero State
// for an account never synced.
func ReadState(st *store.Store, accountID string) (State, error) {
	cp, err := loadCheckpoint(st, accountID)
	if err != nil {
		return State{}, err
	}
	s := State{
		BackfillDone:   cp.Backfill.Done,
		HistoryFrom:    cp.HistoryFrom,
		HistoryLimited: cp.HistoryLimited,
		LastSyncAt:     cp.LastSyncAt,
	}
	for _, ep := range []string{PhaseStandingOrders, PhaseDirectDebits} {
		if cp.Recurring[ep] == notApplicable {
			s.NotApplicable = append(s.NotApplicable, ep)
		}
	}
	return s, nil
}

// RetryOlder lets the next sync of the connection ask once more for the
// history its banks refused (a horizon, or the SCA window over): the
// user asked for it, perhaps right after logging in again. What was stored
// stays; a refusal is recorded again.
func RetryOlder(st *store.Store, connectionID string) error {
	accts, err := st.AccountsOf(connectionID)
	if err != nil {
		return fmt.Errorf("read accounts: %w", err)
	}
	for _, a := range accts {
		cp, err := loadCheckpoint(st, a.ID)
		if err != nil {
			return err
		}
		b := &cp.Backfill
		if b.Floor.IsZero() || !b.RetryFloor.IsZero() {
			continue
		}
		// The window the floor lies in is asked for whole again, so a floor
		// found again is found exactly.
		b.RetryFloor = b.Floor
		b.Deep = slices.DeleteFunc(b.Deep, func(k string) bool {
			from, err := time.Parse(time.DateOnly, k)
			if err == nil && !from.After(b.Floor) && b.Floor.Before(from.AddDate(0, defaultWindowMonths, 0)) {
				b.RetryDeep = append(b.RetryDeep, k)
				return true
			}
			return false
		})
		b.Floor, b.Done = time.Time{}, false
		if err := saveCheckpoint(st, a.ID, cp); err != nil {
			return err
		}
	}
	return nil
}
