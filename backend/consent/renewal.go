package consent

import (
	"fmt"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/store"
)

// RenewalWorth is the least a renewal should move a consent's end for it
// to be worth doing now: less, and the screen says that renewing gains
// (almost) nothing yet. It is not a block: a renewal is always allowed.
const RenewalWorth = 7 * 24 * time.Hour

// DateLayout is how a consent's dates read in a sentence.
const DateLayout = "2 January 2006"

// Renewal is what renewing c now would do: the consent would run until
// Until (a renewal grants connect.ConsentDays from today, see
// https://docs.truelayer.com/docs/extend-user-consent), and Note, when
// set, says in a sentence that this gains little over the end it has.
type Renewal struct {
	Until time.Time
	Note  string
}

// RenewalOf tells what renewing c at now gains; zone is where its dates
// are read (nil: time.Local).
func RenewalOf(c store.Connection, now time.Time, zone *time.Location) Renewal {
	if zone == nil {
		zone = time.Local
	}
	r := Renewal{Until: now.AddDate(0, 0, connect.ConsentDays)}
	ends := Of(c, now).ConsentExpiresAt
	if ends.IsZero() || !now.Before(ends) {
		return r
	}
	gain := r.Until.Sub(ends)
	if gain >= RenewalWorth {
		return r
	}
	end, until := ends.In(zone).Format(DateLayout), r.Until.In(zone).Format(DateLayout)
	if end == until || gain < 24*time.Hour {
		r.Note = fmt.Sprintf("Your access already runs until %s, so renewing now would not move that date. You can renew nearer the time; Bankdesk reminds you.", end)
	} else {
		r.Note = fmt.Sprintf("Your access already runs until %s, so renewing now moves it only to %s. You can renew nearer the time; Bankdesk reminds you.", end, until)
	}
	return r
}
