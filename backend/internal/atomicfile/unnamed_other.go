//go:build !linux

package atomicfile

import (
	"errors"
	"os"
)

var errNoUnnamed = errors.New("unnamed files are Linux-only")

// openUnnamed is Linux-only (see unnamed_linux.go): here every temporary
// file has a name.
func openUnnamed(string) (*os.File, error) { return nil, errNoUnnamed }

func linkUnnamed(*os.File, string) error { return errNoUnnamed }
