package vault

import (
	"math"
	"slices"
	"strings"
)

// Strength is a rough guess of how hard a passphrase is to guess. It only
// drives a hint: the rule a passphrase must meet is CheckNewPassphrase.
type Strength int

const (
	Weak Strength = iota
	Fair
	Strong
)

func (s Strength) String() string {
	switch s {
	case Weak:
		return "weak"
	case Fair:
		return "fair"
	}
	return "strong"
}

// Hint is what the set-up prompt shows under the passphrase.
func (s Strength) Hint() string {
	switch s {
	case Weak:
		return "Weak: this would be quick to guess. Use four or more unrelated words, or make it longer."
	case Fair:
		return "Fair: a couple more words would make it much harder to guess."
	}
	return "Strong."
}

// PassphraseStrength estimates p's strength from passphraseBits: below 40
// bits is weak, below 60 fair. frontend/src/lib/passphrase.ts computes the
// same estimate for the app's form (the shared cases in
// frontend/src/lib/passphrase-cases.json keep the two equal).
func PassphraseStrength(p string) Strength {
	switch bits := passphraseBits([]rune(p)); {
	case bits < 40:
		return Weak
	case bits < 60:
		return Fair
	}
	return Strong
}

// passphraseBits is a deliberately simple estimate, in bits:
//
//   - each character adds log2 of the pool its classes span (a-z 26,
//     A-Z 26, 0-9 10, other ASCII 33, anything else 100);
//   - a character equal to the one before, or next to it in code order
//     ("aaa", "abc", "321"), adds a quarter of that;
//   - a passphrase that is one piece repeated ("abcabc") counts the piece
//     once, plus a bit per repetition;
//   - a very common password, once digits and symbols around it are
//     dropped ("Password1!"), counts 20 bits at most.
//
// It undercounts random strings less than dictionary-aware estimators do,
// and that is fine for a hint.
func passphraseBits(p []rune) float64 {
	if unit := period(p); unit < len(p) {
		return passphraseBits(p[:unit]) + float64(len(p)/unit-1)
	}
	var lower, upper, digit, symbol, other bool
	chars, prev := 0.0, rune(-2)
	for _, r := range p {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		case r < 128:
			symbol = true
		default:
			other = true
		}
		if d := r - prev; d >= -1 && d <= 1 {
			chars += 0.25
		} else {
			chars++
		}
		prev = r
	}
	pool := 0
	for _, c := range []struct {
		in   bool
		size int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {symbol, 33}, {other, 100}} {
		if c.in {
			pool += c.size
		}
	}
	if pool == 0 {
		return 0
	}
	bits := chars * math.Log2(float64(pool))
	if isCommonPassword(string(p)) {
		bits = min(bits, 20)
	}
	return bits
}

// period is the length of the shortest piece p repeats, or len(p).
func period(p []rune) int {
	for n := 1; n <= len(p)/2; n++ {
		if len(p)%n != 0 {
			continue
		}
		repeats := true
		for i := n; i < len(p) && repeats; i++ {
			repeats = p[i] == p[i-n]
		}
		if repeats {
			return n
		}
	}
	return len(p)
}

// commonPasswords are among the most used passwords, letters only.
var commonPasswords = []string{
	"abc", "admin", "asdfghjkl", "azerty", "bankdesk", "baseball", "batman",
	"changeme", "dragon", "football", "iloveyou", "letmein", "master", "monkey",
	"passphrase", "password", "passwort", "princess", "qwerty", "qwertyuiop",
	"qwertz", "qwertzuiop", "secret", "shadow", "sunshine", "superman",
	"trustno", "welcome",
}

func isCommonPassword(p string) bool {
	core := strings.TrimFunc(strings.ToLower(p), func(r rune) bool { return r < 'a' || r > 'z' })
	return slices.Contains(commonPasswords, core)
}
