package store

import (
	"errors"
	"testing"
)

func TestUpdateConnectionEditsInPlace(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	mustNoErr(t, st.PutConnection(Connection{ID: "c1", ProviderID: "mock", RefreshToken: "RT-1"}))
	// A refresh rotated the token after some reader saw RT-1: the update
	// edits what is stored, so it keeps RT-2.
	mustNoErr(t, st.PutConnection(Connection{ID: "c1", ProviderID: "mock", RefreshToken: "RT-2"}))
	mustNoErr(t, st.UpdateConnection("c1", func(c *Connection) error {
		c.User = User{Name: "John Doe", Email: "john@doe.com"}
		c.ID = "ignored"
		return nil
	}))
	c, err := st.Connection("c1")
	if err != nil || c.RefreshToken != "RT-2" || c.User.Email != "john@doe.com" || c.ProviderID != "mock" {
		t.Fatalf("after update %+v %v", c, err)
	}
	boom := errors.New("boom")
	if err := st.UpdateConnection("c1", func(c *Connection) error { c.RefreshToken = "lost"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("edit error: %v", err)
	}
	if c, _ := st.Connection("c1"); c.RefreshToken != "RT-2" {
		t.Fatal("a failed edit was written")
	}
	if err := st.UpdateConnection("c1", func(c *Connection) error { c.Status = "weird"; return nil }); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad status: %v", err)
	}
	if err := st.UpdateConnection("nope", func(*Connection) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown connection: %v", err)
	}
}

// An unfinished connection's tokens go to the connection it turned out to
// be, in one transaction: the stored ones (not a stale copy) move, the
// absorbed record and its attempts go, and an account never moves here.
func TestAbsorbConnection(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	mustNoErr(t, st.PutConnection(Connection{ID: "old", ProviderID: "mock", RefreshToken: "OLD", CredentialsID: "cred-1", User: User{Name: "John Doe"}}))
	withAccount(t, st, "old", "acc-1")
	mustNoErr(t, st.PutConnection(Connection{ID: "new", ProviderID: "mock", RefreshToken: "NEW-1", Unfinished: true}))
	mustNoErr(t, st.PutConnection(Connection{ID: "new", ProviderID: "mock", RefreshToken: "NEW-2", Unfinished: true})) // rotated meanwhile
	mustNoErr(t, st.PutAttempt(Attempt{State: "s-new", Verifier: "v", ConnectionID: "new", ExpiresAt: day("2099-01-01")}))
	before, err := st.AbsorbConnection("new", "old", func(from Connection, into *Connection) error {
		into.RefreshToken, into.CredentialsID = from.RefreshToken, "cred-2"
		return nil
	})
	if err != nil || before.RefreshToken != "OLD" || before.CredentialsID != "cred-1" {
		t.Fatalf("before %+v %v", before, err)
	}
	c, err := st.Connection("old")
	if err != nil || c.RefreshToken != "NEW-2" || c.CredentialsID != "cred-2" || c.User.Name != "John Doe" {
		t.Fatalf("after %+v %v", c, err)
	}
	if _, err := st.Connection("new"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("absorbed connection still stored: %v", err)
	}
	if _, err := st.TakeAttempt("s-new", day("2030-01-01")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("attempt of the absorbed connection: %v", err)
	}
	if a, _ := st.Account("acc-1"); a.ConnectionID != "old" {
		t.Fatalf("account moved: %+v", a)
	}
	// A connection that holds accounts cannot be absorbed: they would move.
	mustNoErr(t, st.PutConnection(Connection{ID: "third", ProviderID: "mock"}))
	if _, err := st.AbsorbConnection("old", "third", func(Connection, *Connection) error { return nil }); !errors.Is(err, ErrInvalid) {
		t.Fatalf("absorbing a connection with accounts: %v", err)
	}
	if _, err := st.AbsorbConnection("gone", "old", func(Connection, *Connection) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown connection: %v", err)
	}
	if c, _ := st.Connection("old"); c.RefreshToken != "NEW-2" {
		t.Fatal("a failed absorb was written")
	}
}
