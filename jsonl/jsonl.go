// Package jsonl reads JSON Lines files of labelled examples: one object a
// line, blank lines skipped, errors naming the line.
package jsonl

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// MaxLine is the longest line read, in bytes.
const MaxLine = 1 << 20

// Read decodes each non-blank line of r into a T, rejecting unknown
// fields and trailing data, and passes it to each. The first error, from
// decoding or from each, is returned as "line N: …".
func Read[T any](r io.Reader, each func(T) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var v T
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		err := dec.Decode(&v)
		if err == nil && dec.More() {
			err = fmt.Errorf("more than one JSON value")
		}
		if err == nil {
			err = each(v)
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
	return sc.Err()
}
