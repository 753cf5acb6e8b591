package truelayer

import (
	"encoding/json"
	"fmt"
	"io"
)

// envelope is the Data API wrapper {"results":[...],"status":"Succeeded"}.
// The 202 async answer {"results_uri","status","task_id"} and a failed
// task's error fields live in the same object, so one pass reads them all.
type envelope[T any] struct {
	Results          []T
	Status           string
	ResultsURI       string
	TaskID           string
	Error            string
	ErrorDescription string
	ErrorDetails     json.RawMessage
}

// decodeEnvelope streams the envelope from r: results are decoded one item
// at a time straight into the slice, so the body is never held whole in
// memory and never decoded twice.
func decodeEnvelope[T any](r io.Reader, env *envelope[T]) error {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	fields := map[string]any{
		"status":            &env.Status,
		"results_uri":       &env.ResultsURI,
		"task_id":           &env.TaskID,
		"error":             &env.Error,
		"error_description": &env.ErrorDescription,
		"error_details":     &env.ErrorDetails,
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return eofIsTruncation(err)
		}
		key, _ := tok.(string)
		dst, ok := fields[key]
		switch {
		case ok:
			err = dec.Decode(dst)
		case key == "results":
			err = decodeArray(dec, &env.Results)
		default:
			err = skipValue(dec)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, eofIsTruncation(err))
		}
	}
	return expectDelim(dec, '}')
}

// decodeList streams a bare top-level JSON array (e.g. /api/providers).
func decodeList[T any](r io.Reader) ([]T, error) {
	var out []T
	err := decodeArray(json.NewDecoder(r), &out)
	return out, err
}

// decodeArray reads a JSON array (or null) into *dst, decoding each element
// in place to avoid copying large structs.
func decodeArray[T any](dec *json.Decoder, dst *[]T) error {
	tok, err := dec.Token()
	if err != nil {
		return eofIsTruncation(err)
	}
	if tok == nil {
		return nil // null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("want array, got %v", tok)
	}
	for i := 0; dec.More(); i++ {
		var zero T
		*dst = append(*dst, zero)
		if err := dec.Decode(&(*dst)[len(*dst)-1]); err != nil {
			return fmt.Errorf("item %d: %w", i, eofIsTruncation(err))
		}
	}
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return eofIsTruncation(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, tok)
	}
	return nil
}

func skipValue(dec *json.Decoder) error {
	var skip json.RawMessage
	return eofIsTruncation(dec.Decode(&skip))
}

// eofIsTruncation maps a bare io.EOF, which json.Decoder returns when the
// input ends between tokens, to io.ErrUnexpectedEOF: here it always means
// the body stopped before the document did.
func eofIsTruncation(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
