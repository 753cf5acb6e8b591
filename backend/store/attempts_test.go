package store

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"
)

func TestAttemptIsSingleUse(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	now := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	a := Attempt{
		State: "state-123", Verifier: "pkce-verifier", ProviderID: "mock", RedirectURI: "bankdesk://callback",
		ConnectionID: "conn-1", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute),
	}
	mustNoErr(t, st.PutAttempt(a))
	got, err := st.TakeAttempt("state-123", now.Add(time.Minute))
	mustNoErr(t, err)
	sameJSON(t, "attempt", got, a)
	if got.State != "state-123" {
		t.Errorf("State = %q", got.State)
	}
	if _, err := st.TakeAttempt("state-123", now.Add(time.Minute)); !errors.Is(err, ErrNotFound) {
		t.Errorf("replayed state: %v, want ErrNotFound", err)
	}
	if _, err := st.TakeAttempt("never-issued", now); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown state: %v, want ErrNotFound", err)
	}
	for name, bad := range map[string]Attempt{"no state": {ExpiresAt: now}, "no expiry": {State: "s"}} {
		if err := st.PutAttempt(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

func TestExpiredAttemptIsRefusedAndDeleted(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	now := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	mustNoErr(t, st.PutAttempt(Attempt{State: "late", ExpiresAt: now}))
	if _, err := st.TakeAttempt("late", now); !errors.Is(err, ErrAttemptExpired) {
		t.Fatalf("expired: %v, want ErrAttemptExpired", err)
	}
	if _, err := st.TakeAttempt("late", now.Add(-time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired attempt was not deleted: %v", err)
	}
}

func TestPruneAttempts(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	now := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	mustNoErr(t, st.PutAttempt(Attempt{State: "old", ExpiresAt: now.Add(-time.Second)}))
	mustNoErr(t, st.PutAttempt(Attempt{State: "fresh", ExpiresAt: now.Add(time.Minute)}))
	mustNoErr(t, st.PruneAttempts(now))
	if _, err := st.TakeAttempt("old", now.Add(-time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("pruned attempt: %v, want ErrNotFound", err)
	}
	if _, err := st.TakeAttempt("fresh", now); err != nil {
		t.Errorf("fresh attempt was pruned: %v", err)
	}
}

func TestAttemptStateIsNotStoredRaw(t *testing.T) {
	// The xor sealer leaves lengths and structure visible; the point here is
	// that the key, which is never sealed, does not carry the state.
	for name, sealer := range map[string]Sealer{"xor": xorSealer{}, "gcm": newGCMSealer()} {
		t.Run(name, func(t *testing.T) {
			st, path := openTemp(t, sealer)
			state := "STATE-9f8e7d6c5b4a-UNIQUE"
			mustNoErr(t, st.PutAttempt(Attempt{State: state, Verifier: "v", ExpiresAt: time.Now().Add(time.Hour)}))
			key := st.key(bucketAttempts, attemptKey(state))
			mustNoErr(t, st.Close())
			raw, err := os.ReadFile(path)
			mustNoErr(t, err)
			if bytes.Contains(raw, []byte(state)) {
				t.Fatal("the raw state is in the file")
			}
			if bytes.Contains(raw, attemptKey(state)) {
				t.Fatal("hex(SHA-256(state)) is in clear in the file")
			}
			if !bytes.Contains(raw, key) {
				t.Fatal("the attempt is not under the keyed hash of hex(SHA-256(state))")
			}
		})
	}
}
