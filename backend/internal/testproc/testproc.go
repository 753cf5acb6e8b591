// Package testproc runs one test of the current test binary again in a
// child process, for checks that depend on how a process starts: its
// arguments, or what its environment holds while packages initialise.
package testproc

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// modeEnv tells a child which test it was started for, and in what mode:
// "TestX=mode".
const modeEnv = "BANKDESK_TEST_CHILD"

// Child is one run of a test in a child process.
type Child struct {
	Test string   // the test function to run, e.g. "TestX"
	Mode string   // what Mode returns in the child; "child" when empty
	Env  []string // KEY=value added to the parent's environment
	Args []string // the child's arguments after the test flags
}

// Mode is the Child.Mode this process was started with to run t, or ""
// when t runs in the parent.
func Mode(t testing.TB) string {
	test, mode, _ := strings.Cut(os.Getenv(modeEnv), "=")
	if test != t.Name() {
		return ""
	}
	return mode
}

// Run starts the child and waits for it, or for ctx. It fails t unless the
// child ran Test and it passed, logs the child's own log lines and returns
// all the child printed.
func (c Child) Run(ctx context.Context, t testing.TB) string {
	t.Helper()
	if c.Mode == "" {
		c.Mode = "child"
	}
	args := append([]string{"-test.run=^" + c.Test + "$", "-test.v", "-test.count=1"}, c.Args...)
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), modeEnv+"="+c.Test+"="+c.Mode), c.Env...)
	b, err := cmd.CombinedOutput()
	out := string(b)
	if ctx.Err() != nil {
		t.Fatalf("child %s (%s) did not finish: %v\n%s", c.Test, c.Mode, ctx.Err(), out)
	}
	if err != nil || !strings.Contains(out, "--- PASS: "+c.Test) {
		t.Fatalf("child %s (%s): %v\n%s", c.Test, c.Mode, err, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, ".go:") {
			t.Log(strings.TrimSpace(line))
		}
	}
	return out
}
