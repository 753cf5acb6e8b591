package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/export"
)

func TestIsCommand(t *testing.T) {
	for args, want := range map[string]bool{
		"":                           false,
		"sandbox":                    true,
		"version":                    true,
		"--help":                     true,
		"bankdesk://callback?code=1": false,
		"frobnicate":                 false,
	} {
		var a []string
		if args != "" {
			a = []string{args}
		}
		if got := IsCommand(a); got != want {
			t.Errorf("IsCommand(%q) = %v", args, got)
		}
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	if _, errOut, code := run(t, nil, "version", "--nope"); code != 2 || !strings.Contains(errOut, "nope") {
		t.Fatalf("code=%d stderr=%q", code, errOut)
	}
	if _, errOut, code := run(t, nil, "auth-link"); code != 2 || !strings.Contains(errOut, "--state") {
		t.Fatalf("code=%d stderr=%q", code, errOut)
	}
}

func TestSandboxPrintsItsEnvironmentThenServesAuthLinks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, IO{Stdout: pipeWriter{pw}, Stderr: io.Discard, Getenv: func(string) string { return "" }},
			[]string{"sandbox", "--addr", "127.0.0.1:0"})
		pw.Close()
	}()
	env := map[string]string{}
	sc := bufio.NewScanner(pr)
	for len(env) < 4 && sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok || !strings.HasPrefix(k, "BANKDESK_") {
			t.Fatalf("unexpected line %q", sc.Text())
		}
		env[k] = v
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	for _, k := range []string{"BANKDESK_AUTH_URL", "BANKDESK_API_URL", "BANKDESK_CLIENT_ID", "BANKDESK_CLIENT_SECRET"} {
		if env[k] == "" {
			t.Fatalf("%s missing from %v", k, env)
		}
	}
	if env["BANKDESK_AUTH_URL"] == env["BANKDESK_API_URL"] {
		t.Fatal("auth server and Data API share one address; TrueLayer has two hosts")
	}

	out, errOut, code := run(t, env, "auth-link", "--state", "abc", "--provider", "mock")
	if code != 0 {
		t.Fatalf("auth-link: %d %s", code, errOut)
	}
	link := strings.TrimSpace(out)
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if !strings.HasPrefix(link, env["BANKDESK_AUTH_URL"]+"/?") || q.Get("state") != "abc" || q.Get("provider_id") != "mock" ||
		q.Get("client_id") != env["BANKDESK_CLIENT_ID"] || q.Get("redirect_uri") != "bankdesk://callback" {
		t.Fatalf("link = %s", link)
	}
	if strings.Contains(link, "+") || !strings.Contains(link, "%20") {
		t.Fatalf("scopes must be %%20-separated: %s", link)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("sandbox exit code %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox did not stop on cancel")
	}
}

// A mistake in the command line is exit status 2 however it is wrapped,
// and so is an option the export refuses (its OptionError), whoever
// refused it; -h is 0; anything else 1.
func TestExitCodes(t *testing.T) {
	for err, want := range map[error]int{
		nil:                                    0,
		flag.ErrHelp:                           0,
		fmt.Errorf("parse: %w", flag.ErrHelp):  0,
		usageError{"--state is required"}:      2,
		fmt.Errorf("x: %w", usageError{"bad"}): 2,
		&export.OptionError{Option: "BOM", Err: export.ErrCSVOnly}:                           2,
		fmt.Errorf("export: %w", &export.OptionError{Option: "Raw", Err: export.ErrCSVOnly}): 2,
		errors.New("the bank is down"):                                                       1,
		outputError{errors.New("no space")}:                                                  1,
	} {
		if got := exitCode(err); got != want {
			t.Errorf("exitCode(%v) = %d, want %d", err, got, want)
		}
	}
}

// Every command in the table is one `bankdesk` runs and help lists, once.
func TestEveryCommandIsListedOnce(t *testing.T) {
	help := usageText()
	for _, c := range commands {
		if !IsCommand([]string{c.name}) || strings.Count(help, "\n  "+c.name+" ") != 1 || c.summary == "" {
			t.Errorf("%s: IsCommand %v, listed %d times in:\n%s", c.name, IsCommand([]string{c.name}), strings.Count(help, "\n  "+c.name+" "), help)
		}
	}
}
