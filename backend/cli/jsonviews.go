package cli

import "encoding/json"

// snakeJSON is v (the window's views: package view) as the command line's
// documented --json writes it: the same fields in the same order, each
// name in snake_case ("connectionId" is "connection_id"). One set of view
// types serves both front ends; only the spelling of the names differs.
func snakeJSON(v any) (json.RawMessage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	// encoding/json writes no space, so a key is the one string literal
	// followed by ':'; a string value never is.
	out := make([]byte, 0, len(raw)+len(raw)/16)
	for i := 0; i < len(raw); {
		if raw[i] != '"' {
			out = append(out, raw[i])
			i++
			continue
		}
		end := i + 1
		for raw[end] != '"' {
			if raw[end] == '\\' {
				end++
			}
			end++
		}
		lit := raw[i : end+1]
		if end+1 < len(raw) && raw[end+1] == ':' {
			out = append(appendSnake(append(out, '"'), lit[1:len(lit)-1]), '"')
		} else {
			out = append(out, lit...)
		}
		i = end + 1
	}
	return out, nil
}

// appendSnake appends a camelCase name in snake_case ("connectionId" is
// "connection_id").
func appendSnake(out, name []byte) []byte {
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			if i > 0 {
				out = append(out, '_')
			}
			c += 'a' - 'A'
		}
		out = append(out, c)
	}
	return out
}

// snakeCase is appendSnake for a string.
func snakeCase(name string) string { return string(appendSnake(nil, []byte(name))) }
