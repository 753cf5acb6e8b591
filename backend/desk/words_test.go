package desk

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/internal/testclock"
	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/view"
)

// wordsSink keeps what a login told the window.
type wordsSink struct {
	*recordSink
	connected chan view.Connected
	failed    chan view.ConnectFailed
}

func newWordsSink() *wordsSink {
	return &wordsSink{recordSink: newRecordSink(), connected: make(chan view.Connected, 4), failed: make(chan view.ConnectFailed, 4)}
}

func (s *wordsSink) Connected(c view.Connected)         { s.connected <- c }
func (s *wordsSink) ConnectFailed(f view.ConnectFailed) { s.failed <- f }

// wordsDesk is a desk on the sandbox and a test clock, telling sink.
func wordsDesk(t *testing.T) (*Desk, *wordsSink, *testclock.Clock) {
	t.Helper()
	clk := testclock.New(testenv.Start)
	sink := newWordsSink()
	return openDesk(t, Options{Config: sandboxConfig(t, testenv.Sandbox(t, clk), nil), Now: clk.Now, Sink: sink}), sink, clk
}

var chain = regexp.MustCompile(`truelayer|GET |POST |[0-9a-f]{16,}|: `)

// A deep link that matches no login (forged) or one already used
// (replayed) is told to the window as a sentence, the chain kept in the
// details; nothing is connected.
func TestAForgedOrReplayedDeepLinkIsASentence(t *testing.T) {
	d, sink, _ := wordsDesk(t)
	ctx := context.Background()
	cb := testenv.Callback(t, d.Flow(), "john", "doe")
	d.CompleteAndTell(ctx, cb)
	<-sink.connected
	for _, link := range []string{cb, "bankdesk://callback?code=not-a-real-code&state=forged-state"} {
		d.CompleteAndTell(ctx, link)
		f := <-sink.failed
		if f.Kind != "unknown_state" {
			t.Errorf("%s: kind %q", link, f.Kind)
		}
		if chain.MatchString(f.Problem.Message) || !strings.HasSuffix(f.Problem.Message, ".") {
			t.Errorf("%s: message %q is not a sentence", link, f.Problem.Message)
		}
		if !strings.Contains(f.Problem.Details, "does not match a connection started in Bankdesk") {
			t.Errorf("%s: details %q lack the cause", link, f.Problem.Details)
		}
	}
}

// Renewing: the form says when renewing now gains nothing, keeps the name
// and email given (a one-word name is fine), and a renewal at the bank
// ends with a sentence saying until when the access now runs.
func TestRenewalKeepsTheContactAndSaysWhatItGains(t *testing.T) {
	d, sink, clk := wordsDesk(t)
	ctx := context.Background()
	res := testenv.Connect(t, d.Flow(), "john", "doe")

	clk.Add(24 * time.Hour)
	views, err := d.Connections()
	if err != nil || len(views) != 1 {
		t.Fatalf("connections %+v %v", views, err)
	}
	if v := views[0]; !strings.Contains(v.RenewNote, "already runs until") || v.RenewUntil != RFC3339(clk.Now().AddDate(0, 0, 90)) {
		t.Errorf("a day after connecting: note %q, until %q", v.RenewNote, v.RenewUntil)
	}
	if views[0].Contact != (view.Contact{}) {
		t.Errorf("contact before any renewal: %+v", views[0].Contact)
	}

	out, err := d.Reconfirm(ctx, view.ReconfirmRequest{ConnectionID: res.ConnectionID, Name: "John", Email: "john@doe.com", Confirmed: true})
	if err != nil || !out.AtBank {
		t.Fatalf("renew with a one-word name: %+v %v", out, err)
	}
	views, _ = d.Connections()
	if want := (view.Contact{Name: "John", Email: "john@doe.com"}); views[0].Contact != want {
		t.Errorf("contact after a renewal: %+v, want %+v", views[0].Contact, want)
	}

	d.CompleteAndTell(ctx, testenv.Login(t, out.Link, "john", "doe"))
	select {
	case c := <-sink.connected:
		until := clk.Now().AddDate(0, 0, 90).Local().Format("2 January 2006")
		if !c.Renewed || len(c.Notes) == 0 || c.Notes[0] != "Your access to Mock is renewed until "+until+"." {
			t.Errorf("renewed at the bank: %+v", c)
		}
	case f := <-sink.failed:
		t.Fatalf("renewal at the bank failed: %+v", f)
	}

	clk.Add(60 * 24 * time.Hour)
	views, _ = d.Connections()
	if views[0].RenewNote != "" {
		t.Errorf("60 days on, renewing gains 60 days: note %q", views[0].RenewNote)
	}
}

// A bank failing every call (the sandbox's error.provider_error user)
// leaves the connection unfinished; its first sync's failure says so in a
// sentence, offers a retry, and keeps the bank's answer with its
// correlation id for Details.
func TestAnUnfinishedConnectionsFailureKeepsTheBanksAnswer(t *testing.T) {
	d, sink, _ := wordsDesk(t)
	d.CompleteAndTell(context.Background(), testenv.Callback(t, d.Flow(), "error.provider_error", "error"))
	select {
	case c := <-sink.connected:
		if !c.Unfinished {
			t.Fatalf("connected %+v", c)
		}
	case f := <-sink.failed:
		t.Fatalf("failed %+v", f)
	}
	done := <-sink.syncs
	if done.OK || done.Error == nil {
		t.Fatalf("sync %+v", done)
	}
	p := *done.Error
	if chain.MatchString(p.Message) || !p.Retry {
		t.Errorf("message %q retry %v", p.Message, p.Retry)
	}
	for _, want := range []string{"503", "provider_error", "correlation id"} {
		if !strings.Contains(p.Details, want) {
			t.Errorf("details %q lack %q", p.Details, want)
		}
	}
}
