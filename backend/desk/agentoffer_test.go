package desk

import (
	"testing"

	"bankdesk/backend/sandbox"
)

// The background job is offered once: answered, it stays answered after
// a restart.
func TestAgentOfferIsMadeOnce(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	cfg := sandboxConfig(t, sb, nil)
	d := openDesk(t, Options{Config: cfg})
	if open, err := d.AgentOfferOpen(); err != nil || !open {
		t.Fatalf("a new data folder: open=%v err=%v", open, err)
	}
	if err := d.CloseAgentOffer(); err != nil {
		t.Fatal(err)
	}
	if open, err := d.AgentOfferOpen(); err != nil || open {
		t.Fatalf("after the answer: open=%v err=%v", open, err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = openDesk(t, Options{Config: cfg})
	if open, err := d.AgentOfferOpen(); err != nil || open {
		t.Fatalf("after a restart: open=%v err=%v", open, err)
	}
}
