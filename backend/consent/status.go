// Package consent looks after the life of each bank connection: how long it
// has left (Of, Infos), keeping its refresh token in use so thirty idle days
// never cost the connection (KeepAlive), reminders before either deadline
// (Due), and renewing the 90-day consent through TrueLayer's
// connections/extend, or a fresh bank login where extend cannot (Extend).
//
// A connection has two deadlines. The consent ends 90 days after the user
// gave it (TrueLayer's /me says when; else Bankdesk assumes 90 days), and
// only the user can renew it. The refresh token must be used at least every
// 30 days; Bankdesk can do that by itself whenever it runs.
package consent

import (
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/store"
)

// Status is a connection's state as the user sees it.
type Status string

const (
	// Active: both deadlines are more than ExpiringWithin away.
	Active Status = "active"
	// Expiring: the consent or the refresh deadline is within
	// ExpiringWithin; the data still updates.
	Expiring Status = "expiring"
	// ReconnectNeeded: TrueLayer refused the refresh token or the data
	// (expired, revoked), or the token went unused past its deadline. All
	// data is kept; logging in at the bank again brings it back.
	ReconnectNeeded Status = "reconnect_needed"
	// Expired: the 90-day consent has ended. UK consents can still be
	// extended for a while (Extend); otherwise the user logs in again.
	Expired Status = "expired"
)

// Lifetimes, after TrueLayer's rules (docs/truelayer.md §9).
const (
	// RefreshIdle is how long a refresh token stays valid unused.
	RefreshIdle = 30 * 24 * time.Hour
	// ExpiringWithin is how close a deadline makes a connection Expiring:
	// the first reminder step.
	ExpiringWithin = 14 * 24 * time.Hour
)

// Info is what the UI shows about one connection's consent. It holds no
// secret.
type Info struct {
	ConnectionID, ProviderID, ProviderName string
	// ConsentCreatedAt and ConsentExpiresAt come from /me when the bank
	// gives them, else the connection's creation and 90 days after.
	ConsentCreatedAt, ConsentExpiresAt time.Time
	// RefreshIdleDeadline is RefreshIdle after the refresh token was last
	// used, never past ConsentExpiresAt.
	RefreshIdleDeadline time.Time
	// DaysLeft is the whole days until the consent ends (ConsentExpiresAt),
	// rounded down: negative once it has ended. It is the number every
	// screen and command shows as "days left"; the refresh deadline is told
	// apart (RefreshIdleDaysLeft, Headline).
	DaysLeft int
	// RefreshIdleDaysLeft is the whole days until RefreshIdleDeadline,
	// rounded down.
	RefreshIdleDaysLeft int
	Status              Status
}

// Headline is the one deadline a screen or command puts first.
type Headline struct {
	Kind     string // KindConsent or KindRefresh
	At       time.Time
	DaysLeft int // whole days until At, rounded down
}

// Headline picks the deadline to put first. It is the consent's end, which
// only the user can push back, unless the refresh token would lapse before
// it and nothing will use the token before then. keptAlive says whether
// something will: the open app's KeepAlive does (true); the command line
// alone does not (false) while Bankdesk has no background job of its own.
func (i Info) Headline(keptAlive bool) Headline {
	if !keptAlive && i.RefreshIdleDeadline.Before(i.ConsentExpiresAt) {
		return Headline{Kind: KindRefresh, At: i.RefreshIdleDeadline, DaysLeft: i.RefreshIdleDaysLeft}
	}
	return Headline{Kind: KindConsent, At: i.ConsentExpiresAt, DaysLeft: i.DaysLeft}
}

// Of describes c's consent as of now. It reads nothing but c.
func Of(c store.Connection, now time.Time) Info {
	created := firstTime(c.ConsentCreatedAt, c.CreatedAt)
	expires := c.ConsentExpiresAt
	if expires.IsZero() && !created.IsZero() {
		expires = created.AddDate(0, 0, connect.ConsentDays)
	}
	idle := firstTime(c.LastRefreshAt, created).Add(RefreshIdle)
	if !expires.IsZero() && idle.After(expires) {
		idle = expires
	}
	info := Info{
		ConnectionID:        c.ID,
		ProviderID:          c.ProviderID,
		ProviderName:        connect.BankName(c, nil), // no bank list here: the name stored when connecting
		ConsentCreatedAt:    created,
		ConsentExpiresAt:    expires,
		RefreshIdleDeadline: idle,
		DaysLeft:            wholeDays(expires.Sub(now)),
		RefreshIdleDaysLeft: wholeDays(idle.Sub(now)),
	}
	switch {
	case !now.Before(expires):
		// The consent is the cause to show even when a refresh also failed:
		// it is what the user renews.
		info.Status = Expired
	case c.Status == store.StatusReconnectNeeded, c.Status == store.StatusRevoked, !now.Before(idle):
		info.Status = ReconnectNeeded
	case idle.Sub(now) <= ExpiringWithin:
		info.Status = Expiring
	default:
		info.Status = Active
	}
	return info
}

// wholeDays rounds d down to whole days: 13 days and 23 hours is 13, one
// hour past is -1.
func wholeDays(d time.Duration) int {
	days := d / (24 * time.Hour)
	if d < 0 && d%(24*time.Hour) != 0 {
		days--
	}
	return int(days)
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t.UTC()
		}
	}
	return time.Time{}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
