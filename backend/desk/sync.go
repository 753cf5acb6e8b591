package desk

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"time"

	"bankdesk/backend/syncer"
	"bankdesk/backend/tokens"
)

// Sync brings one connection up to date; attended says the user started it
// and is watching (no PSD2 daily limit, X-PSU-IP sent). See syncer.Engine.Sync.
func (d *Desk) Sync(ctx context.Context, connectionID string, attended bool, progress func(syncer.Progress)) (syncer.Report, error) {
	return d.syncer.Sync(ctx, connectionID, mode(attended), progress)
}

// SyncAll syncs every connection; see syncer.Engine.SyncAll.
func (d *Desk) SyncAll(ctx context.Context, attended bool, progress func(syncer.Progress)) ([]syncer.Report, error) {
	return d.syncer.SyncAll(ctx, mode(attended), progress)
}

// RetryOlder has the next sync of one connection (every connection when
// connectionID is empty) ask again for the older history its bank refused;
// see syncer.RetryOlder.
func (d *Desk) RetryOlder(connectionID string) error {
	ids := []string{connectionID}
	if connectionID == "" {
		conns, err := d.store.Connections()
		if err != nil {
			return fmt.Errorf("read connections: %w", err)
		}
		ids = ids[:0]
		for _, c := range conns {
			ids = append(ids, c.ID)
		}
	}
	for _, id := range ids {
		if err := syncer.RetryOlder(d.store, id); err != nil {
			return fmt.Errorf("connection %s: %w", id, err)
		}
	}
	return nil
}

// Tokens hands out fresh access tokens for stored connections.
func (d *Desk) Tokens() *tokens.Keeper { return d.tokens }

func mode(attended bool) syncer.Mode {
	if attended {
		return syncer.Attended
	}
	return syncer.Background
}

// pollInterval is the client's first wait between polls of an async task.
// TrueLayer's tasks take a while, so the client's default (500 ms, then
// doubling) suits it. A loopback API host is a sandbox on this machine
// (built-in, or a standalone `bankdesk sandbox`), whose tasks are ready at
// the first poll: waiting half a second on each of a backfill's 75 windows
// would make the sandbox's six years take 30 s instead of about one.
func pollInterval(apiURL string) time.Duration {
	u, err := url.Parse(apiURL)
	if err != nil {
		return 0
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return 10 * time.Millisecond
	}
	return 0 // the client's default
}
