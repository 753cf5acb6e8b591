package desk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"bankdesk/backend/consent"
	"bankdesk/backend/datadir"
	"bankdesk/backend/notify"
	"bankdesk/backend/schedule"
	"bankdesk/backend/store"
	"bankdesk/backend/vault"
	"bankdesk/backend/view"
)

// Notifier shows a desktop notification (notify.Send); an error means it
// was not shown.
type Notifier func(context.Context, notify.Notification) error

// Headless is what one KeepAliveHeadless run did.
type Headless struct {
	// HandedOver: another Bankdesk, the open window, has the data
	// directory; its Run keeps the connections and reminds, so nothing
	// was done here.
	HandedOver bool
	// Locked: the key is behind a passphrase the job does not have, so
	// nothing was refreshed and the reminders came from the schedule file.
	Locked bool
	// Kept is what keep-alive did with each connection (none when Locked).
	Kept []consent.KeepAliveResult
	// Reminded are the reminders fired.
	Reminded []HeadlessReminder
}

// HeadlessReminder is one reminder the job fired.
type HeadlessReminder struct {
	ConnectionID string // "" for one from the schedule file (it holds no ids)
	Bank         string // the bank's name, or the schedule file's label
	DaysLeft     int
	Message      string
	// Shown is nil when a desktop notification showed it; otherwise why
	// not (notify.ErrUnavailable), and the log alone has it.
	Shown error
}

// headlessTimeout bounds one run: a bank that does not answer must not
// keep the data directory locked until the next run.
const headlessTimeout = 5 * time.Minute

// HeadlessLockWait is how long the job waits for the data directory's
// lock: a held lock means the window (or another command) is open, and
// the job never queues behind it.
const HeadlessLockWait = 200 * time.Millisecond

// KeepAliveHeadless is the background job (`bankdesk keepalive`): the
// window's keep-alive and reminders (KeepAliveAndRemind) while no window
// is open, each reminder a desktop notification. It never asks for a
// passphrase. With the key in the OS keyring (or the passphrase given,
// Config.Passphrase) it opens the store and refreshes the tokens that
// need it; with a passphrase vault it cannot, and reminds from the
// schedule file alone, never touching the sealed store. When a window
// holds the data directory it does nothing: the window's Run checks every
// consent.KeepAliveCheck. A directory with no data yet is left as it is.
// opts.Passphrase and opts.Sink are its own; a zero LockTimeout is
// HeadlessLockWait.
func KeepAliveHeadless(ctx context.Context, opts Options, show Notifier) (Headless, error) {
	ctx, cancel := context.WithTimeout(ctx, headlessTimeout)
	defer cancel()
	opts.Passphrase = nil // never ask
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = HeadlessLockWait
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	cfg := opts.Config
	if info, err := os.Stat(cfg.StorePath()); err != nil || info.Size() == 0 {
		return Headless{}, nil // nothing connected yet; a first run is the window's to make
	}
	key, err := vault.FindKeyMaterial(cfg.VaultDir)
	if err != nil {
		return Headless{}, err
	}
	if key.KeyFile && cfg.Passphrase == "" {
		return remindFromSchedule(ctx, opts, show)
	}
	sink := &headlessSink{ctx: ctx, show: show}
	opts.Sink = sink
	d, err := Open(opts)
	if errors.Is(err, store.ErrAlreadyRunning) {
		return Headless{HandedOver: true}, nil
	}
	if err != nil {
		return Headless{}, err
	}
	defer func() { _ = d.Close() }()
	rep := d.KeepAliveAndRemind(ctx)
	out := Headless{Kept: rep.Kept}
	for _, r := range rep.Reminded {
		out.Reminded = append(out.Reminded, HeadlessReminder{ConnectionID: r.ConnectionID, Bank: r.ProviderName, DaysLeft: r.DaysLeft, Message: r.Message, Shown: r.Shown})
	}
	return out, nil
}

// remindFromSchedule fires the schedule file's due steps, each once, under
// the data directory's lock (a window that holds it reminds instead).
func remindFromSchedule(ctx context.Context, opts Options, show Notifier) (Headless, error) {
	_, o := dirOptions(opts)
	lock, err := datadir.Hold(o)
	if errors.Is(err, store.ErrAlreadyRunning) {
		return Headless{HandedOver: true}, nil
	}
	if err != nil {
		return Headless{}, err
	}
	defer func() { _ = lock.Unlock() }()
	out := Headless{Locked: true}
	f, err := schedule.Read(o.SchedulePath())
	if err != nil {
		return out, err
	}
	for _, r := range f.Due(opts.Now()) {
		shown := show(ctx, notify.Notification{Title: "Bankdesk", Body: r.Message})
		f.MarkNotified(r) // once, shown or not: the log has it either way
		out.Reminded = append(out.Reminded, HeadlessReminder{Bank: r.Entry.Label, DaysLeft: r.DaysLeft, Message: r.Message, Shown: shown})
	}
	if len(out.Reminded) == 0 {
		return out, nil
	}
	if err := schedule.Write(o.SchedulePath(), f); err != nil {
		return out, fmt.Errorf("remember the reminders shown: %w", err)
	}
	return out, nil
}

// headlessSink shows reminders as desktop notifications and nothing else:
// there is no window to tell.
type headlessSink struct {
	nopSink
	ctx  context.Context
	show Notifier
}

func (s *headlessSink) Reminder(r view.ReminderView) error {
	return s.show(s.ctx, notify.Notification{Title: "Bankdesk: " + r.ProviderName, Body: r.Message})
}
