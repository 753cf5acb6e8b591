package agent

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"bankdesk/backend/agent/agenttest"
)

// An awkward but legal data folder: spaces, a quote, a percent sign, a
// dollar and a backslash, each special to some unit syntax.
const awkwardDir = `/home/ann/My "Bank" 100% $HOME\data`

// The units systemd would load: systemd-analyze verify finds nothing to
// say about them, the program path with spaces, % and $ included (verify
// fails when ExecStart's program does not exist, so a quoting mistake
// shows), and they read back as the job.
func TestSystemdUnitsPassVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("systemd-analyze is missing: CI installs the Debian package systemd (Makefile APT_TEST)")
		}
		t.Skip("systemd-analyze is not installed (Debian package systemd): the units are not verified")
	}
	dir := t.TempDir()
	progDir := filepath.Join(dir, "Bank Desk 100%", "$HOME")
	if err := os.MkdirAll(progDir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(progDir, "bank desk")
	if err := os.Symlink("/bin/true", exe); err != nil {
		t.Fatal(err)
	}
	job := Job{Exe: exe, Args: []string{KeepAliveVerb}, Env: []string{"BANKDESK_DATA_DIR=" + awkwardDir}}
	service, timer, err := renderSystemd(job)
	if err != nil {
		t.Fatal(err)
	}
	units := filepath.Join(dir, "units")
	if err := os.Mkdir(units, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{UnitName + ".service": service, UnitName + ".timer": timer} {
		if err := os.WriteFile(filepath.Join(units, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A user manager's paths need a runtime directory, which a CI job or
	// a root shell may lack.
	runtimeDir := os.Getenv("XDG_RUNTIME_DIR")
	if runtimeDir == "" {
		runtimeDir = filepath.Join(dir, "run")
		if err := os.Mkdir(runtimeDir, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	verify := func() string {
		cmd := exec.Command(analyze, "verify", "--user", filepath.Join(units, UnitName+".timer"), filepath.Join(units, UnitName+".service"))
		cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+runtimeDir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return string(out) + err.Error()
		}
		return string(out)
	}
	// verify exits 0 on a mere warning (an unknown key, a bad calendar):
	// anything it prints is a finding.
	if out := verify(); out != "" {
		t.Fatalf("systemd-analyze verify:\n%s\nservice:\n%s\ntimer:\n%s", out, service, timer)
	}
	cmd, env := parseService(service)
	if !slices.Equal(cmd, job.Command()) || !slices.Equal(env, job.Env) {
		t.Errorf("the service reads back as %q %q, want %q %q", cmd, env, job.Command(), job.Env)
	}
	for _, want := range []string{"Type=oneshot", "OnCalendar=daily", "Persistent=true", "RandomizedDelaySec=", "OnStartupSec=", "WantedBy=timers.target"} {
		if !bytes.Contains(append(service, timer...), []byte(want)) {
			t.Errorf("the units lack %s", want)
		}
	}
	if words, _, _, daily := timerSchedule(timer); !daily || words != "daily at 00:00 and at login" {
		t.Errorf("timer schedule %q (daily %v)", words, daily)
	}

	// The check itself can fail: the program path left unquoted names
	// no file.
	unquoted := bytes.Replace(service, []byte(`ExecStart="`+strings.ReplaceAll(exe, "%", "%%")+`"`), []byte("ExecStart="+exe), 1)
	if bytes.Equal(unquoted, service) {
		t.Fatalf("ExecStart is not the quoted program:\n%s", service)
	}
	if err := os.WriteFile(filepath.Join(units, UnitName+".service"), unquoted, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := verify(); out == "" {
		t.Error("verify accepted a service whose program does not exist")
	}
}

func TestSystemdRefusesWhatItCannotRun(t *testing.T) {
	if _, _, err := renderSystemd(Job{Exe: `/opt/o'neil/bankdesk`, Args: []string{"keepalive"}}); err == nil {
		t.Error("a program path with a quote was rendered; systemd refuses to run it")
	}
	if got := systemdArg("keepalive"); got != "keepalive" {
		t.Errorf("systemdArg(keepalive) = %q", got)
	}
	if got := systemdArg(`a b$%"\`); got != `"a b$$%%\"\\"` {
		t.Errorf("systemdArg = %q", got)
	}
	// Environment= expands specifiers but not variables.
	if got, want := systemdQuote("BANKDESK_DATA_DIR="+awkwardDir, false), `"BANKDESK_DATA_DIR=/home/ann/My \"Bank\" 100%% $HOME\\data"`; got != want {
		t.Errorf("Environment= value %s, want %s", got, want)
	}
}

// The autostart entry (no systemd user manager) runs the same command
// with the same settings, quoted per the Desktop Entry spec.
func TestAutostartEntryReadsBackAsTheJob(t *testing.T) {
	h := fakeHost(t, "linux", &agenttest.System{}, nil)
	job := Job{Exe: "/opt/Bank Desk 100%/bankdesk", Args: []string{KeepAliveVerb}, Env: []string{"BANKDESK_DATA_DIR=" + awkwardDir}}
	entry := renderAutostart(h, job)
	kv := keyValues(entry)
	if kv["Type"] != "Application" || kv["Exec"] == "" || !strings.HasPrefix(kv["Exec"], "/usr/bin/env ") {
		t.Fatalf("entry:\n%s", entry)
	}
	cmd, env := parseAutostart(entry)
	if !slices.Equal(cmd, job.Command()) || !slices.Equal(env, job.Env) {
		t.Errorf("the entry reads back as %q %q, want %q %q", cmd, env, job.Command(), job.Env)
	}
}

// plistDict is a plist's top dictionary read with encoding/xml alone,
// independent of the library that wrote it: key/value pairs in order.
type plistValue struct {
	XMLName xml.Name
	Text    string       `xml:",chardata"`
	Items   []plistValue `xml:",any"`
}

func readPlist(t *testing.T, b []byte) map[string]plistValue {
	t.Helper()
	var doc struct {
		XMLName xml.Name   `xml:"plist"`
		Version string     `xml:"version,attr"`
		Dict    plistValue `xml:"dict"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("plist: %v\n%s", err, b)
	}
	if doc.Version != "1.0" || !bytes.Contains(b, []byte(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN"`)) {
		t.Errorf("not an Apple plist 1.0:\n%s", b)
	}
	return dictOf(t, doc.Dict)
}

func dictOf(t *testing.T, d plistValue) map[string]plistValue {
	t.Helper()
	out := map[string]plistValue{}
	if len(d.Items)%2 != 0 {
		t.Fatalf("dict with %d items", len(d.Items))
	}
	for i := 0; i < len(d.Items); i += 2 {
		if d.Items[i].XMLName.Local != "key" {
			t.Fatalf("dict item %d is a <%s>, want <key>", i, d.Items[i].XMLName.Local)
		}
		out[d.Items[i].Text] = d.Items[i+1]
	}
	return out
}

func TestLaunchAgentPlist(t *testing.T) {
	exe := "/Applications/Bank & Desk <1>.app/Contents/MacOS/bankdesk"
	job := Job{Exe: exe, Args: []string{KeepAliveVerb}, Env: []string{"BANKDESK_DATA_DIR=" + awkwardDir}}
	b, err := renderLaunchAgent(job)
	if err != nil {
		t.Fatal(err)
	}
	d := readPlist(t, b)
	if v := d["Label"]; v.XMLName.Local != "string" || v.Text != LaunchdLabel || strings.Count(LaunchdLabel, ".") < 2 {
		t.Errorf("Label = <%s>%s, want a reverse-DNS %s", v.XMLName.Local, v.Text, LaunchdLabel)
	}
	var args []string
	for _, a := range d["ProgramArguments"].Items {
		if a.XMLName.Local != "string" {
			t.Errorf("ProgramArguments holds a <%s>", a.XMLName.Local)
		}
		args = append(args, a.Text)
	}
	if d["ProgramArguments"].XMLName.Local != "array" || !slices.Equal(args, []string{exe, "keepalive"}) || !filepath.IsAbs(args[0]) {
		t.Errorf("ProgramArguments = %q, want exactly [%q keepalive]", args, exe)
	}
	if d["RunAtLoad"].XMLName.Local != "true" {
		t.Errorf("RunAtLoad = <%s/>, want <true/>", d["RunAtLoad"].XMLName.Local)
	}
	cal := d["StartCalendarInterval"]
	if cal.XMLName.Local != "dict" {
		t.Fatalf("StartCalendarInterval is a <%s>", cal.XMLName.Local)
	}
	at := dictOf(t, cal)
	for _, k := range []string{"Hour", "Minute"} {
		if n, err := strconv.Atoi(at[k].Text); at[k].XMLName.Local != "integer" || err != nil || n < 0 || n > 59 {
			t.Errorf("StartCalendarInterval %s = <%s>%s", k, at[k].XMLName.Local, at[k].Text)
		}
	}
	if len(at) != 2 {
		t.Errorf("StartCalendarInterval has %d keys: a Day or Weekday would make it less than daily", len(at))
	}
	env := dictOf(t, d["EnvironmentVariables"])
	if len(env) != 1 || env["BANKDESK_DATA_DIR"].Text != awkwardDir {
		t.Errorf("EnvironmentVariables = %v", env)
	}
}

// taskDoc is the Task Scheduler schema's elements the task must have,
// read with the schema's names (not the writer's struct).
type taskDoc struct {
	XMLName  xml.Name `xml:"http://schemas.microsoft.com/windows/2004/02/mit/task Task"`
	Triggers struct {
		Calendar []struct {
			StartBoundary string `xml:"StartBoundary"`
			DaysInterval  string `xml:"ScheduleByDay>DaysInterval"`
		} `xml:"CalendarTrigger"`
		Logon []struct {
			UserID string `xml:"UserId"`
		} `xml:"LogonTrigger"`
	} `xml:"Triggers"`
	Principals []struct {
		UserID    string `xml:"UserId"`
		LogonType string `xml:"LogonType"`
		RunLevel  string `xml:"RunLevel"`
	} `xml:"Principals>Principal"`
	Exec []struct {
		Command   string `xml:"Command"`
		Arguments string `xml:"Arguments"`
	} `xml:"Actions>Exec"`
}

func TestTaskSchedulerXML(t *testing.T) {
	exe := `C:\Program Files\Bank & Desk\bankdesk.exe`
	b, err := renderTask(Job{Exe: exe, Args: []string{KeepAliveVerb}}, `DESK\ann`)
	if err != nil {
		t.Fatal(err)
	}
	// UTF-16 little endian with its byte-order mark, declared so.
	if len(b) < 2 || b[0] != 0xff || b[1] != 0xfe || len(b)%2 != 0 {
		t.Fatalf("not UTF-16LE with a BOM: % x", b[:min(8, len(b))])
	}
	u := make([]uint16, (len(b)-2)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2+2*i:])
	}
	text := string(utf16.Decode(u))
	if !strings.HasPrefix(text, `<?xml version="1.0" encoding="UTF-16"?>`) {
		t.Fatalf("declaration: %.60q", text)
	}
	dec := xml.NewDecoder(strings.NewReader(text))
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if !strings.EqualFold(label, "utf-16") {
			t.Errorf("declared %s", label)
		}
		return r, nil
	}
	var doc taskDoc
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("task XML: %v\n%s", err, text)
	}
	if len(doc.Triggers.Calendar) != 1 || doc.Triggers.Calendar[0].DaysInterval != "1" {
		t.Errorf("want one CalendarTrigger with ScheduleByDay/DaysInterval 1: %+v", doc.Triggers.Calendar)
	} else if _, err := time.Parse("2006-01-02T15:04:05", doc.Triggers.Calendar[0].StartBoundary); err != nil {
		t.Errorf("StartBoundary %q is not a local time: %v", doc.Triggers.Calendar[0].StartBoundary, err)
	}
	if len(doc.Triggers.Logon) != 1 || doc.Triggers.Logon[0].UserID != `DESK\ann` {
		t.Errorf("want one LogonTrigger for this user: %+v", doc.Triggers.Logon)
	}
	if len(doc.Principals) != 1 || doc.Principals[0].LogonType != "InteractiveToken" || doc.Principals[0].RunLevel != "LeastPrivilege" || doc.Principals[0].UserID != `DESK\ann` {
		t.Errorf("principal %+v, want this user, InteractiveToken, LeastPrivilege", doc.Principals)
	}
	if len(doc.Exec) != 1 || doc.Exec[0].Command != exe || !isAbs("windows", doc.Exec[0].Command) || doc.Exec[0].Arguments != "keepalive" {
		t.Errorf("Exec %+v, want %q keepalive", doc.Exec, exe)
	}
	// No stored password: neither a Password element nor a logon type
	// that needs one.
	for _, bad := range []string{"<Password", "Password</LogonType>", "S4U"} {
		if strings.Contains(text, bad) {
			t.Errorf("the task holds %s", bad)
		}
	}
	if got, err := parseTask(b); err != nil || got.Actions.Exec.Command != exe {
		t.Errorf("parseTask: %v %q", err, got.Actions.Exec.Command)
	}

	// Task Scheduler has no environment for its programs.
	if _, err := renderTask(Job{Exe: exe, Args: []string{KeepAliveVerb}, Env: []string{"BANKDESK_DATA_DIR=D:\\bank"}}, ""); err == nil || !strings.Contains(err.Error(), "BANKDESK_DATA_DIR") {
		t.Errorf("a job with settings rendered for Windows: %v", err)
	}
}

// windowsArg quotes as CommandLineToArgvW splits.
func TestWindowsArg(t *testing.T) {
	for in, want := range map[string]string{
		"keepalive":   "keepalive",
		"":            `""`,
		`a b`:         `"a b"`,
		`C:\dir\`:     `C:\dir\`,
		`C:\my dir\`:  `"C:\my dir\\"`,
		`say "hi"`:    `"say \"hi\""`,
		`back\"slash`: `"back\\\"slash"`,
	} {
		if got := windowsArg(in); got != want {
			t.Errorf("windowsArg(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSystemdTime(t *testing.T) {
	for in, want := range map[string]time.Time{
		"@1778716032\n":               time.Unix(1778716032, 0),
		"Thu 2026-05-14 00:07:12 BST": time.Date(2026, 5, 14, 0, 7, 12, 0, time.Local),
		"n/a":                         {},
		"":                            {},
		"@0":                          {},
	} {
		if got := systemdTime(in); !got.Equal(want) {
			t.Errorf("systemdTime(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestNextDaily(t *testing.T) {
	at := time.Date(2026, 5, 14, 15, 4, 0, 0, time.UTC)
	if got := nextDaily(at, 0, 0); !got.Equal(time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("next midnight after 15:04 = %s", got)
	}
	if got := nextDaily(at, 16, 30); !got.Equal(time.Date(2026, 5, 14, 16, 30, 0, 0, time.UTC)) {
		t.Errorf("next 16:30 after 15:04 = %s", got)
	}
	if got := nextDaily(time.Date(2026, 5, 14, 16, 30, 0, 0, time.UTC), 16, 30); got.Day() != 15 {
		t.Errorf("a run due now is next due tomorrow, got %s", got)
	}
}
