package desk

import (
	"errors"
	"fmt"
	"time"

	"bankdesk/backend/store"
)

// The window offers the background job (package agent) once, after the
// first connection: these remember that it was answered.

type agentOffer struct {
	AnsweredAt time.Time `json:"answered_at"`
}

// AgentOfferOpen reports whether the offer is still to be made: nobody
// answered it, or turned the job on or off in Settings.
func (d *Desk) AgentOfferOpen() (bool, error) {
	_, err := store.GetSetting[agentOffer](d.store, store.SettingAgentOffer)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("read the background job's offer: %w", err)
	}
	return false, nil
}

// CloseAgentOffer records that the offer was answered; it is not made
// again.
func (d *Desk) CloseAgentOffer() error {
	return store.PutSettingJSON(d.store, store.SettingAgentOffer, agentOffer{AnsweredAt: d.now().UTC()})
}
