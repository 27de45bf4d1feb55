// Package index makes a merchant's knowledge searchable: it chunks
// documents, indexes the chunks for keyword search (Bleve) and vector
// search (an embedded store or Qdrant), and fuses both rankings.
//
// Everything is per tenant: every write and every search names its tenant,
// and no search returns another tenant's chunks.
package index

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// The kinds of document shopdesk knows; others are accepted as given.
const (
	KindFAQ        = "faq"
	KindPolicy     = "policy"
	KindProduct    = "product"
	KindTranscript = "transcript"
	KindPage       = "page"
)

// Document is one piece of merchant knowledge: an FAQ entry, a policy
// page, a product, a past support transcript.
type Document struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Text  string   `json:"text"`
	URL   string   `json:"url,omitempty"`
	Kind  string   `json:"kind,omitempty"`
	Lang  string   `json:"lang,omitempty"`
	Tags  []string `json:"tags,omitempty"`
	// Blocks are the document's structure (headings, paragraphs, list
	// items), when its format has one. Without blocks, Text is split at
	// blank lines.
	Blocks []Block `json:"-"`
	// Whole marks a record that must stay one chunk (an FAQ entry, a
	// product), whatever its kind.
	Whole bool `json:"-"`
	// Source says where the document came from, for messages: "faq.csv:12".
	Source string `json:"source,omitempty"`
}

// BlockKind is the role of a block of text.
type BlockKind int

// The kinds of block.
const (
	Paragraph BlockKind = iota
	Heading
	ListItem
	TableRow
	Code
)

// Block is one structural unit of a document.
type Block struct {
	Kind BlockKind
	// Level is the heading level (1 for a title) or list nesting depth.
	Level int
	Text  string
}

// Validate checks the fields every document needs.
func (d *Document) Validate() error {
	switch {
	case strings.TrimSpace(d.ID) == "":
		return fmt.Errorf("document has no id")
	case len(d.ID) > 256:
		return fmt.Errorf("document id is longer than 256 bytes")
	case strings.TrimSpace(d.Title) == "" && strings.TrimSpace(d.Text) == "" && len(d.Blocks) == 0:
		return fmt.Errorf("document %q has neither title nor text", d.ID)
	}
	return nil
}

// maxQuestionText bounds the text under a question title that still makes
// an FAQ entry: a longer document is a page that happens to ask.
const maxQuestionText = 2000

// KindFor returns the kind of a document that names none: an FAQ entry
// when its title asks a question (ends in '?' or '？') and its text,
// the answer, is a record or short; a page otherwise. An FAQ entry is
// kept whole and may be quoted word for word when no model can answer.
func KindFor(d *Document) string {
	title := strings.TrimSpace(d.Title)
	if !strings.HasSuffix(title, "?") && !strings.HasSuffix(title, "？") {
		return KindPage
	}
	size := len(strings.TrimSpace(d.Text))
	for _, b := range d.Blocks {
		if b.Kind != Heading {
			size += len(strings.TrimSpace(b.Text))
		}
	}
	if size == 0 || !d.Whole && size > maxQuestionText {
		return KindPage
	}
	return KindFAQ
}

// keepsWhole reports whether the document is one chunk whatever its size.
func (d *Document) keepsWhole() bool {
	return d.Whole || d.Kind == KindFAQ || d.Kind == KindProduct
}

// Chunk is the unit that is indexed and retrieved: a passage of one
// document, with enough context to cite it.
type Chunk struct {
	Tenant string `json:"-"`
	DocID  string `json:"doc_id"`
	// Gen is the document's generation: each re-ingest that changes the
	// document writes a new one, and searches only see the current one.
	Gen int64 `json:"-"`
	// Position is the chunk's place in its document, from 0.
	Position int    `json:"position"`
	Title    string `json:"title"`
	// Heading is the path of section headings above the chunk
	// ("Returns › Condition of items"), if the document has sections.
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text"`
	URL     string `json:"url,omitempty"`
	Kind    string `json:"kind,omitempty"`
	Lang    string `json:"lang,omitempty"`
}

// Key identifies the chunk in every index. It is unique across tenants,
// documents and generations, and can be parsed back with ParseKey.
func (c *Chunk) Key() string {
	return chunkKey(c.Tenant, c.DocID, c.Gen, c.Position)
}

func chunkKey(tenant, docID string, gen int64, pos int) string {
	return url.PathEscape(tenant) + "/" + url.PathEscape(docID) + "/" + strconv.FormatInt(gen, 10) + "/" + strconv.Itoa(pos)
}

// ChunkRef is a parsed chunk key.
type ChunkRef struct {
	Tenant   string
	DocID    string
	Gen      int64
	Position int
}

// ParseKey reverses Chunk.Key.
func ParseKey(key string) (ChunkRef, error) {
	parts := strings.Split(key, "/")
	if len(parts) != 4 {
		return ChunkRef{}, fmt.Errorf("malformed chunk key %q", key)
	}
	tenant, err1 := url.PathUnescape(parts[0])
	doc, err2 := url.PathUnescape(parts[1])
	gen, err3 := strconv.ParseInt(parts[2], 10, 64)
	pos, err4 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return ChunkRef{}, fmt.Errorf("malformed chunk key %q", key)
	}
	return ChunkRef{Tenant: tenant, DocID: doc, Gen: gen, Position: pos}, nil
}

// IndexedText is what the keyword and vector indexes see of a chunk's
// body: its section heading, then its text.
func (c *Chunk) IndexedText() string {
	if c.Heading == "" {
		return c.Text
	}
	return c.Heading + "\n" + c.Text
}

// ContentHash identifies what was embedded for the chunk, so an unchanged
// chunk is never embedded twice.
func (c *Chunk) ContentHash() string {
	h := sha256.New()
	h.Write([]byte(c.Title))
	h.Write([]byte{0})
	h.Write([]byte(c.IndexedText()))
	return hex.EncodeToString(h.Sum(nil))
}
