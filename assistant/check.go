package assistant

import (
	"strings"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/grounding"
	"github.com/shopdesk/shopdesk/mention"
)

// checker passes a streamed answer on one sentence at a time, each only
// after grounding.Check has found every price, order number and product
// name in it among the sources. A sentence with an unsupported claim is
// dropped; a citation of a source that does not exist is deleted.
type checker struct {
	sources []grounding.Source
	opts    grounding.Options
	emit    func(string) error

	pending  strings.Builder // text of the sentence being received
	sent     strings.Builder // what has been passed on
	failures []grounding.Claim
}

// checkOptions are what the turn's answer is checked with: the catalog's
// product names, and the order numbers the shopper gave, in this message
// or remembered from earlier ones.
func checkOptions(t *turn) grounding.Options {
	var opts grounding.Options
	if t.catalog != nil {
		opts.Products = t.catalog.Names()
	}
	opts.Given = mention.OrderNumbers(t.user.Content)
	if n := t.conv.Details.OrderNumber; n != "" {
		opts.Given = append(opts.Given, n)
	}
	return opts
}

// write takes the next piece of the answer.
func (c *checker) write(text string) error {
	c.pending.WriteString(text)
	for {
		buf := c.pending.String()
		end := sentenceEnd(buf)
		if end < 0 {
			return nil
		}
		c.pending.Reset()
		c.pending.WriteString(buf[end:])
		if err := c.sentence(buf[:end]); err != nil {
			return err
		}
	}
}

// close checks and passes on whatever is left.
func (c *checker) close() error {
	rest := c.pending.String()
	c.pending.Reset()
	if strings.TrimSpace(rest) == "" {
		return nil
	}
	return c.sentence(rest)
}

func (c *checker) sentence(s string) error {
	r := grounding.Check(s, c.sources, c.opts)
	if !r.OK() {
		c.failures = append(c.failures, r.Unsupported...)
		for _, claim := range r.Unsupported {
			if claim.Kind != "citation" {
				return nil // the whole sentence goes
			}
		}
		trail := s[len(strings.TrimRight(s, " \t\r\n")):]
		s, _ = grounding.Repair(s, r)
		s += trail
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if c.sent.Len() == 0 {
		s = strings.TrimLeft(s, " \t\r\n")
	}
	c.sent.WriteString(s)
	return c.emit(s)
}

// substantive reports whether what was passed on says anything: a dozen
// letters or Chinese characters at least.
func (c *checker) substantive() bool {
	n := 0
	for _, r := range c.sent.String() {
		if r > 127 || ('a' <= r|0x20 && r|0x20 <= 'z') {
			n++
		}
	}
	return n >= 12
}

// sentenceEnd returns the end of the first complete sentence in s, after
// its terminator and any spaces that follow, or -1. An English full stop,
// question or exclamation mark ends a sentence only when followed by
// space, so "$12.99" and "3.5 kg" stay whole; Chinese terminators and
// line breaks always end one.
func sentenceEnd(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		next := i + size
		switch r {
		case '。', '！', '？', '；', '\n':
			return skipSpace(s, next)
		case '.', '!', '?':
			if next < len(s) && (s[next] == ' ' || s[next] == '\n' || s[next] == '\t') {
				return skipSpace(s, next)
			}
		}
		i = next
	}
	return -1
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	return i
}

// utf8Prefix cuts s to at most n bytes without splitting a character.
func utf8Prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
