package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"bankdesk/backend/agent"
	"bankdesk/backend/config"
	"bankdesk/backend/desk"
)

const agentUsage = `usage: bankdesk agent install|uninstall|status [--json]

Schedules ` + "`bankdesk keepalive`" + ` to run daily and at login while Bankdesk is closed:
a systemd user timer on Linux (a login-only autostart entry without systemd), a
LaunchAgent on macOS, a Task Scheduler task on Windows. Install and uninstall are
safe to repeat. --json prints the job's status as JSON.`

// agentHost is the machine `bankdesk agent` schedules on: this one, with
// the command's environment. Tests replace it.
var agentHost = func(io IO) agent.Host {
	h := agent.System()
	h.Getenv = io.Getenv
	return h
}

func agentCommand(fs *flag.FlagSet) runner {
	asJSON := fs.Bool("json", false, "print the job's status as JSON (after install or uninstall: the new status)")
	var action string
	return runner{
		check: func(_ IO, args []string) error {
			action = args[0]
			switch action {
			case "install", "uninstall", "status":
				return nil
			}
			return usageError{fmt.Sprintf("unknown agent action %q: want install, uninstall or status", action)}
		},
		run: func(ctx context.Context, _ *desk.Desk, io IO) error {
			return runAgent(ctx, io, action, *asJSON)
		},
	}
}

func runAgent(ctx context.Context, io IO, action string, asJSON bool) error {
	cfg, err := config.FromEnv(io.Getenv)
	if err != nil {
		return err
	}
	h := agentHost(io)
	job, err := agent.KeepAlive(h, cfg)
	if err != nil {
		return err
	}
	var changed bool
	switch action {
	case "install":
		changed, err = agent.Install(ctx, h, job)
	case "uninstall":
		changed, err = agent.Uninstall(ctx, h)
	}
	if err != nil {
		return err
	}
	s, err := agent.StatusOf(ctx, h, job)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(io.Stdout, s.View())
	}
	switch {
	case action == "install" && changed:
		say(io.Stdout, "Turned on: %s.", agentSentence(s))
	case action == "install":
		say(io.Stdout, "Already on: %s.", agentSentence(s))
	case action == "uninstall" && changed:
		say(io.Stdout, "Turned off: the background job is removed. Bankdesk keeps connections alive only while it runs.")
		return nil
	case action == "uninstall":
		say(io.Stdout, "Already off: no background job is installed.")
		return nil
	case !s.Supported:
		say(io.Stdout, "Off: Bankdesk cannot schedule a background job on this system; run `bankdesk keepalive` daily yourself (cron, say).")
		return nil
	case !s.Installed:
		say(io.Stdout, "Off: no background job is installed. `bankdesk agent install` runs `bankdesk keepalive` %s (%s) while Bankdesk is closed.", s.Schedule, s.Kind.Label())
		return nil
	default:
		say(io.Stdout, "On: %s.", agentSentence(s))
	}
	printAgentDetails(io, s)
	if action == "install" {
		say(io.Stdout, "Turn it off with `bankdesk agent uninstall`.")
	}
	return nil
}

// agentSentence says what the installed job does.
func agentSentence(s agent.Status) string {
	return fmt.Sprintf("`bankdesk keepalive` runs %s (%s)", s.Schedule, s.Kind.Label())
}

// printAgentDetails prints what the job runs, when next and where it is.
func printAgentDetails(io IO, s agent.Status) {
	say(io.Stdout, "  runs      %s", shellWords(s.Command))
	for _, kv := range s.Env {
		say(io.Stdout, "  with      %s", kv)
	}
	if !s.NextRun.IsZero() {
		say(io.Stdout, "  next run  %s", s.NextRun.Local().Format("Mon 2 Jan 2006 15:04"))
	}
	label := "files"
	for _, f := range s.Files {
		say(io.Stdout, "  %-9s %s", label, f)
		label = ""
	}
	if s.Task != "" {
		say(io.Stdout, "  task      %s", s.Task)
	}
	if s.Problem != "" {
		say(io.Stdout, "Needs attention: %s.", s.Problem)
	}
}

// shellWords shows a command as a person would type it: a word with a
// space in double quotes.
func shellWords(cmd []string) string {
	out := make([]string, len(cmd))
	for i, w := range cmd {
		out[i] = w
		if w == "" || strings.ContainsAny(w, " \t\"'$\\") {
			out[i] = fmt.Sprintf("%q", w)
		}
	}
	return strings.Join(out, " ")
}
