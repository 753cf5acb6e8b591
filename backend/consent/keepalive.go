package consent

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
)

// KeepAliveAge is how old the last use of a refresh token may be before
// KeepAlive uses it. A day: an app that runs at all, started now and then
// and left open, refreshes at start and daily, and the 30-day idle window
// never comes close.
const KeepAliveAge = 24 * time.Hour

// KeepAliveAction is what KeepAlive did with one connection.
type KeepAliveAction string

const (
	// Refreshed: the refresh token was used (and rotated); the idle
	// deadline is 30 days away again.
	Refreshed KeepAliveAction = "refreshed"
	// UsedRecently: the token was used within KeepAliveAge; nothing to do.
	UsedRecently KeepAliveAction = "used_recently"
	// Lost: TrueLayer refused the refresh token (invalid_grant): the
	// connection is now reconnect_needed. Its data is kept.
	Lost KeepAliveAction = "reconnect_needed"
	// Failed: TrueLayer could not be reached or answered with a transient
	// error; the next KeepAlive tries again.
	Failed KeepAliveAction = "failed"
	// Skipped: the connection needs the user (reconnect, or a consent that
	// has ended); refreshing cannot help.
	Skipped KeepAliveAction = "skipped"
)

// KeepAliveResult is what KeepAlive did for one connection.
type KeepAliveResult struct {
	ConnectionID, ProviderName string
	Action                     KeepAliveAction
	Err                        error // why, for Lost and Failed
	Info                       Info  // the connection afterwards
}

// KeepAlive uses the refresh token of every active connection whose last
// use is KeepAliveAge old or more, so that no connection is lost to 30
// days without use while Bankdesk runs at all: call it at start and daily.
// Connections closest to their idle deadline go first, so a start that is
// cut short saves the one most at risk. A refresh TrueLayer refuses
// (invalid_grant) marks the connection reconnect_needed, through the token
// Keeper, and keeps all its data.
//
// The error is for a store that cannot be read; what happened to each
// connection is in its result.
func (s *Service) KeepAlive(ctx context.Context) ([]KeepAliveResult, error) {
	conns, err := s.Store.Connections()
	if err != nil {
		return nil, fmt.Errorf("keep alive: read connections: %w", err)
	}
	now := s.now()
	slices.SortStableFunc(conns, func(a, b store.Connection) int {
		return Of(a, now).RefreshIdleDeadline.Compare(Of(b, now).RefreshIdleDeadline)
	})
	out := make([]KeepAliveResult, 0, len(conns))
	for _, c := range conns {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		out = append(out, s.keepAlive(ctx, c))
	}
	return out, nil
}

func (s *Service) keepAlive(ctx context.Context, c store.Connection) KeepAliveResult {
	now := s.now()
	info := Of(c, now)
	res := KeepAliveResult{ConnectionID: c.ID, ProviderName: info.ProviderName, Info: info}
	lastUse := firstTime(c.LastRefreshAt, info.ConsentCreatedAt)
	switch {
	case c.Status != store.StatusActive, info.Status == Expired:
		res.Action = Skipped
		return res
	case now.Sub(lastUse) < KeepAliveAge:
		res.Action = UsedRecently
		return res
	}
	_, err := s.Tokens.Refresh(ctx, c.ID)
	switch {
	case err == nil:
		res.Action = Refreshed
		s.log().Info("refresh token used to keep the connection", "connection", c.ID)
	case errors.Is(err, tokens.ErrReconnectNeeded):
		res.Action, res.Err = Lost, err
		s.log().Warn("connection lost: TrueLayer refused its refresh token", "connection", c.ID, "err", err)
	default:
		res.Action, res.Err = Failed, err
		s.log().Warn("keep alive failed; trying again later", "connection", c.ID, "err", err)
	}
	if after, err := s.Store.Connection(c.ID); err == nil {
		res.Info = Of(after, s.now())
	}
	return res
}

// KeepAliveCheck is how often desk.Run calls KeepAlive. Hourly rather
// than daily: a computer that sleeps pauses timers, and a check that finds
// every token used within the day costs only a store read.
const KeepAliveCheck = time.Hour
