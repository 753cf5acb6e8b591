//go:build !linux

package busguard

// Blocked is always false: only Linux backends probe D-Bus at init.
func Blocked() bool { return false }

// Disarm does nothing outside Linux.
func Disarm() {}
