package consent

import (
	"strings"
	"testing"
	"time"

	"bankdesk/backend/store"
)

func TestRenewalSaysWhenItGainsLittle(t *testing.T) {
	created := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := store.Connection{ConsentCreatedAt: created, ConsentExpiresAt: created.AddDate(0, 0, 90)}
	for _, tc := range []struct {
		days int
		want string // in the note; "" = no note
	}{
		{0, "renewing now would not move that date"},
		{1, "moves it only to 2 March 2027"},
		{3, "moves it only to 4 March 2027"},
		{10, ""},
		{85, ""},
	} {
		r := RenewalOf(c, created.AddDate(0, 0, tc.days), time.UTC)
		if want := created.AddDate(0, 0, tc.days+90); !r.Until.Equal(want) {
			t.Errorf("day %d: until %v, want %v", tc.days, r.Until, want)
		}
		if tc.want == "" && r.Note != "" || tc.want != "" && !strings.Contains(r.Note, tc.want) {
			t.Errorf("day %d: note %q, want %q", tc.days, r.Note, tc.want)
		}
	}
}
