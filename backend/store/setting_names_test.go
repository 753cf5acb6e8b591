package store

import (
	"errors"
	"testing"
)

// A setting saved under its old name (before the names had one style) is
// read under its new one, once moved; typed reads and writes round-trip.
func TestSettingsMoveToTheirNewNames(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	type creds struct {
		ClientID string `json:"client_id"`
	}
	mustNoErr(t, st.PutSetting("credentials/sandbox", []byte(`{"client_id":"sandbox-abc"}`)))
	mustNoErr(t, st.PutSetting("consent.reminders", []byte(`{"client_id":"r"}`)))
	got, err := GetSetting[creds](st, SettingCredentials("sandbox"))
	if err != nil || got.ClientID != "sandbox-abc" {
		t.Fatalf("moved credentials: %+v %v", got, err)
	}
	if _, err := st.Setting("credentials/sandbox"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the old name is still there: %v", err)
	}
	if got, err := GetSetting[creds](st, SettingReminders); err != nil || got.ClientID != "r" {
		t.Fatalf("moved reminders: %+v %v", got, err)
	}
	if _, err := GetSetting[creds](st, SettingEnvironment); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a setting never saved: %v", err)
	}
	mustNoErr(t, PutSettingJSON(st, SettingEnvironment, creds{ClientID: "env"}))
	if got, err := GetSetting[creds](st, SettingEnvironment); err != nil || got.ClientID != "env" {
		t.Fatalf("round trip: %+v %v", got, err)
	}
}
