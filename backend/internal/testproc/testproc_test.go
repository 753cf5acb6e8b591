package testproc

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestChild is the child the tests below start; it fails when asked to.
func TestChild(t *testing.T) {
	switch Mode(t) {
	case "":
		t.Skip("run by TestRun")
	case "fail":
		t.Fatal("asked to fail")
	case "skip":
		t.Skip("asked to skip")
	}
	t.Log("child log line")
	fmt.Printf("args %q\n", os.Args[len(os.Args)-1])
}

// recorder is a testing.TB whose Fatalf ends the goroutine as testing's
// does, and records the failure instead of failing the test.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func run(t *testing.T, ctx context.Context, c Child) (out string, failed string) {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		out = c.Run(ctx, r)
	}()
	<-done
	return out, r.failed
}

func TestRun(t *testing.T) {
	out, failed := run(t, t.Context(), Child{Test: "TestChild", Mode: "pass", Args: []string{"last"}})
	if failed != "" || !strings.Contains(out, `args "last"`) {
		t.Errorf("passing child: failed %q, output %q", failed, out)
	}

	_, failed = run(t, t.Context(), Child{Test: "TestChild", Mode: "fail"})
	if !strings.Contains(failed, "asked to fail") {
		t.Errorf("failing child: failed %q, want the child's output", failed)
	}

	// A child that skips has not proved anything.
	_, failed = run(t, t.Context(), Child{Test: "TestChild", Mode: "skip"})
	if !strings.Contains(failed, "asked to skip") {
		t.Errorf("skipping child: failed %q, want a failure", failed)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, failed = run(t, ctx, Child{Test: "TestChild", Mode: "pass"})
	if !strings.Contains(failed, "did not finish") {
		t.Errorf("ended context: failed %q, want did not finish", failed)
	}
}
