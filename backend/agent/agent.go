// Package agent schedules `bankdesk keepalive` with the operating system,
// daily and at login, so that connections stay alive and reminders arrive
// while no Bankdesk window is open: a refresh token lapses unless used at
// least every 30 days, and a consent ends after 90 (docs/truelayer.md §9).
//
// One job, one schedule per system: a systemd user timer on Linux (an XDG
// autostart entry where there is no systemd user manager: login only), a
// LaunchAgent on macOS, a Task Scheduler task on Windows. Install, Uninstall
// and Status are idempotent. A unit holds the program's absolute path, its
// arguments and the BANKDESK_* settings that find the data (never a token,
// a secret or the passphrase). The render functions take the system as a
// parameter, so every system's files are tested everywhere.
package agent

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"bankdesk/backend/config"
	"bankdesk/backend/internal/atomicfile"
)

// Kind is the mechanism that runs the job.
type Kind string

const (
	SystemdTimer  Kind = "systemd-timer"  // Linux: daily and at login
	XDGAutostart  Kind = "xdg-autostart"  // Linux without a systemd user manager: at login only
	LaunchAgent   Kind = "launch-agent"   // macOS
	ScheduledTask Kind = "scheduled-task" // Windows
)

// Label is the kind in words.
func (k Kind) Label() string {
	switch k {
	case SystemdTimer:
		return "systemd user timer"
	case XDGAutostart:
		return "login item (XDG autostart)"
	case LaunchAgent:
		return "macOS LaunchAgent"
	case ScheduledTask:
		return "Windows Task Scheduler task"
	}
	return "none"
}

// Names of the job on each system.
const (
	UnitName      = "bankdesk-keepalive" // .service and .timer (Linux), .desktop (autostart), .xml (Windows)
	LaunchdLabel  = "com.wails.bankdesk.keepalive"
	TaskName      = `Bankdesk\KeepAlive`
	KeepAliveVerb = "keepalive"
)

// Daily is when the daily run is due, local time: midnight, as systemd's
// OnCalendar=daily. Each system catches up a run it missed while the
// computer was off or asleep (Persistent=, launchd's coalescing,
// StartWhenAvailable), and the login run covers the rest.
var Daily = struct{ Hour, Minute int }{0, 0}

// Host is the machine the job is scheduled on: its system, environment, and
// how commands run. System is the real one; tests give their own.
type Host struct {
	OS         string // a runtime.GOOS value: linux, darwin, windows
	Getenv     func(string) string
	LookPath   func(string) (string, error)
	Run        func(ctx context.Context, name string, args ...string) (string, error) // stdout; an error for a non-zero exit
	Executable func() (string, error)                                                 // this program, absolute, symlinks resolved
	Stat       func(string) (fs.FileInfo, error)
	UID        int
	Now        func() time.Time
}

// System is this machine.
func System() Host {
	return Host{
		OS:       runtime.GOOS,
		Getenv:   os.Getenv,
		LookPath: exec.LookPath,
		Run:      runCommand,
		Executable: func() (string, error) {
			exe, err := os.Executable()
			if err != nil {
				return "", err
			}
			return filepath.EvalSymlinks(exe)
		},
		Stat: os.Stat,
		UID:  os.Getuid(),
		Now:  time.Now,
	}
}

// runCommand runs name with args; a failure carries the command's own
// words (its stderr), which name what went wrong.
func runCommand(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return string(out), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, firstLine(msg))
		}
		return string(out), fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return string(out), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// Job is what the schedule runs: a program by its absolute path, its
// arguments, and environment settings ("KEY=value"), none of them secret.
type Job struct {
	Exe  string
	Args []string
	Env  []string
}

// Command is the job's program and arguments.
func (j Job) Command() []string { return append([]string{j.Exe}, j.Args...) }

// envLocating are the settings that tell `bankdesk keepalive` where the
// data and its key are. Nothing else goes into a unit: the client secret
// and the passphrase never do, and the environment and client are saved
// in the data directory by Settings.
var envLocating = []string{"BANKDESK_DATA_DIR", "BANKDESK_VAULT_DIR", "BANKDESK_KEYRING"}

// KeepAlive is the job that runs this program's `keepalive` on the data of
// cfg (the configuration this program runs with). The data directory is
// given absolute, so the job finds the same data whatever environment the
// scheduler gives it. Task Scheduler cannot pass environment settings, so
// on Windows only those set explicitly go in (and Install refuses them).
func KeepAlive(h Host, cfg config.Config) (Job, error) {
	exe, err := h.Executable()
	if err != nil {
		return Job{}, fmt.Errorf("find this program: %w", err)
	}
	if !isAbs(h.OS, exe) {
		return Job{}, fmt.Errorf("find this program: %q is not an absolute path", exe)
	}
	job := Job{Exe: exe, Args: []string{KeepAliveVerb}}
	values := map[string]string{"BANKDESK_DATA_DIR": cfg.DataDir, "BANKDESK_VAULT_DIR": cfg.VaultDir, "BANKDESK_KEYRING": cfg.Keyring}
	for _, name := range envLocating {
		explicit := strings.TrimSpace(h.Getenv(name)) != ""
		if !explicit && (h.OS == "windows" || name != "BANKDESK_DATA_DIR") {
			continue
		}
		v := values[name]
		if name != "BANKDESK_KEYRING" && h.OS == runtime.GOOS {
			if v, err = filepath.Abs(v); err != nil {
				return Job{}, fmt.Errorf("%s: %w", name, err)
			}
		}
		job.Env = append(job.Env, name+"="+v)
	}
	return job, nil
}

// isAbs reports whether p is absolute on the system goos.
func isAbs(goos, p string) bool {
	if goos == "windows" {
		return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') ||
			strings.HasPrefix(p, `\\`)
	}
	return strings.HasPrefix(p, "/")
}

// RefusedError is a job the system's scheduler cannot carry as it is; its
// text says why, for a person.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

func refused(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// check refuses a job no unit can carry as it is.
func (j Job) check(goos string) error {
	if !isAbs(goos, j.Exe) {
		return refused("the program's path %q is not absolute", j.Exe)
	}
	for _, s := range append(j.Command(), j.Env...) {
		if strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return refused("%q holds a control character", s)
		}
	}
	for _, kv := range j.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || !slices.Contains(envLocating, k) {
			return refused("%q is not a setting a unit may carry", kv)
		}
	}
	return nil
}

// Status is the job as the system has it.
type Status struct {
	Supported bool     // this system has a scheduler Bankdesk knows
	Installed bool     // the job's files are in place (and, where Bankdesk can ask, registered)
	Kind      Kind     // the installed mechanism, or the one Install would use
	Files     []string // the job's files on disk
	Task      string   // Windows: the Task Scheduler task's name
	Command   []string // what it runs: the program and its arguments
	Env       []string // the settings it runs with
	Schedule  string   // when, in words: "daily at 00:00 and at login"
	NextRun   time.Time
	Current   bool   // it runs this program, as Install would write it now
	Problem   string // what is wrong with an installed job, in words; "" when nothing
}

// ErrUnsupported is Install on a system without a scheduler Bankdesk knows.
var ErrUnsupported = errors.New("Bankdesk cannot schedule a background job on this system")

// file is one file a schedule consists of.
type file struct {
	path string
	data []byte
}

// Install schedules job, or brings the schedule up to date with it. It
// reports whether anything changed: installing what is installed already
// changes nothing.
func Install(ctx context.Context, h Host, job Job) (changed bool, err error) {
	if err := job.check(h.OS); err != nil {
		return false, fmt.Errorf("install the background job: %w", err)
	}
	switch h.OS {
	case "linux":
		changed, err = installLinux(ctx, h, job)
	case "darwin":
		changed, err = installRegistered(ctx, h, launchdJob, func() ([]byte, error) { return renderLaunchAgent(job) })
	case "windows":
		changed, err = installRegistered(ctx, h, scheduledTask, func() ([]byte, error) { return renderTask(job, windowsUser(h)) })
	default:
		return false, ErrUnsupported
	}
	if err != nil {
		return changed, fmt.Errorf("install the background job: %w", err)
	}
	return changed, nil
}

// Uninstall removes the schedule; it reports whether there was one.
// Nothing installed is not an error.
func Uninstall(ctx context.Context, h Host) (removed bool, err error) {
	switch h.OS {
	case "linux":
		removed, err = uninstallLinux(ctx, h)
	case "darwin":
		removed, err = uninstallRegistered(ctx, h, launchdJob)
	case "windows":
		removed, err = uninstallRegistered(ctx, h, scheduledTask)
	default:
		return false, nil
	}
	if err != nil {
		return removed, fmt.Errorf("remove the background job: %w", err)
	}
	return removed, nil
}

// StatusOf reports the schedule; want is the job Install would schedule
// now, to tell whether the installed one is current.
func StatusOf(ctx context.Context, h Host, want Job) (Status, error) {
	var (
		s   Status
		err error
	)
	switch h.OS {
	case "linux":
		s, err = statusLinux(ctx, h, want)
	case "darwin":
		s, err = statusLaunchd(ctx, h, want)
	case "windows":
		s, err = statusTask(ctx, h, want)
	default:
		return Status{}, nil
	}
	if err != nil {
		return s, fmt.Errorf("read the background job: %w", err)
	}
	s.Supported = true
	if s.Installed && s.Problem == "" && len(s.Command) > 0 {
		_, err := h.Stat(s.Command[0])
		switch {
		case errors.Is(err, fs.ErrNotExist):
			s.Problem = "the program it runs is gone; install it again from this copy of Bankdesk"
		case s.Current:
		case s.Command[0] != want.Exe:
			s.Problem = fmt.Sprintf("it runs another copy of Bankdesk (%s); install it again to run this one", s.Command[0])
		default:
			s.Problem = "it runs with other settings than this Bankdesk; install it again to use these"
		}
	}
	return s, nil
}

// registered is a schedule the system keeps once told about its file
// (launchd, Task Scheduler): the file, and the commands that load and
// unload it.
type registered struct {
	path         string
	data         []byte
	isLoaded     func(context.Context, Host) bool
	load, unload []string
	keepsOld     bool // a changed file must be unloaded before it is loaded again
}

// installRegistered installs the schedule of (for h) with the file render writes.
func installRegistered(ctx context.Context, h Host, of func(Host) (registered, error), render func() ([]byte, error)) (bool, error) {
	r, err := of(h)
	if err != nil {
		return false, err
	}
	if r.data, err = render(); err != nil {
		return false, err
	}
	return r.install(ctx, h)
}

// uninstallRegistered uninstalls the schedule of (for h).
func uninstallRegistered(ctx context.Context, h Host, of func(Host) (registered, error)) (bool, error) {
	r, err := of(h)
	if err != nil {
		return false, err
	}
	return r.uninstall(ctx, h)
}

// install writes the file where it differs and loads it where it changed
// or is not loaded; it reports whether it did either.
func (r registered) install(ctx context.Context, h Host) (bool, error) {
	changed, err := writeFiles([]file{{r.path, r.data}})
	if err != nil {
		return changed, err
	}
	loaded := r.isLoaded(ctx, h)
	if changed && loaded && r.keepsOld {
		if _, err := h.Run(ctx, r.unload[0], r.unload[1:]...); err != nil {
			return true, err
		}
	}
	if changed || !loaded {
		if _, err := h.Run(ctx, r.load[0], r.load[1:]...); err != nil {
			return true, err
		}
		changed = true
	}
	return changed, nil
}

// uninstall unloads it where it is loaded and removes the file; it reports
// whether there was either.
func (r registered) uninstall(ctx context.Context, h Host) (bool, error) {
	unloaded := false
	if r.isLoaded(ctx, h) {
		if _, err := h.Run(ctx, r.unload[0], r.unload[1:]...); err != nil {
			return false, err
		}
		unloaded = true
	}
	removed, err := removeFiles(r.path)
	return unloaded || removed, err
}

// writeFiles writes each file whose content differs; it reports whether
// any did.
func writeFiles(files []file) (changed bool, err error) {
	for _, f := range files {
		if have, err := os.ReadFile(f.path); err == nil && bytes.Equal(have, f.data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
			return changed, err
		}
		if err := atomicfile.WriteFile(f.path, f.data); err != nil {
			return changed, err
		}
		changed = true
	}
	return changed, nil
}

// removeFiles removes those of paths that exist; it reports whether any did.
func removeFiles(paths ...string) (removed bool, err error) {
	for _, p := range paths {
		err := os.Remove(p)
		switch {
		case err == nil:
			removed = true
		case !errors.Is(err, fs.ErrNotExist):
			return removed, err
		}
	}
	return removed, nil
}

// existing is those of paths that exist.
func existing(paths ...string) []string {
	var out []string
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// same reports whether every file is on disk with its content.
func same(files []file) bool {
	for _, f := range files {
		if have, err := os.ReadFile(f.path); err != nil || !bytes.Equal(have, f.data) {
			return false
		}
	}
	return true
}

// homeDir is $HOME, which must be absolute.
func homeDir(h Host) (string, error) {
	home := h.Getenv("HOME")
	if home == "" || !filepath.IsAbs(home) {
		return "", errors.New("HOME is not set to an absolute path")
	}
	return home, nil
}

// nextDaily is the first time at hour:minute (local time) after now.
func nextDaily(now time.Time, hour, minute int) time.Time {
	t := time.Date(now.Year(), now.Month(), now.Day(), hour, minute, 0, 0, now.Location())
	if !t.After(now) {
		t = time.Date(now.Year(), now.Month(), now.Day()+1, hour, minute, 0, 0, now.Location())
	}
	return t
}

// dailyWords is the schedule "daily at HH:MM", with the login run.
func dailyWords(hour, minute int, atLogin bool) string {
	s := fmt.Sprintf("daily at %02d:%02d", hour, minute)
	if atLogin {
		s += " and at login"
	}
	return s
}

// KeepsAlive reports whether the job is installed, current and sound for
// cfg's data: then refresh tokens stay in use while no window is open.
func KeepsAlive(ctx context.Context, h Host, cfg config.Config) bool {
	job, err := KeepAlive(h, cfg)
	if err != nil {
		return false
	}
	s, err := StatusOf(ctx, h, job)
	return err == nil && s.Installed && s.Current && s.Problem == ""
}
