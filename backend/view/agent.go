package view

// AgentStatus is the background job that runs `bankdesk keepalive` while
// no window is open (package agent): whether it is on, where, what it runs
// and when it runs next. It names files and a program, nothing secret.
type AgentStatus struct {
	// Supported: this system has a scheduler Bankdesk can use.
	Supported bool `json:"supported"`
	Installed bool `json:"installed"`
	// Kind is the mechanism (systemd-timer, xdg-autostart, launch-agent,
	// scheduled-task): the installed one, or the one turning it on would
	// use; KindLabel says it in words.
	Kind      string `json:"kind"`
	KindLabel string `json:"kindLabel"`
	// Where are its files, and on Windows the task's name.
	Where   []string `json:"where"`
	Command []string `json:"command"` // the program and its arguments
	Env     []string `json:"env"`     // KEY=value settings it runs with (where the data is)
	// Schedule is when it runs, in words ("daily at 00:00 and at login").
	Schedule string `json:"schedule"`
	NextRun  string `json:"nextRun"` // RFC 3339; "" when unknown
	// Current: it runs this copy of Bankdesk as it would be installed now.
	Current bool   `json:"current"`
	Problem string `json:"problem"` // what is wrong with it, in words; "" when nothing
}
