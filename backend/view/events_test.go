package view

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite frontend/src/lib/events.ts from Events")

const eventsTS = "../../frontend/src/lib/events.ts"

// eventsFile is the TypeScript the frontend imports its event names from.
func eventsFile() string {
	var b strings.Builder
	b.WriteString("// Generated from backend/view/events.go by `go test ./backend/view -update`; do not edit.\n")
	b.WriteString("// The names of the events the backend emits and the window listens to.\n")
	for _, e := range Events {
		fmt.Fprintf(&b, "export const Event%s = '%s'\n", e.Name, e.Value)
	}
	return b.String()
}

// The frontend's event names are the Go ones: the file is generated, and
// this fails when it was edited or Events changed without regenerating.
func TestFrontendEventNamesAreGenerated(t *testing.T) {
	want := eventsFile()
	if *update {
		if err := os.WriteFile(eventsTS, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(eventsTS)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is not generated from Events: run `go test ./backend/view -update`\n got:\n%s\nwant:\n%s", eventsTS, got, want)
	}
}

// Every event is emitted by Go code and listened to by the frontend, and
// the frontend names no event the backend does not define.
func TestEveryEventIsEmittedAndHeard(t *testing.T) {
	goSrc := readTree(t, []string{"../../app", "../../backend"}, ".go", func(p string) bool {
		return strings.HasSuffix(p, "_test.go") || strings.Contains(p, "/backend/view/")
	})
	tsSrc := readTree(t, []string{"../../frontend/src"}, "", func(p string) bool {
		source := strings.HasSuffix(p, ".ts") || strings.HasSuffix(p, ".svelte")
		return !source || strings.HasSuffix(p, "events.ts") || strings.Contains(p, ".test.")
	})
	for _, e := range Events {
		if !regexp.MustCompile(`view\.Event` + e.Name + `\b`).MatchString(goSrc) {
			t.Errorf("Event%s (%q) is never emitted", e.Name, e.Value)
		}
		if !regexp.MustCompile(`\bEvent` + e.Name + `\b`).MatchString(tsSrc) {
			t.Errorf("Event%s (%q) is never listened to by the frontend", e.Name, e.Value)
		}
	}
	known := map[string]bool{}
	for _, e := range Events {
		known[e.Value] = true
	}
	// A name spelled out instead of imported: EventsOn('x:y') and the like.
	for _, m := range regexp.MustCompile(`['"]([a-z]+:[a-z]+)['"]`).FindAllStringSubmatch(tsSrc, -1) {
		if !known[m[1]] {
			t.Errorf("the frontend names an event %q the backend does not define", m[1])
		}
	}
}

func readTree(t *testing.T, roots []string, ext string, skip func(string) bool) string {
	t.Helper()
	var b strings.Builder
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if de.IsDir() {
				if de.Name() == "node_modules" || de.Name() == "wailsjs" {
					return filepath.SkipDir
				}
				return nil
			}
			p = filepath.ToSlash(p)
			if (ext != "" && !strings.HasSuffix(p, ext)) || skip(p) {
				return nil
			}
			data, err := os.ReadFile(p)
			b.Write(data)
			b.WriteByte('\n')
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}
