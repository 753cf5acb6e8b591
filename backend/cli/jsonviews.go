package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode"
)

// snakeJSON is v (the window's views: package view) as the command line's
// documented --json writes it: the same fields in the same order, each
// name in snake_case ("connectionId" is "connection_id"). One set of view
// types serves both front ends; only the spelling of the names differs.
func snakeJSON(v any) (json.RawMessage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out bytes.Buffer
	if err := copySnake(dec, &out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// copySnake copies one JSON value from dec to out, renaming object keys.
func copySnake(dec *json.Decoder, out *bytes.Buffer) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		b, err := json.Marshal(tok)
		out.Write(b)
		return err
	}
	out.WriteRune(rune(d))
	for i := 0; dec.More(); i++ {
		if i > 0 {
			out.WriteByte(',')
		}
		if d == '{' {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			name, _ := key.(string)
			b, _ := json.Marshal(snakeCase(name))
			out.Write(b)
			out.WriteByte(':')
		}
		if err := copySnake(dec, out); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	out.WriteRune(map[json.Delim]rune{'{': '}', '[': ']'}[d])
	return nil
}

// snakeCase spells a camelCase JSON name in snake_case.
func snakeCase(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
