package app

import (
	"context"
	"errors"

	"bankdesk/backend/agent"
	"bankdesk/backend/desk"
	"bankdesk/backend/view"
)

// The background job (package agent): the Settings switch and the
// Connections screen's one-time offer.

// agentHost is the machine the job is scheduled on; tests replace it.
var agentHost = agent.System

// agentJob is what turning the job on schedules: this program's
// keepalive on the data the window opens.
func (a *App) agentJob() (agent.Host, agent.Job, error) {
	h := agentHost()
	job, err := agent.KeepAlive(h, a.cfg)
	return h, job, err
}

// AgentStatus says whether the background job is on, where it is, what
// it runs and when it runs next.
func (a *App) AgentStatus() (view.AgentStatus, error) {
	h, job, err := a.agentJob()
	if err != nil {
		return view.AgentStatus{}, err
	}
	s, err := agent.StatusOf(context.Background(), h, job)
	return s.View(), err
}

// SetAgent turns the background job on or off, which also answers the
// one-time offer.
func (a *App) SetAgent(on bool) (view.AgentStatus, error) {
	h, job, err := a.agentJob()
	if err != nil {
		return view.AgentStatus{}, err
	}
	ctx := context.Background()
	if on {
		_, err = agent.Install(ctx, h, job)
	} else {
		_, err = agent.Uninstall(ctx, h)
	}
	if err != nil {
		return view.AgentStatus{}, a.agentError(on, err)
	}
	if d, err := a.backend(); err == nil {
		if err := d.CloseAgentOffer(); err != nil {
			a.log.Warn("cannot record the background job's offer", "err", err)
		}
	}
	s, err := agent.StatusOf(ctx, h, job)
	return s.View(), err
}

// agentError is a failed switch in a person's words; what the system said
// goes to the log.
func (a *App) agentError(on bool, err error) error {
	verb := map[bool]string{true: "turn on", false: "turn off"}[on]
	var no *agent.RefusedError
	if errors.As(err, &no) {
		return errors.New("Bankdesk cannot " + verb + " the background job: " + no.Reason + ".")
	}
	a.log.Warn("background job", "on", on, "err", err)
	cmd := map[bool]string{true: "install", false: "uninstall"}[on]
	return errors.New("Bankdesk could not " + verb + " the background job. `bankdesk agent " + cmd + "` in a terminal shows what the system says.")
}

// AgentOffer reports whether the Connections screen should offer the
// background job: not answered yet, and not on already.
func (a *App) AgentOffer() (bool, error) {
	open, err := with(a, func(d *desk.Desk) (bool, error) { return d.AgentOfferOpen() })
	if err != nil || !open {
		return false, err
	}
	s, err := a.AgentStatus()
	return s.Supported && !s.Installed, err
}

// DeclineAgentOffer is the offer's "Not now": it is not made again
// (Settings keeps the switch).
func (a *App) DeclineAgentOffer() error {
	return do(a, func(d *desk.Desk) error { return d.CloseAgentOffer() })
}
