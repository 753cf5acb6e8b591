package busguard

import (
	"fmt"
	"os"
)

const envAddr = "DBUS_SESSION_BUS_ADDRESS"

// blockedAddr uses a transport godbus does not know, so dialling fails
// without starting anything.
const blockedAddr = "disabled:"

var (
	blocked  bool // init stopped dbus-launch
	armed    bool // the environment still holds blockedAddr
	previous string
)

func init() {
	addr := os.Getenv(envAddr)
	if (addr != "" && addr != "autolaunch:") || discoverable() {
		return
	}
	previous, armed, blocked = addr, true, true
	_ = os.Setenv(envAddr, blockedAddr) // fails only for an invalid name
}

// discoverable mirrors godbus: a bus under /run/user/<uid> is found
// without dbus-launch.
func discoverable() bool {
	dir := fmt.Sprintf("/run/user/%d", os.Getuid())
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(dir + "/" + name); err == nil {
			return true
		}
	}
	return false
}

// Blocked reports whether init stopped the keyring package from running
// dbus-launch in this process.
func Blocked() bool { return blocked }

// Disarm restores DBUS_SESSION_BUS_ADDRESS as it was before init.
func Disarm() {
	if !armed {
		return
	}
	armed = false
	if os.Getenv(envAddr) != blockedAddr {
		return // someone else has set it since
	}
	if previous == "" {
		_ = os.Unsetenv(envAddr) // fails only for an invalid name
	} else {
		_ = os.Setenv(envAddr, previous) // fails only for an invalid name
	}
}
