package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Text from outside (a bank's descriptions and names, TrueLayer's error
// descriptions, a URL someone crafted) may carry terminal escape sequences
// that clear the screen, fake a line such as "Connected", or retitle the
// window. The command line prints such text only through clean, or through
// printJSON, which escapes the same characters.

// clean returns s safe to print on a terminal, as one line: escape
// sequences (CSI, OSC, DCS and the like, 7-bit and 8-bit) are dropped
// whole, other control and invisible formatting characters (bidi
// overrides, zero-width spaces) are dropped, line breaks and tabs become a
// space, and invalid UTF-8 becomes U+FFFD. Letters, accents and emoji
// (joiners included) are kept.
func clean(s string) string {
	if isPlainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
			i++
		case r == 0x1b: // ESC
			i = skipEscape(s, i+1)
		case r == 0x9b: // CSI
			i = skipCSI(s, i+size)
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS SOS OSC PM APC
			i = skipControlString(s, i+size)
		case lineBreak(r):
			b.WriteByte(' ')
			i += size
		case invisible(r):
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// say prints one line made of format and args, cleaned: for lines that
// carry text from outside.
func say(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, clean(fmt.Sprintf(format, args...)))
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func lineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\t', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// invisible reports characters that draw nothing but can change what a
// terminal shows: control characters and format characters (bidi
// overrides, zero-width spaces, BOM), except the joiners emoji and some
// scripts need and the tag characters of subdivision flags.
func invisible(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == 0x200c || r == 0x200d || r >= 0xe0020 && r <= 0xe007f:
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

// skipEscape returns the index after the escape sequence whose ESC ends
// just before i (ECMA-48: ESC [ is CSI; ESC ] P X ^ _ open a control
// string; otherwise intermediates 0x20-0x2F and one final 0x30-0x7E).
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipControlString(s, i+1)
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips a CSI sequence's parameters (0x30-0x3F), intermediates
// (0x20-0x2F) and final byte (0x40-0x7E). Anything else ends it early, and
// is then judged on its own.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipControlString skips an OSC, DCS, SOS, PM or APC body up to its
// terminator (BEL, ESC \ or the 8-bit ST). An unterminated one runs to the
// end, as a terminal would swallow it.
func skipControlString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}

// printJSON prints v as indented JSON with snake_case names (snakeJSON),
// with the characters clean drops written as \u escapes: the same data for
// a program, nothing a terminal acts on (encoding/json already escapes C0
// controls, not C1 or bidi).
func printJSON(w io.Writer, v any) error {
	raw, err := snakeJSON(v)
	if err != nil {
		return err
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, raw, "", "  "); err != nil {
		return err
	}
	b := indented.Bytes()
	var out bytes.Buffer
	out.Grow(len(b) + 1)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		// Outside strings JSON is ASCII, so these only occur inside them.
		if r > 0x7e && (invisible(r) || lineBreak(r)) && (r != utf8.RuneError || size != 1) {
			if r > 0xffff {
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(&out, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(&out, `\u%04x`, r)
			}
		} else {
			out.Write(b[:size])
		}
		b = b[size:]
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// jsonFlag declares a listing command's --json.
func jsonFlag(fs *flag.FlagSet) *bool { return fs.Bool("json", false, "print a JSON array") }

// printListing prints a listing command's result: v as JSON with --json;
// else, when there are no items (n is 0), none on stderr, which says how
// to get some; else the text table prints on stdout.
func printListing(io IO, asJSON bool, v any, n int, none string, table func() error) error {
	switch {
	case asJSON:
		return printJSON(io.Stdout, v)
	case n == 0:
		fmt.Fprintln(io.Stderr, none)
		return nil
	}
	return table()
}
