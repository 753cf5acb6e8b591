package sandbox

import (
	"strings"
	"sync"
	"testing"
)

// A sandbox started from the state an earlier one persisted honours the
// refresh token that one issued (and its rotation), and the state holds
// neither the refresh token nor the access token in clear.
func TestStateCarriesConnectionsAcrossARestart(t *testing.T) {
	var mu sync.Mutex
	var kept []byte
	s, _ := newSandbox(t, Options{Persist: func(b []byte) { mu.Lock(); kept = b; mu.Unlock() }})
	tk := connect(t, s, "john", "doe")
	mu.Lock()
	state := string(kept)
	mu.Unlock()
	if state == "" {
		t.Fatal("nothing was persisted after the token grant")
	}
	for _, secret := range []string{tk.RefreshToken, tk.AccessToken} {
		if strings.Contains(state, secret) {
			t.Fatalf("the state holds a token in clear: %.80s…", state)
		}
	}
	s.Close()

	again, _ := newSandbox(t, Options{State: []byte(state)})
	st, tk2, b := refresh(t, again, tk.RefreshToken)
	if st != 200 || tk2.RefreshToken == "" || tk2.RefreshToken == tk.RefreshToken {
		t.Fatalf("refresh after the restart: %d %s", st, b)
	}
	if st, _, b := refresh(t, again, tk.RefreshToken); st != 400 || !strings.Contains(string(b), "invalid_grant") {
		t.Fatalf("the rotated-out token still works after the restart: %d %s", st, b)
	}
	if _, err := Start(Options{State: []byte(`{"version":99}`)}); err == nil {
		t.Fatal("a state of another version was read")
	}
}
