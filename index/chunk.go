package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/lang"
)

// ChunkOptions bound chunk sizes, in estimated tokens.
type ChunkOptions struct {
	// MaxTokens is the budget for one chunk (default 320).
	MaxTokens int
	// OverlapTokens of the previous chunk's end open the next chunk of the
	// same section, so a fact cut at a boundary is whole in one of them
	// (default 48).
	OverlapTokens int
	// WholeLimit caps records kept whole (FAQ entries, products); past it
	// they are split like any text (default 2048).
	WholeLimit int
}

func (o ChunkOptions) withDefaults() ChunkOptions {
	if o.MaxTokens <= 0 {
		o.MaxTokens = 320
	}
	if o.OverlapTokens < 0 || o.OverlapTokens >= o.MaxTokens {
		o.OverlapTokens = o.MaxTokens / 8
	}
	if o.OverlapTokens == 0 {
		o.OverlapTokens = 48
	}
	if o.WholeLimit <= 0 {
		o.WholeLimit = 2048
	}
	return o
}

// Split cuts a document into chunks that follow its structure: a heading
// starts a new chunk, paragraphs and list items are packed up to the
// budget, and only a block larger than the budget is cut inside, at
// sentence ends. FAQ entries and products stay one chunk.
func Split(doc *Document, opts ChunkOptions) []Chunk {
	opts = opts.withDefaults()
	blocks := doc.Blocks
	if len(blocks) == 0 {
		blocks = paragraphs(doc.Text)
	}
	s := splitter{doc: doc, opts: opts}
	if doc.keepsWhole() {
		text := joinBlocks(blocks)
		if lang.Tokens(text) <= opts.WholeLimit {
			s.emit(text)
			return s.out
		}
	}
	for _, b := range blocks {
		text := strings.TrimSpace(b.Text)
		if text == "" {
			continue
		}
		switch b.Kind {
		case Heading:
			s.flush()
			s.heading(b.Level, text)
		default:
			s.add(blockText(b))
		}
	}
	s.flush()
	if len(s.out) == 0 && strings.TrimSpace(doc.Title) != "" {
		s.emit("") // a title alone is still findable
	}
	return s.out
}

func blockText(b Block) string {
	text := strings.TrimSpace(b.Text)
	if b.Kind == ListItem {
		return strings.Repeat("  ", max(b.Level-1, 0)) + "- " + text
	}
	return text
}

func joinBlocks(blocks []Block) string {
	var parts []string
	for _, b := range blocks {
		if t := strings.TrimSpace(b.Text); t != "" {
			parts = append(parts, blockText(b))
		}
	}
	return strings.Join(parts, "\n")
}

// paragraphs splits plain text at blank lines.
func paragraphs(text string) []Block {
	var out []Block
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, Block{Kind: Paragraph, Text: p})
		}
	}
	return out
}

type splitter struct {
	doc      *Document
	opts     ChunkOptions
	path     []string // heading path
	pathLvls []int
	cur      []string
	curToks  int
	// carry is the overlap to open the next chunk with, if it stays in the
	// same section.
	carry string
	out   []Chunk
}

func (s *splitter) heading(level int, text string) {
	for len(s.pathLvls) > 0 && s.pathLvls[len(s.pathLvls)-1] >= level {
		s.path, s.pathLvls = s.path[:len(s.path)-1], s.pathLvls[:len(s.pathLvls)-1]
	}
	s.carry = ""
	if level <= 1 && strings.EqualFold(text, strings.TrimSpace(s.doc.Title)) {
		return // the document title is already the chunk's title
	}
	s.path, s.pathLvls = append(s.path, text), append(s.pathLvls, level)
}

func (s *splitter) add(text string) {
	toks := lang.Tokens(text)
	if toks > s.opts.MaxTokens {
		s.flush()
		// Leave room for the overlap that opens each following piece.
		for _, piece := range pack(sentences(text), s.opts.MaxTokens-s.opts.OverlapTokens) {
			s.addFitting(piece, lang.Tokens(piece))
		}
		return
	}
	s.addFitting(text, toks)
}

func (s *splitter) addFitting(text string, toks int) {
	if s.curToks > 0 && s.curToks+toks > s.opts.MaxTokens {
		s.flush()
	}
	if len(s.cur) == 0 && s.carry != "" {
		if ct := lang.Tokens(s.carry); ct+toks <= s.opts.MaxTokens {
			s.cur, s.curToks = append(s.cur, s.carry), ct
		}
		s.carry = ""
	}
	s.cur = append(s.cur, text)
	s.curToks += toks
}

func (s *splitter) flush() {
	if len(s.cur) == 0 {
		return
	}
	text := strings.Join(s.cur, "\n")
	s.emit(text)
	s.carry = tail(text, s.opts.OverlapTokens)
	s.cur, s.curToks = nil, 0
}

func (s *splitter) emit(text string) {
	s.out = append(s.out, Chunk{
		DocID:    s.doc.ID,
		Position: len(s.out),
		Title:    s.doc.Title,
		Heading:  strings.Join(s.path, " › "),
		Text:     text,
		URL:      s.doc.URL,
		Kind:     s.doc.Kind,
		Lang:     s.doc.Lang,
	})
}

// tail returns the last whole sentences of text that fit in budget tokens.
func tail(text string, budget int) string {
	ss := sentences(text)
	used, start := 0, len(ss)
	for start > 0 {
		t := lang.Tokens(ss[start-1])
		if used+t > budget {
			break
		}
		used += t
		start--
	}
	return strings.TrimSpace(strings.Join(ss[start:], ""))
}

// sentences splits text after sentence-ending punctuation (Latin and
// Chinese) and line breaks, keeping the punctuation with its sentence.
func sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		end := false
		switch r {
		case '。', '！', '？', '；', '\n':
			end = true
		case '.', '!', '?', ';':
			next, _ := utf8.DecodeRuneInString(text[i+1:])
			end = i+1 == len(text) || unicode.IsSpace(next)
		}
		if end {
			j := i + utf8.RuneLen(r)
			if s := text[start:j]; strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
			start = j
		}
	}
	if s := text[start:]; strings.TrimSpace(s) != "" {
		out = append(out, s)
	}
	return out
}

// pack joins sentences into pieces of at most budget tokens; a sentence
// longer than the budget is cut at a rune boundary.
func pack(ss []string, budget int) []string {
	var out []string
	var cur strings.Builder
	curToks := 0
	put := func() {
		if strings.TrimSpace(cur.String()) != "" {
			out = append(out, strings.TrimSpace(cur.String()))
		}
		cur.Reset()
		curToks = 0
	}
	for _, s := range ss {
		t := lang.Tokens(s)
		if t > budget {
			put()
			out = append(out, hardSplit(s, budget)...)
			continue
		}
		if curToks+t > budget {
			put()
		}
		cur.WriteString(s)
		curToks += t
	}
	put()
	return out
}

// hardSplit cuts s into pieces of at most budget tokens, preferring spaces.
func hardSplit(s string, budget int) []string {
	var out []string
	for s != "" {
		cut, lastSpace := len(s), -1
		var c lang.TokenCounter
		for i, r := range s {
			if unicode.IsSpace(r) {
				lastSpace = i
			}
			c.Add(r)
			if c.Total() > budget {
				cut = i
				if lastSpace > 0 {
					cut = lastSpace
				}
				break
			}
		}
		if cut == 0 {
			_, size := utf8.DecodeRuneInString(s)
			cut = size
		}
		if piece := strings.TrimSpace(s[:cut]); piece != "" {
			out = append(out, piece)
		}
		s = s[cut:]
	}
	return out
}
