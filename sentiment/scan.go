package sentiment

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokWord  tokKind = iota // a lower-cased word of letters and digits
	tokHan                  // a run of Chinese characters, matched by substring
	tokEmoji                // w holds the weight
	tokBreak                // clause-ending punctuation in p
)

type token struct {
	kind tokKind
	caps bool // a word written in capitals, two letters or more
	p    byte // for tokBreak: '?', '!' or '.'
	s    string
	w    float64
}

// tokenizer splits text into words, Chinese runs, emoji and clause breaks,
// and counts what the whole-message rules need.
type tokenizer struct {
	toks         []token
	lower        string // text with ASCII letters lower-cased, same offsets
	words        int    // English (Latin-script) words
	capsWords    int
	exclamations int
	questionRun  int  // longest run of question marks
	lastBreak    byte // the last break's punctuation
}

// tokenizers recycles tokenizers and their token buffers, so that
// Classify does not allocate them for each message.
var tokenizers = sync.Pool{New: func() any { return &tokenizer{toks: make([]token, 0, 64)} }}

// maxPooledTokens bounds the buffer a recycled tokenizer keeps.
const maxPooledTokens = 1024

func getTokenizer() *tokenizer { return tokenizers.Get().(*tokenizer) }

// release clears t, so that it holds no text, and recycles it.
func (t *tokenizer) release() {
	if cap(t.toks) > maxPooledTokens {
		return
	}
	clear(t.toks)
	*t = tokenizer{toks: t.toks[:0]}
	tokenizers.Put(t)
}

// run tokenizes text.
func (t *tokenizer) run(text string) {
	t.lower = asciiLower(text)
	qrun := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != '?' && r != '？' {
			qrun = 0
		}
		switch {
		case unicode.Is(unicode.Han, r):
			j := i + size
			for j < len(text) {
				r2, n := utf8.DecodeRuneInString(text[j:])
				if !unicode.Is(unicode.Han, r2) {
					break
				}
				j += n
			}
			t.toks = append(t.toks, token{kind: tokHan, s: text[i:j]})
			i = j
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			i = t.word(text, i)
			continue
		case r == '!' || r == '！':
			t.exclamations++
			t.brk('!')
		case r == '?' || r == '？':
			qrun++
			t.questionRun = max(t.questionRun, qrun)
			t.brk('?')
		case r == ':' && i+1 < len(text):
			if w, n := emoticon(text[i+1:]); n > 0 {
				t.toks = append(t.toks, token{kind: tokEmoji, w: w})
				i += 1 + n
				continue
			}
			t.brk('.')
		case strings.ContainsRune(".,;…。，；：、~\n", r):
			t.brk('.')
		default:
			if w, ok := emoji[r]; ok {
				t.toks = append(t.toks, token{kind: tokEmoji, w: w})
			}
		}
		i += size
	}
}

func (t *tokenizer) brk(p byte) {
	t.toks = append(t.toks, token{kind: tokBreak, p: p})
	t.lastBreak = p
}

// word reads the word starting at i and returns the index after it.
// Apostrophes inside a word are kept ("don't", also as "don’t").
func (t *tokenizer) word(text string, i int) int {
	j, letters, upper := i, 0, 0
	plain := true // ASCII only: t.lower has it lower-cased already
	for j < len(text) {
		r, n := utf8.DecodeRuneInString(text[j:])
		if r == '\'' || r == '’' {
			next, _ := utf8.DecodeRuneInString(text[j+n:])
			if j+n >= len(text) || !unicode.IsLetter(next) || unicode.Is(unicode.Han, next) {
				break
			}
			if r == '’' {
				plain = false
			}
			j += n
			continue
		}
		if unicode.Is(unicode.Han, r) || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
		if r >= utf8.RuneSelf {
			plain = false
		}
		j += n
	}
	w := t.lower[i:j]
	if !plain {
		w = strings.ReplaceAll(strings.ToLower(w), "’", "'")
	}
	caps := letters >= 2 && upper == letters
	t.words++
	if caps {
		t.capsWords++
	}
	t.toks = append(t.toks, token{kind: tokWord, s: w, caps: caps})
	return j
}

// asciiLower returns s with A-Z lower-cased, and s itself (no copy) if it
// has none. Byte offsets are unchanged.
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for k := i; k < len(s); k++ {
		c := s[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// emoticon reads an ASCII emoticon after a colon: ":)", ":-(", ":D".
func emoticon(s string) (w float64, n int) {
	if strings.HasPrefix(s, "-") {
		s, n = s[1:], 1
	}
	if s == "" {
		return 0, 0
	}
	switch s[0] {
	case ')', 'D':
		return 1.5, n + 1
	case '(':
		return -1.5, n + 1
	}
	return 0, 0
}

// walk resolves the tokens against the lexicon and feeds the scorer.
func (s *scorer) walk(toks []token) {
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		switch tk.kind {
		case tokBreak:
			s.brk(tk.p)
		case tokEmoji:
			s.sentiment(tk.w, false)
		case tokHan:
			s.han(tk.s)
		case tokWord:
			i += s.english(toks, i)
		}
	}
}

// english resolves the word at toks[i], as the longest phrase starting
// there or as a single word, and returns how many extra tokens it used.
func (s *scorer) english(toks []token, i int) int {
	w := toks[i].s
	for _, p := range enPhrases[w] {
		if matchPhrase(toks[i+1:], p.rest) {
			s.entry(p.e, toks[i].caps, false)
			return len(p.rest)
		}
	}
	if e, ok := enWords[w]; ok {
		s.entry(e, toks[i].caps, false)
	} else {
		s.word()
	}
	return 0
}

func matchPhrase(toks []token, rest []string) bool {
	if len(toks) < len(rest) {
		return false
	}
	for k, w := range rest {
		if toks[k].kind != tokWord || toks[k].s != w {
			return false
		}
	}
	return true
}

// han scans a run of Chinese characters left to right, taking at each
// position the longest lexicon entry that starts there.
func (s *scorer) han(run string) {
	var ends [16]int // byte offset after each of the next runes
	for i := 0; i < len(run); {
		n, j := 0, i
		for n < zhMaxLen && n < len(ends) && j < len(run) {
			_, size := utf8.DecodeRuneInString(run[j:])
			j += size
			ends[n] = j
			n++
		}
		matched := false
		for k := n - 1; k >= 0; k-- {
			if e, ok := zhEntries[run[i:ends[k]]]; ok {
				s.entry(e, false, true)
				i = ends[k]
				matched = true
				break
			}
		}
		if !matched {
			s.word()
			i = ends[0]
		}
	}
}
