package desk

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/schedule"
)

// readSchedule reads d's schedule file, raw and decoded.
func readSchedule(t *testing.T, d *Desk) (string, schedule.File) {
	t.Helper()
	raw, err := os.ReadFile(d.schedulePath())
	if err != nil {
		t.Fatal(err)
	}
	var f schedule.File
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return string(raw), f
}

// With a passphrase vault the schedule file follows the connections with
// no call of its own at the use cases: a connection made shows up with its
// dates under the generic label, the setting names the bank (and taking
// it back removes the name at once), a disconnect takes it out. It never
// holds a token, a code or an id of the connection.
func TestTheScheduleFileFollowsTheConnections(t *testing.T) {
	ctx := context.Background()
	d := openDesk(t, Options{Config: fileVaultConfig(t, nil)})
	if _, f := readSchedule(t, d); len(f.Connections) != 0 {
		t.Fatalf("before any connection: %+v", f)
	}
	res := testenv.Connect(t, d.Flow(), "john", "doe")
	infos, err := d.Consent().Infos()
	if err != nil || len(infos) != 1 {
		t.Fatalf("infos %+v %v", infos, err)
	}
	want := schedule.Entry{
		ID: schedule.OpaqueID(res.ConnectionID), Label: "your bank",
		ConsentEnds: infos[0].ConsentExpiresAt.Local().Format("2006-01-02"), RefreshBy: infos[0].RefreshIdleDeadline.Local().Format("2006-01-02"),
	}
	raw, f := readSchedule(t, d)
	if len(f.Connections) != 1 || f.Connections[0] != want {
		t.Fatalf("after connect: %s", raw)
	}
	c, err := d.Store().Connection(res.ConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	for what, secret := range map[string]string{"access token": c.AccessToken, "refresh token": c.RefreshToken, "connection id": c.ID, "credentials id": c.CredentialsID, "bank": "Mock"} {
		if secret == "" || strings.Contains(raw, secret) {
			t.Errorf("the schedule file holds the %s (%q): %s", what, secret, raw)
		}
	}

	if v, err := d.SaveLockedReminders(true); err != nil || !v.Applies || !v.NameBanks {
		t.Fatalf("name the bank: %+v %v", v, err)
	}
	if _, f := readSchedule(t, d); f.Connections[0].Label != "Mock" {
		t.Fatalf("named: %+v", f.Connections)
	}
	if _, err := d.SaveLockedReminders(false); err != nil {
		t.Fatal(err)
	}
	if raw, _ := readSchedule(t, d); strings.Contains(raw, "Mock") {
		t.Fatalf("the name stays after the setting is off: %s", raw)
	}

	if err := d.Disconnect(ctx, res.ConnectionID, false); err != nil {
		t.Fatal(err)
	}
	if raw, f := readSchedule(t, d); len(f.Connections) != 0 {
		t.Fatalf("after disconnect: %s", raw)
	}
	if info, err := os.Stat(d.schedulePath()); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("schedule file mode: %v %v", info.Mode(), err)
	}
}
