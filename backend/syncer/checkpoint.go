package syncer

import (
	"encoding/json"
	"errors"
	"fmt"
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
}

const checkpointVersion = 1

// backfillState is the deep-history walk: windows end at Anchor (the day it
// began) and step back, each checkpointed before the next starts.
type backfillState struct {
	Anchor  time.Time `json:"anchor,omitzero"`
	Cursor  time.Time `json:"cursor,omitzero"` // first day of the oldest window stored
	Windows int       `json:"windows,omitempty"`
	Done    bool      `json:"done,omitempty"`
}

type dayCount struct {
	Day string `json:"day"` // YYYY-MM-DD, UTC
	N   int    `json:"n"`
}

// Recurring endpoint states.
const (
	available     = "available"
	notApplicable = "not_applicable"
)

func loadCheckpoint(st *store.Store, accountID string) (checkpoint, error) {
	raw, err := st.Checkpoint(accountID)
	if errors.Is(err, store.ErrNotFound) {
		return checkpoint{V: checkpointVersion}, nil
	}
	if err != nil {
		return checkpoint{}, fmt.Errorf("read sync checkpoint: %w", err)
	}
	var cp checkpoint
	if err := json.Unmarshal(raw, &cp); err != nil {
		return checkpoint{}, fmt.Errorf("decode sync checkpoint: %w", err)
	}
	if cp.V > checkpointVersion {
		return checkpoint{}, fmt.Errorf("sync checkpoint version %d is newer than this Bankdesk knows (%d)", cp.V, checkpointVersion)
	}
	return cp, nil
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
