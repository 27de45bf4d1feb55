// Package formats reads merchant files into documents: JSONL, JSON and
// CSV records (with a field mapping), Markdown, HTML, plain text and PDF.
//
// A file that cannot be read at all is an error; a bad record inside a
// file is a Problem naming the file and line or record, and the rest of
// the file is still read.
package formats

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/lang"
)

// MaxFileSize is the largest file read (256 MiB).
const MaxFileSize = 256 << 20

// Options say how to read a file.
type Options struct {
	// Format is jsonl, json, csv, tsv, md, html, txt or pdf; empty means
	// by the file name's extension.
	Format string
	// Kind is given to documents that do not say their own; without it,
	// index.KindFor decides (an FAQ entry for a question and its answer).
	Kind string
	// Mapping says which fields of JSON and CSV records hold what.
	Mapping Mapping
	// Name identifies the file in messages and in the IDs of documents
	// made from whole files (default: the path as given).
	Name string
}

// Mapping names the fields (JSON keys or CSV columns) of records. Empty
// fields are found automatically from common names (id/sku/handle,
// title/name/question, text/body/answer/description, ...).
type Mapping struct {
	// Records is the dotted path to the array of records in a JSON
	// document ("products", "data.items"); empty finds it.
	Records string `json:"records,omitempty"`
	ID      string `json:"id,omitempty"`
	Title   string `json:"title,omitempty"`
	URL     string `json:"url,omitempty"`
	Lang    string `json:"lang,omitempty"`
	Kind    string `json:"kind,omitempty"`
	Tags    string `json:"tags,omitempty"`
	// Text lists the fields that make up the text, in order. Empty means
	// the main text field, then every other field as "Name: value" lines.
	Text []string `json:"text,omitempty"`
	// GroupBy makes CSV rows that share this column one document
	// (Shopify exports list one row per variant under the same Handle).
	GroupBy string `json:"group_by,omitempty"`
}

// Problem is a part of a file that could not be read.
type Problem struct {
	// Where is the file and line or record: "faq.csv:12".
	Where string `json:"where"`
	Err   string `json:"error"`
}

func (p Problem) String() string { return p.Where + ": " + p.Err }

// Result is what a file yielded.
type Result struct {
	Docs     []index.Document
	Problems []Problem
}

// Extensions lists the file extensions ReadFile recognizes.
var Extensions = map[string]string{
	".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv",
	".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".txt": "txt", ".text": "txt", ".pdf": "pdf",
}

// FormatOf returns the format for a file name, or "" if unknown.
func FormatOf(name string) string {
	return Extensions[strings.ToLower(filepath.Ext(name))]
}

// ReadFile reads the file at path.
func ReadFile(path string, opts Options) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	if opts.Name == "" {
		opts.Name = path
	}
	if opts.Format == "" {
		opts.Format = FormatOf(path)
	}
	return Read(f, opts)
}

// Read reads one file's content from r. opts.Name names it; opts.Format
// (or the extension of opts.Name) says how to read it.
func Read(r io.Reader, opts Options) (Result, error) {
	if opts.Format == "" {
		opts.Format = FormatOf(opts.Name)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", opts.Name, err)
	}
	if len(data) > MaxFileSize {
		return Result{}, fmt.Errorf("%s: larger than %d MiB", opts.Name, MaxFileSize>>20)
	}
	var res Result
	switch opts.Format {
	case "pdf":
		res, err = readPDF(data, opts)
	case "jsonl", "json", "csv", "tsv", "md", "html", "txt":
		text, derr := decodeText(data)
		if derr != nil {
			return Result{}, fmt.Errorf("%s: %w", opts.Name, derr)
		}
		switch opts.Format {
		case "jsonl":
			res, err = readJSONL(text, opts)
		case "json":
			res, err = readJSON(text, opts)
		case "csv", "tsv":
			res, err = readCSV(text, opts)
		case "md":
			res, err = readMarkdown(text, opts)
		case "html":
			res, err = readHTML(text, opts)
		default:
			res, err = readText(text, opts)
		}
	case "":
		return Result{}, fmt.Errorf("%s: unknown file type; use one of .jsonl .json .csv .tsv .md .html .txt .pdf, or name the format", opts.Name)
	default:
		return Result{}, fmt.Errorf("%s: unknown format %q", opts.Name, opts.Format)
	}
	if err != nil {
		return Result{}, err
	}
	for i := range res.Docs {
		finish(&res.Docs[i], opts)
	}
	return res, nil
}

// finish fills what every document needs from the options and its text.
func finish(d *index.Document, opts Options) {
	if d.Kind == "" {
		d.Kind = opts.Kind
	}
	if d.Kind == "" {
		d.Kind = index.KindFor(d)
	}
	if d.Lang == "" {
		sample := d.Title + "\n" + d.Text
		if len(sample) > 4096 {
			sample = sample[:4096]
		}
		d.Lang = lang.Detect(sample)
	}
}

// decodeText returns data as UTF-8 text. Besides UTF-8 (with or without a
// byte-order mark) it accepts UTF-16 with a byte-order mark and GB18030
// (which includes GBK), as spreadsheet programs in China often export.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), data)
		if err != nil {
			return "", fmt.Errorf("not valid UTF-16 text")
		}
		return out, nil
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := decodeWith(simplifiedchinese.GB18030, data)
	if err != nil || strings.ContainsRune(out, utf8.RuneError) {
		return "", fmt.Errorf("the text is neither UTF-8 nor GB18030 (GBK); save it as UTF-8")
	}
	return out, nil
}

func decodeWith(enc encoding.Encoding, data []byte) (string, error) {
	out, err := enc.NewDecoder().Bytes(data)
	return string(out), err
}

// cleanID makes a document ID from a file path: forward slashes, no
// leading "./".
func cleanID(name string) string {
	return strings.TrimPrefix(filepath.ToSlash(filepath.Clean(name)), "./")
}

// titleFromName makes a title from a file name: "returns-policy.en.md"
// becomes "returns policy".
func titleFromName(name string) string {
	base := filepath.Base(name)
	for ext := filepath.Ext(base); isExt(ext); ext = filepath.Ext(base) {
		base = strings.TrimSuffix(base, ext)
	}
	return strings.TrimSpace(strings.NewReplacer("-", " ", "_", " ").Replace(base))
}

// isExt reports whether ext looks like a file extension or language tag
// (".md", ".en"), not part of a name ("v1.2 guide").
func isExt(ext string) bool {
	if len(ext) < 2 || len(ext) > 9 {
		return false
	}
	for _, r := range ext[1:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
