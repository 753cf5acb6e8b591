package agent

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf16"
)

// Windows: a Task Scheduler task defined in XML (the Task Scheduler
// schema, https://learn.microsoft.com/windows/win32/taskschd/task-scheduler-schema),
// registered with `schtasks /Create /XML`. The XML is kept beside
// Bankdesk's data as what the task was made from.

// taskXML is the task's definition: a daily trigger, a logon trigger and
// one program to run, as the signed-in user, without a stored password.
type taskXML struct {
	XMLName          xml.Name `xml:"Task"`
	Version          string   `xml:"version,attr"`
	Xmlns            string   `xml:"xmlns,attr"`
	RegistrationInfo struct {
		Description string `xml:"Description"`
		URI         string `xml:"URI"`
	} `xml:"RegistrationInfo"`
	Triggers struct {
		Calendar struct {
			StartBoundary string `xml:"StartBoundary"`
			Enabled       bool   `xml:"Enabled"`
			RandomDelay   string `xml:"RandomDelay"`
			DaysInterval  int    `xml:"ScheduleByDay>DaysInterval"`
		} `xml:"CalendarTrigger"`
		Logon struct {
			Enabled bool   `xml:"Enabled"`
			UserID  string `xml:"UserId,omitempty"`
			Delay   string `xml:"Delay"`
		} `xml:"LogonTrigger"`
	} `xml:"Triggers"`
	Principal struct {
		ID        string `xml:"id,attr"`
		UserID    string `xml:"UserId,omitempty"`
		LogonType string `xml:"LogonType"`
		RunLevel  string `xml:"RunLevel"`
	} `xml:"Principals>Principal"`
	Settings struct {
		MultipleInstancesPolicy    string `xml:"MultipleInstancesPolicy"`
		DisallowStartIfOnBatteries bool   `xml:"DisallowStartIfOnBatteries"`
		StopIfGoingOnBatteries     bool   `xml:"StopIfGoingOnBatteries"`
		StartWhenAvailable         bool   `xml:"StartWhenAvailable"`
		RunOnlyIfNetworkAvailable  bool   `xml:"RunOnlyIfNetworkAvailable"`
		Enabled                    bool   `xml:"Enabled"`
		ExecutionTimeLimit         string `xml:"ExecutionTimeLimit"`
	} `xml:"Settings"`
	Actions struct {
		Context string `xml:"Context,attr"`
		Exec    struct {
			Command   string `xml:"Command"`
			Arguments string `xml:"Arguments,omitempty"`
		} `xml:"Exec"`
	} `xml:"Actions"`
}

// taskPath is where the task's XML is kept.
func taskPath(h Host) (string, error) {
	dir := h.Getenv("LOCALAPPDATA")
	if dir == "" {
		return "", errors.New("LOCALAPPDATA is not set")
	}
	return filepath.Join(dir, "Bankdesk", UnitName+".xml"), nil
}

// windowsUser is the signed-in user as Task Scheduler names them; "" when
// the environment does not say.
func windowsUser(h Host) string {
	user := h.Getenv("USERNAME")
	if user == "" {
		return ""
	}
	if domain := h.Getenv("USERDOMAIN"); domain != "" {
		return domain + `\` + user
	}
	return user
}

// renderTask is the task's XML in UTF-16 with a byte-order mark, the
// encoding schtasks itself exports.
func renderTask(job Job, user string) ([]byte, error) {
	if len(job.Env) > 0 {
		k, _, _ := strings.Cut(job.Env[0], "=")
		return nil, refused("a Task Scheduler task cannot give the job %s; unset it to use the default data folder, or schedule `bankdesk keepalive` yourself with it set", k)
	}
	var t taskXML
	t.Version = "1.2"
	t.Xmlns = "http://schemas.microsoft.com/windows/2004/02/mit/task"
	t.RegistrationInfo.Description = "Keeps Bankdesk's bank connections alive and reminds about consents while Bankdesk is closed. Remove it with: bankdesk agent uninstall"
	t.RegistrationInfo.URI = `\` + TaskName
	// No zone in the boundary: local time, every day, across clock changes.
	t.Triggers.Calendar.StartBoundary = fmt.Sprintf("2000-01-01T%02d:%02d:00", Daily.Hour, Daily.Minute)
	t.Triggers.Calendar.Enabled = true
	t.Triggers.Calendar.RandomDelay = "PT15M"
	t.Triggers.Calendar.DaysInterval = 1
	t.Triggers.Logon.Enabled = true
	t.Triggers.Logon.UserID = user // only this user's logon, which needs no administrator
	t.Triggers.Logon.Delay = fmt.Sprintf("PT%dM", int(loginDelay/time.Minute))
	t.Principal.ID = "Author"
	t.Principal.UserID = user
	t.Principal.LogonType = "InteractiveToken" // runs only while the user is signed in: no password is stored
	t.Principal.RunLevel = "LeastPrivilege"
	s := &t.Settings
	s.MultipleInstancesPolicy = "IgnoreNew"
	s.StartWhenAvailable = true // a run missed while the computer was off happens when it is on
	s.Enabled = true
	s.ExecutionTimeLimit = "PT15M"
	t.Actions.Context = "Author"
	t.Actions.Exec.Command = job.Exe
	args := make([]string, len(job.Args))
	for i, a := range job.Args {
		args[i] = windowsArg(a)
	}
	t.Actions.Exec.Arguments = strings.Join(args, " ")
	body, err := xml.MarshalIndent(t, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write the task: %w", err)
	}
	text := `<?xml version="1.0" encoding="UTF-16"?>` + "\r\n" + strings.ReplaceAll(string(body), "\n", "\r\n") + "\r\n"
	u := utf16.Encode([]rune(text))
	out := make([]byte, 2, 2+2*len(u))
	binary.LittleEndian.PutUint16(out, 0xfeff)
	for _, c := range u {
		out = binary.LittleEndian.AppendUint16(out, c)
	}
	return out, nil
}

// parseTask reads a task's XML in UTF-16 (as renderTask writes and
// schtasks exports) or UTF-8.
func parseTask(b []byte) (taskXML, error) {
	var t taskXML
	text := b
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe {
		u := make([]uint16, (len(b)-2)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2+2*i:])
		}
		text = []byte(string(utf16.Decode(u)))
	}
	d := xml.NewDecoder(bytes.NewReader(text))
	// The text is decoded already, whatever its declaration names.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	err := d.Decode(&t)
	return t, err
}

// windowsArg quotes one argument as CommandLineToArgvW reads it back:
// in double quotes where it holds a space, a tab or a quote, a quote as
// \", and the backslashes before a quote (or the closing one) doubled.
func windowsArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			slashes++
			continue
		case '"':
			b.WriteString(strings.Repeat(`\`, 2*slashes+1))
		default:
			b.WriteString(strings.Repeat(`\`, slashes))
		}
		slashes = 0
		b.WriteByte(s[i])
	}
	b.WriteString(strings.Repeat(`\`, 2*slashes))
	b.WriteByte('"')
	return b.String()
}

func taskExists(ctx context.Context, h Host) bool {
	_, err := h.Run(ctx, "schtasks", "/Query", "/TN", TaskName)
	return err == nil
}

// scheduledTask is the task as Task Scheduler keeps it: registered from
// its XML, which /F lets replace a task of that name whole.
func scheduledTask(h Host) (registered, error) {
	path, err := taskPath(h)
	return registered{
		path:     path,
		isLoaded: taskExists,
		load:     []string{"schtasks", "/Create", "/TN", TaskName, "/XML", path, "/F"},
		unload:   []string{"schtasks", "/Delete", "/TN", TaskName, "/F"},
	}, err
}

func statusTask(ctx context.Context, h Host, want Job) (Status, error) {
	path, err := taskPath(h)
	if err != nil {
		return Status{}, err
	}
	s := Status{Kind: ScheduledTask, Task: TaskName, Schedule: dailyWords(Daily.Hour, Daily.Minute, true)}
	exists := taskExists(ctx, h)
	b, err := os.ReadFile(path)
	if err != nil && !exists {
		return s, nil
	}
	s.Installed = true
	if err != nil {
		s.Problem = "the task was not made by this Bankdesk; install it again"
		return s, nil
	}
	s.Files = []string{path}
	t, err := parseTask(b)
	if err != nil {
		s.Problem = "its file cannot be read; install it again"
		return s, nil
	}
	s.Command = append([]string{t.Actions.Exec.Command}, strings.Fields(t.Actions.Exec.Arguments)...)
	if at, err := time.Parse("2006-01-02T15:04:05", t.Triggers.Calendar.StartBoundary); err == nil {
		s.Schedule = dailyWords(at.Hour(), at.Minute(), t.Triggers.Logon.Enabled)
		s.NextRun = nextDaily(h.Now(), at.Hour(), at.Minute())
	}
	if !exists {
		s.Problem = "Task Scheduler does not have the task; install it again"
		s.NextRun = time.Time{}
	}
	if w, err := renderTask(want, windowsUser(h)); err == nil {
		s.Current = same([]file{{path, w}})
	}
	return s, nil
}
