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
