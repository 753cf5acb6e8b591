package agent

import (
	"time"

	"bankdesk/backend/view"
)

// View is the status as the window and `bankdesk agent status --json`
// show it.
func (s Status) View() view.AgentStatus {
	v := view.AgentStatus{
		Supported: s.Supported,
		Installed: s.Installed,
		Kind:      string(s.Kind),
		KindLabel: s.Kind.Label(),
		Where:     append([]string{}, s.Files...),
		Command:   append([]string{}, s.Command...),
		Env:       append([]string{}, s.Env...),
		Schedule:  s.Schedule,
		Current:   s.Current,
		Problem:   s.Problem,
	}
	if s.Task != "" {
		v.Where = append(v.Where, "Task Scheduler: "+s.Task)
	}
	if !s.NextRun.IsZero() {
		v.NextRun = s.NextRun.Format(time.RFC3339)
	}
	return v
}
