package curated

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// MaxImportEntries bounds one import file.
const MaxImportEntries = 100000

// Parse reads curated answers from a file named name: JSON Lines (.jsonl,
// one {"question", "answer", "alternates", "lang", "tags", "id",
// "author"} per line) or CSV (.csv, with a header naming the columns
// question and answer and any of alternates, lang, tags, id, author; a
// cell of several alternates or tags separates them with '|'). Every
// entry is validated; an error names the file and line.
func Parse(name string, r io.Reader) ([]Answer, error) {
	var out []Answer
	var err error
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		out, err = parseJSONL(name, r)
	case ".csv":
		out, err = parseCSV(name, r)
	default:
		return nil, fmt.Errorf("%s: unknown file type; use .jsonl or .csv", name)
	}
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no curated answers", name)
	}
	return out, nil
}

// jsonAnswer is an import line; alternates and tags may be a list or one
// string.
type jsonAnswer struct {
	ID         string       `json:"id"`
	Question   string       `json:"question"`
	Answer     string       `json:"answer"`
	Alternates stringsOrOne `json:"alternates"`
	Lang       string       `json:"lang"`
	Tags       stringsOrOne `json:"tags"`
	Author     string       `json:"author"`
}

type stringsOrOne []string

func (s *stringsOrOne) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = split(one)
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("want a string or a list of strings")
	}
	*s = many
	return nil
}

func split(cell string) []string {
	if strings.TrimSpace(cell) == "" {
		return nil
	}
	return strings.Split(cell, "|")
}

func parseJSONL(name string, r io.Reader) ([]Answer, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []Answer
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 || b[0] == '#' {
			continue
		}
		var j jsonAnswer
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		a := Answer{ID: j.ID, Question: j.Question, Answer: j.Answer, Alternates: j.Alternates, Lang: j.Lang, Tags: j.Tags, Author: j.Author}
		if err := add(&out, a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return out, nil
}

func add(out *[]Answer, a Answer) error {
	if len(*out) >= MaxImportEntries {
		return fmt.Errorf("more than %d entries", MaxImportEntries)
	}
	if err := a.Validate(); err != nil {
		return err
	}
	*out = append(*out, a)
	return nil
}

var csvColumns = []string{"question", "answer", "alternates", "lang", "tags", "id", "author"}

func parseCSV(name string, r io.Reader) ([]Answer, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: %v", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(csvColumns, h) {
			return nil, fmt.Errorf("%s:1: unknown column %q (known: %s)", name, h, strings.Join(csvColumns, ", "))
		}
		col[h] = i
	}
	for _, need := range []string{"question", "answer"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s:1: no %q column", name, need)
		}
	}
	var out []Answer
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		line, _ := cr.FieldPos(0)
		cell := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		a := Answer{ID: strings.TrimSpace(cell("id")), Question: cell("question"), Answer: cell("answer"), Alternates: split(cell("alternates")),
			Lang: cell("lang"), Tags: split(cell("tags")), Author: strings.TrimSpace(cell("author"))}
		if err := add(&out, a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	return out, nil
}
