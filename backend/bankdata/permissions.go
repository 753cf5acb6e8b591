package bankdata

import (
	"fmt"
	"strconv"
	"strings"
)

// permissionWords says in plain words what each TrueLayer Data API scope
// lets Bankdesk read (https://docs.truelayer.com/docs/data-api-basics#permissions).
// The screens show these sentences, never the scope ids.
var permissionWords = map[string]string{
	"info":            "your name and contact details held by the bank",
	"accounts":        "your account names, numbers and types",
	"balance":         "your balances",
	"cards":           "your credit and charge cards",
	"transactions":    "your transactions, booked and pending",
	"direct_debits":   "your direct debits",
	"standing_orders": "your standing orders",
}

// Permissions describes scopes as sentences, in their order; offline_access
// lasts a consent of consentDays. A scope without words (a new one) is
// "other data your bank shares", once.
func Permissions(scopes []string, consentDays int) []string {
	out := make([]string, 0, len(scopes))
	other := false
	for _, s := range scopes {
		switch words, ok := permissionWords[s]; {
		case ok:
			out = append(out, words)
		case s == "offline_access":
			out = append(out, fmt.Sprintf("to refresh this data for %d days without asking you again", consentDays))
		case !other:
			other = true
			out = append(out, "other data your bank shares")
		}
	}
	return out
}

// Frequency says an Open Banking standing-order frequency code in words
// (https://docs.truelayer.com/docs/standing-orders): "every month on the
// 26th", "every day". A code it does not know is "" (the screen then says
// only that the payment repeats).
func Frequency(code string) string {
	parts := strings.Split(code, ":")
	n := func(i int) (int, bool) {
		if i >= len(parts) {
			return 0, false
		}
		v, err := strconv.Atoi(parts[i])
		return v, err == nil
	}
	every := func(k int, unit string) string {
		if k <= 1 {
			return "every " + unit
		}
		return fmt.Sprintf("every %d %ss", k, unit)
	}
	switch parts[0] {
	case "EvryDay":
		return "every day"
	case "EvryWorkgDay":
		return "every working day"
	case "IntrvlDay":
		if k, ok := n(1); ok {
			return every(k, "day")
		}
	case "IntrvlWkDay":
		k, ok1 := n(1)
		d, ok2 := n(2)
		if ok1 && ok2 && d >= 1 && d <= 7 {
			return every(k, "week") + " on " + weekdays[d-1]
		}
	case "WkInMnthDay":
		w, ok1 := n(1)
		d, ok2 := n(2)
		if ok1 && ok2 && w >= 1 && w <= 5 && d >= 1 && d <= 7 {
			return "every month on the " + ordinal(w) + " " + weekdays[d-1]
		}
	case "IntrvlMnthDay":
		k, ok1 := n(1)
		d, ok2 := n(2)
		switch {
		case !ok1 || !ok2:
		case d == -1:
			return every(k, "month") + " on the last day"
		case d < 0 && d >= -5:
			return every(k, "month") + fmt.Sprintf(" on the %s last day", ordinal(-d))
		case d >= 1 && d <= 31:
			return every(k, "month") + " on the " + ordinal(d)
		}
	case "QtrDay":
		return "every quarter"
	}
	return ""
}

var weekdays = [...]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// ordinal is 1st, 2nd, 3rd, 4th, 11th, 21st...
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}
