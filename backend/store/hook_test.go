package store

import "testing"

// Every committed change to the connections runs the hook once, after the
// commit (the hook sees the change); a refused write does not run it.
func TestOnConnectionsChangedRunsAfterEachCommittedChange(t *testing.T) {
	st, _ := openTemp(t, xorSealer{})
	var seen []int // how many connections the hook found, one entry per run
	st.OnConnectionsChanged(func() {
		conns, err := st.Connections()
		if err != nil {
			t.Errorf("the hook cannot read: %v", err)
		}
		seen = append(seen, len(conns))
	})
	for _, s := range []struct {
		what  string
		write func() error
		sees  int // connections after the write; -1: refused, no run
	}{
		{"put", func() error { return st.PutConnection(Connection{ID: "a", ProviderID: "mock"}) }, 1},
		{"put another", func() error { return st.PutConnection(Connection{ID: "b", ProviderID: "mock"}) }, 2},
		{"update", func() error {
			return st.UpdateConnection("a", func(c *Connection) error { c.Status = StatusReconnectNeeded; return nil })
		}, 2},
		{"update a missing one", func() error { return st.UpdateConnection("nope", func(*Connection) error { return nil }) }, -1},
		{"absorb", func() error {
			_, err := st.AbsorbConnection("b", "a", func(_ Connection, into *Connection) error { into.Status = StatusActive; return nil })
			return err
		}, 1},
		{"put an invalid one", func() error { return st.PutConnection(Connection{ID: "c", Status: "odd"}) }, -1},
		{"delete", func() error { return st.DeleteConnection("a", false) }, 0},
	} {
		before := len(seen)
		err := s.write()
		switch {
		case s.sees < 0 && (err == nil || len(seen) != before):
			t.Fatalf("%s: %v, the hook ran %d times", s.what, err, len(seen)-before)
		case s.sees >= 0 && (err != nil || len(seen) != before+1 || seen[before] != s.sees):
			t.Fatalf("%s: %v, the hook saw %v", s.what, err, seen[before:])
		}
	}
	st.OnConnectionsChanged(nil)
	before := len(seen)
	if err := st.PutConnection(Connection{ID: "d", ProviderID: "mock"}); err != nil || len(seen) != before {
		t.Fatalf("after removing the hook: %v, %d runs", err, len(seen)-before)
	}
}
