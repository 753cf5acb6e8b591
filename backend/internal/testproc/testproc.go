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

// Child is one run of a test in a child process.
type Child struct {
	Test string   // the test function to run, e.g. "TestX"
	Env  []string // KEY=value added to the parent's environment; one of them tells the test it is the child
	Args []string // the child's arguments after the test flags
}

// Run starts the child and waits for it, or for ctx. It fails t unless the
// child ran Test and it passed, logs the child's own log lines and returns
// all the child printed.
func (c Child) Run(ctx context.Context, t testing.TB) string {
	t.Helper()
	args := append([]string{"-test.run=^" + c.Test + "$", "-test.v", "-test.count=1"}, c.Args...)
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), c.Env...)
	b, err := cmd.CombinedOutput()
	out := string(b)
	if ctx.Err() != nil {
		t.Fatalf("child %s %v did not finish: %v\n%s", c.Test, c.Env, ctx.Err(), out)
	}
	if err != nil || !strings.Contains(out, "--- PASS: "+c.Test) {
		t.Fatalf("child %s %v: %v\n%s", c.Test, c.Env, err, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, ".go:") {
			t.Log(strings.TrimSpace(line))
		}
	}
	return out
}
