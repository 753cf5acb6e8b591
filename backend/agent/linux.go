package agent

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"bankdesk/backend/launcher"
)

// Linux: a systemd user service and timer, or where no systemd user
// manager runs, an XDG autostart entry (run at login only).

// linuxPaths are where the Linux schedules live.
type linuxPaths struct {
	service, timer, wants string // systemd user units; wants: the link `enable` makes
	autostart             string // XDG autostart entry
}

func pathsLinux(h Host) (linuxPaths, error) {
	conf := h.Getenv("XDG_CONFIG_HOME")
	if conf == "" || !filepath.IsAbs(conf) {
		home, err := homeDir(h)
		if err != nil {
			return linuxPaths{}, err
		}
		conf = filepath.Join(home, ".config")
	}
	units := filepath.Join(conf, "systemd", "user")
	return linuxPaths{
		service:   filepath.Join(units, UnitName+".service"),
		timer:     filepath.Join(units, UnitName+".timer"),
		wants:     filepath.Join(units, "timers.target.wants", UnitName+".timer"),
		autostart: filepath.Join(conf, "autostart", UnitName+".desktop"),
	}, nil
}

// loginDelay is how long after login the login run waits: the desktop's
// keyring and notification service start with the session.
const loginDelay = 2 * time.Minute

// renderSystemd is the service and its timer (systemd.service,
// systemd.timer). The timer runs the service daily, catches up a run the
// computer was off for (Persistent=), and runs it after the user manager
// starts, which is at login (OnStartupSec=).
func renderSystemd(job Job) (service, timer []byte, err error) {
	prog, err := systemdProgram(job.Exe)
	if err != nil {
		return nil, nil, err
	}
	exec := []string{prog}
	for _, a := range job.Args {
		exec = append(exec, systemdArg(a))
	}
	lines := []string{
		"# Written by `bankdesk agent install`; `bankdesk agent uninstall` removes it.",
		"[Unit]",
		"Description=Bankdesk keep-alive: keeps bank connections alive and reminds about consents",
		"",
		"[Service]",
		"Type=oneshot",
		"ExecStart=" + strings.Join(exec, " "),
	}
	for _, kv := range job.Env {
		lines = append(lines, "Environment="+systemdQuote(kv, false))
	}
	// A oneshot waits for ever by default; a hung bank must not keep the
	// next day's run from starting.
	lines = append(lines, "TimeoutStartSec=15min", "")
	service = []byte(strings.Join(lines, "\n"))
	timer = []byte(strings.Join([]string{
		"# Written by `bankdesk agent install`; `bankdesk agent uninstall` removes it.",
		"[Unit]",
		"Description=Run Bankdesk keep-alive daily and at login",
		"",
		"[Timer]",
		"OnCalendar=daily",
		"Persistent=true",
		"RandomizedDelaySec=15min",
		"OnStartupSec=" + strconv.Itoa(int(loginDelay/time.Second)) + "s",
		"",
		"[Install]",
		"WantedBy=timers.target",
		"",
	}, "\n"))
	return service, timer, nil
}

// systemdProgram quotes ExecStart='s program (systemd.service, "Command
// lines"). systemd refuses a program path with a quote or a backslash in
// it, and expands specifiers (%) in it but not variables ($).
func systemdProgram(p string) (string, error) {
	if strings.ContainsAny(p, `"'\`) {
		return "", refused("systemd cannot run a program whose path holds a quote or a backslash: %q", p)
	}
	return `"` + strings.ReplaceAll(p, "%", "%%") + `"`, nil
}

// systemdArg is one argument of ExecStart=: bare where nothing in it is
// special, else quoted, with $ doubled (variables are expanded there).
func systemdArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"'\\%$;") {
		return s
	}
	return systemdQuote(s, true)
}

// systemdQuote double-quotes s with C-style escapes (systemd.syntax,
// "Quoting") and % doubled (specifiers); dollars doubled too where
// variables are expanded (ExecStart='s arguments, not Environment=).
func systemdQuote(s string, dollars bool) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `%`, `%%`)
	s = r.Replace(s)
	if dollars {
		s = strings.ReplaceAll(s, "$", "$$")
	}
	return `"` + s + `"`
}

// splitQuoted splits a command line of bare and double-quoted words, a
// backslash escaping the next character inside quotes (the quoting of
// systemd.syntax and of the Desktop Entry spec's Exec key).
func splitQuoted(s string) []string {
	var (
		words  []string
		w      strings.Builder
		in, ok bool // in quotes; a word is open
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case in && c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
		case c == '"':
			in, ok = !in, true
		case !in && (c == ' ' || c == '\t'):
			if ok {
				words = append(words, w.String())
				w.Reset()
				ok = false
			}
		default:
			w.WriteByte(c)
			ok = true
		}
	}
	if ok {
		words = append(words, w.String())
	}
	return words
}

// keyValues are the "Key=value" lines of a unit or desktop entry, the
// first of each key.
func keyValues(b []byte) map[string]string {
	out := map[string]string{}
	for line := range strings.Lines(string(b)) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if _, seen := out[k]; ok && !seen && !strings.HasPrefix(k, "#") {
			out[k] = v
		}
	}
	return out
}

// parseService reads back the command and environment of a service
// renderSystemd wrote.
func parseService(b []byte) (cmd, env []string) {
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "ExecStart="); ok {
			for i, w := range splitQuoted(v) {
				w = strings.ReplaceAll(w, "%%", "%")
				if i > 0 {
					w = strings.ReplaceAll(w, "$$", "$")
				}
				cmd = append(cmd, w)
			}
		}
		if v, ok := strings.CutPrefix(line, "Environment="); ok {
			for _, w := range splitQuoted(v) {
				env = append(env, strings.ReplaceAll(w, "%%", "%"))
			}
		}
	}
	return cmd, env
}

// timerSchedule is a timer's schedule in words, and its daily time when
// it has one.
func timerSchedule(b []byte) (words string, hour, minute int, daily bool) {
	kv := keyValues(b)
	_, atLogin := kv["OnStartupSec"]
	cal := kv["OnCalendar"]
	switch {
	case cal == "daily":
		return dailyWords(0, 0, atLogin), 0, 0, true
	case strings.HasPrefix(cal, "*-*-* "):
		if t, err := time.Parse("15:04:05", strings.TrimPrefix(cal, "*-*-* ")); err == nil {
			return dailyWords(t.Hour(), t.Minute(), atLogin), t.Hour(), t.Minute(), true
		}
	case cal == "" && atLogin:
		return "at login", 0, 0, false
	}
	return "OnCalendar=" + cal, 0, 0, false
}

// renderAutostart is the XDG autostart entry (Desktop Application
// Autostart spec): the desktop runs it at login. Settings go in through
// env(1), the entry having no key for them.
func renderAutostart(h Host, job Job) []byte {
	var exec []string
	if len(job.Env) > 0 {
		env, err := h.LookPath("env")
		if err != nil || !filepath.IsAbs(env) {
			env = "/usr/bin/env"
		}
		exec = append(exec, launcher.QuoteExec(env))
		for _, kv := range job.Env {
			exec = append(exec, launcher.QuoteExec(kv))
		}
	}
	for _, a := range job.Command() {
		exec = append(exec, launcher.QuoteExec(a))
	}
	return []byte(strings.Join([]string{
		"# Written by `bankdesk agent install`; `bankdesk agent uninstall` removes it.",
		"[Desktop Entry]",
		"Type=Application",
		"Name=Bankdesk keep-alive",
		"Comment=Keeps bank connections alive and reminds about consents while Bankdesk is closed",
		"Exec=" + strings.Join(exec, " "),
		"Terminal=false",
		"NoDisplay=true",
		"X-GNOME-Autostart-Delay=" + strconv.Itoa(int(loginDelay/time.Second)),
		"",
	}, "\n"))
}

// parseAutostart reads back the command and environment of an entry
// renderAutostart wrote.
func parseAutostart(b []byte) (cmd, env []string) {
	var words []string
	for _, w := range splitQuoted(unescapeString(keyValues(b)["Exec"])) {
		words = append(words, strings.ReplaceAll(w, "%%", "%"))
	}
	if len(words) > 0 && filepath.Base(words[0]) == "env" {
		words = words[1:]
		for len(words) > 0 && strings.Contains(words[0], "=") {
			env, words = append(env, words[0]), words[1:]
		}
	}
	return words, env
}

// unescapeString undoes a desktop entry's string escapes (\s \n \t \r
// \\), which apply before the Exec key's quoting.
func unescapeString(v string) string {
	return strings.NewReplacer(`\\`, `\`, `\s`, " ", `\n`, "\n", `\t`, "\t", `\r`, "\r").Replace(v)
}

// systemdUser reports whether a systemd user manager answers.
func systemdUser(ctx context.Context, h Host) bool {
	if _, err := h.LookPath("systemctl"); err != nil {
		return false
	}
	_, err := h.Run(ctx, "systemctl", "--user", "show", "--property=Version")
	return err == nil
}

// systemctl runs `systemctl --user args...`.
func systemctl(ctx context.Context, h Host, args ...string) (string, error) {
	return h.Run(ctx, "systemctl", append([]string{"--user"}, args...)...)
}

// timerOn reports whether the timer is enabled and running.
func timerOn(ctx context.Context, h Host) bool {
	enabled, _ := systemctl(ctx, h, "is-enabled", UnitName+".timer")
	active, _ := systemctl(ctx, h, "is-active", UnitName+".timer")
	return strings.TrimSpace(enabled) == "enabled" && strings.TrimSpace(active) == "active"
}

func installLinux(ctx context.Context, h Host, job Job) (bool, error) {
	p, err := pathsLinux(h)
	if err != nil {
		return false, err
	}
	if !systemdUser(ctx, h) {
		changed, err := writeFiles([]file{{p.autostart, renderAutostart(h, job)}})
		if err != nil {
			return changed, err
		}
		// Units from an earlier install would run the job a second time
		// whenever a user manager runs.
		removed, err := removeSystemd(ctx, h, p, false)
		return changed || removed, err
	}
	service, timer, err := renderSystemd(job)
	if err != nil {
		return false, err
	}
	changed, err := writeFiles([]file{{p.service, service}, {p.timer, timer}})
	if err != nil {
		return changed, err
	}
	removed, err := removeFiles(p.autostart)
	if err != nil {
		return changed, err
	}
	if changed {
		if _, err := systemctl(ctx, h, "daemon-reload"); err != nil {
			return true, err
		}
	}
	if changed || !timerOn(ctx, h) {
		if _, err := systemctl(ctx, h, "enable", "--now", UnitName+".timer"); err != nil {
			return true, err
		}
		changed = true
	}
	return changed || removed, nil
}

// removeSystemd disables the timer (where a user manager answers) and
// removes the units; it reports whether there were any.
func removeSystemd(ctx context.Context, h Host, p linuxPaths, manager bool) (bool, error) {
	if len(existing(p.service, p.timer, p.wants)) == 0 {
		return false, nil
	}
	if manager {
		if _, err := systemctl(ctx, h, "disable", "--now", UnitName+".timer"); err != nil {
			return false, err
		}
	}
	// disable removed the link where it ran; without a manager it is ours
	// to remove.
	removed, err := removeFiles(p.wants, p.timer, p.service)
	if err != nil {
		return removed, err
	}
	if manager {
		if _, err := systemctl(ctx, h, "daemon-reload"); err != nil {
			return true, err
		}
	}
	return true, nil
}

func uninstallLinux(ctx context.Context, h Host) (bool, error) {
	p, err := pathsLinux(h)
	if err != nil {
		return false, err
	}
	units, err := removeSystemd(ctx, h, p, systemdUser(ctx, h))
	if err != nil {
		return units, err
	}
	entry, err := removeFiles(p.autostart)
	return units || entry, err
}

func statusLinux(ctx context.Context, h Host, want Job) (Status, error) {
	p, err := pathsLinux(h)
	if err != nil {
		return Status{}, err
	}
	manager := systemdUser(ctx, h)
	s := Status{Kind: XDGAutostart, Schedule: "at login"}
	if manager {
		s.Kind, s.Schedule = SystemdTimer, dailyWords(Daily.Hour, Daily.Minute, true)
	}
	if units := existing(p.service, p.timer); len(units) > 0 {
		s.Kind, s.Files, s.Installed = SystemdTimer, units, true
		service, _ := os.ReadFile(p.service)
		timer, _ := os.ReadFile(p.timer)
		s.Command, s.Env = parseService(service)
		var hour, minute int
		var daily bool
		s.Schedule, hour, minute, daily = timerSchedule(timer)
		switch {
		case len(units) < 2:
			s.Problem = "the timer or its service is missing; install it again"
		case !manager:
			s.Problem = "no systemd user manager is running, so the timer does not run now"
		case !timerOn(ctx, h):
			s.Problem = "the timer is not enabled; install it again to turn it on"
		default:
			out, _ := systemctl(ctx, h, "show", UnitName+".timer", "--property=NextElapseUSecRealtime", "--value", "--timestamp=unix")
			s.NextRun = systemdTime(out)
		}
		if s.NextRun.IsZero() && daily && s.Problem == "" {
			s.NextRun = nextDaily(h.Now(), hour, minute)
		}
		if svc, tmr, err := renderSystemd(want); err == nil {
			s.Current = same([]file{{p.service, svc}, {p.timer, tmr}})
		}
		return s, nil
	}
	if entry, err := os.ReadFile(p.autostart); err == nil {
		s.Kind, s.Files, s.Installed, s.Schedule = XDGAutostart, []string{p.autostart}, true, "at login"
		s.Command, s.Env = parseAutostart(entry)
		s.Current = same([]file{{p.autostart, renderAutostart(h, want)}})
		if manager {
			s.Problem = "it runs at login only; install it again for a daily run as well"
		}
	}
	return s, nil
}

// systemdTime reads a timestamp systemctl printed: "@SECONDS"
// (--timestamp=unix, honoured for timers since systemd 259) or the
// default "Thu 2026-05-14 00:07:12 BST" in local time; zero when it says
// none ("", "n/a").
func systemdTime(out string) time.Time {
	out = strings.TrimSpace(out)
	if v, ok := strings.CutPrefix(out, "@"); ok {
		if sec, err := strconv.ParseInt(v, 10, 64); err == nil && sec > 0 {
			return time.Unix(sec, 0)
		}
		return time.Time{}
	}
	f := strings.Fields(out)
	if len(f) < 3 {
		return time.Time{}
	}
	t, err := time.ParseInLocation("Mon 2006-01-02 15:04:05", strings.Join(f[:3], " "), time.Local)
	if err != nil {
		return time.Time{}
	}
	return t
}
