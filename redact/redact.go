// Package redact removes personal data from text that shopdesk keeps or
// shows beyond its conversation: learned phrasings, FAQ candidates,
// training exports. It replaces e-mail addresses, phone numbers, order
// numbers and postcodes (found by package mention), names a shopper
// introduces ("my name is …", "我叫…"), street addresses, and any names
// the caller knows (the customer's), with placeholders such as
// "[email]".
//
// It is a best effort with known limits: names not introduced by a cue,
// and addresses without a house number or street word, stay. Text that
// will be published is still reviewed by a person.
package redact

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/mention"
)

// The placeholders of each kind of personal data.
const (
	Email    = "[email]"
	Phone    = "[phone]"
	Order    = "[order number]"
	Postcode = "[postcode]"
	Name     = "[name]"
	Address  = "[address]"
)

// A pattern finds personal data of one kind; group 1, when the pattern
// has it, is the personal part and the rest its cue ("I live at").
type pattern struct {
	re   *regexp.Regexp
	with string
}

var patterns = []pattern{
	// A house number and a street word; a Chinese road, street or lane
	// with a number.
	{regexp.MustCompile(`(?i)\b(\d{1,6}[a-z]?\s+(?:[\p{L}.'-]+\s+){0,4}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|crescent)\b\.?(?:[ ,]+(?:apt|unit|suite|#)\s*\w+)?)`), Address},
	{regexp.MustCompile(`(\p{Han}{1,8}(?:省|市|区|县|镇)?\p{Han}{0,12}(?:路|街|道|巷|弄)\s*\d+\s*号(?:\s*\d+\s*(?:栋|幢|楼|室|单元))*)`), Address},
	// An address cue, to the end of the clause; in Chinese, to the last
	// place word in the next 20 characters.
	{regexp.MustCompile(`(?i)\b(?:i live at|i live on|my address is|my address:|address:|ship(?:ped)? to|deliver(?:ed)? to|send it to)\s+([^.,;!?\n]*\d[^.,;!?\n]*)`), Address},
	{regexp.MustCompile(`(?:地址是|地址[:：]|住在|寄到|送到)\s*([\p{Han}\d]{0,20}(?:省|市|区|县|镇|村|路|街|道|巷|弄|号|室))`), Address},
	// A name cue and the name: up to three capitalised words; two or
	// three Han characters.
	{regexp.MustCompile(`(?i:\b(?:my name is|my name's|this is|name:|name is|i am called|call me))\s+([A-Z][\p{L}'-]*(?:\s+[A-Z][\p{L}'-]*){0,2})`), Name},
	{regexp.MustCompile(`\bI(?:'m| am)\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\b`), Name},
	{regexp.MustCompile(`(?:我叫|我的名字是|我的名字叫|名字是|姓名[:：]?|我是|本人)\s*(\p{Han}{2,3})`), Name},
}

var (
	// notNames are words after "I'm" or "this is" that are not names
	// ("I'm Happy").
	notNames = map[string]bool{"Sorry": true, "Not": true, "Looking": true, "Happy": true, "Trying": true, "Still": true,
		"Just": true, "Interested": true, "Having": true, "Going": true, "So": true, "Very": true, "Really": true, "Done": true,
		"Back": true, "The": true, "A": true, "An": true, "My": true, "It": true, "Your": true, "Our": true}
	// notChineseNames begin words after "我是" that are not names
	// ("我是新客户").
	notChineseNames = []string{"新", "老", "第", "会员", "顾客", "客户", "买家", "学生", "想", "要", "在", "不", "从", "您", "你"}
)

// Redactor removes personal data with what the caller knows: people's
// names to remove wherever they appear, and texts the shop published,
// whose identifiers (the support phone number, say) are the shop's and
// stay. Count adds up what it replaced. A Redactor is not safe for
// concurrent use.
type Redactor struct {
	names  []*regexp.Regexp
	keep   map[string]bool // mention values the shop published
	public []string
	// Count is how many pieces of personal data Text and Remove replaced.
	Count int
}

// New returns a Redactor removing names and keeping the identifiers of
// public.
func New(names, public []string) *Redactor {
	r := &Redactor{keep: map[string]bool{}, public: public}
	for _, p := range public {
		for _, m := range mention.Find(p, nil) {
			r.keep[m.Value] = true
		}
	}
	var forms []string
	for _, n := range names {
		forms = append(forms, nameForms(n)...)
	}
	// Longest first, so "Emily Carter" goes whole before "Emily" alone.
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	for _, f := range slices.Compact(forms) {
		q := regexp.QuoteMeta(f)
		if !isHan(f) {
			q = `\b` + q + `\b`
		}
		r.names = append(r.names, regexp.MustCompile(`(?i)`+q))
	}
	return r
}

// Text returns s with the personal data it finds replaced by
// placeholders, and names the caller knows (the customer's name, say)
// replaced wherever they appear.
func Text(s string, known ...string) string { return New(known, nil).Text(s) }

// Remove returns s without the personal data Text would replace, its
// white space folded: a shopper's words fit to keep as a phrasing of a
// question ("My name is Jane, can I return boots?" → "can I return
// boots?").
func Remove(s string, known ...string) string { return New(known, nil).Remove(s) }

// Text returns s with its personal data replaced by placeholders.
func (r *Redactor) Text(s string) string {
	return r.rewrite(s, false, func(b *strings.Builder, sp span) { b.WriteString(sp.with) })
}

// Remove returns s without its personal data or the cues that announce it.
func (r *Redactor) Remove(s string) string {
	out := r.rewrite(s, true, func(b *strings.Builder, _ span) { b.WriteByte(' ') })
	return strings.Trim(strings.Join(strings.Fields(out), " "), " ,;:，；：、")
}

// span is a piece of personal data, a to b; from is where its cue
// ("my name is") starts, a when it has none.
type span struct {
	from, a, b int
	with       string
}

// rewrite writes s with each span of personal data given to put, with
// its cue when withCue is set.
func (r *Redactor) rewrite(s string, withCue bool, put func(*strings.Builder, span)) string {
	spans := r.find(s)
	if withCue {
		for i := range spans {
			spans[i].a = spans[i].from
		}
		order(spans)
	}
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		if sp.a < at {
			continue
		}
		b.WriteString(s[at:sp.a])
		put(&b, sp)
		r.Count++
		at = sp.b
	}
	b.WriteString(s[at:])
	return b.String()
}

// find returns the spans of personal data in s, ordered by start, the
// longest first at each start (overlapping ones are merged by rewrite).
func (r *Redactor) find(s string) []span {
	var spans []span
	for _, m := range mention.Find(s, nil) {
		with := map[mention.Kind]string{mention.Email: Email, mention.Phone: Phone, mention.Order: Order, mention.Postcode: Postcode}[m.Kind]
		if with != "" && !r.keep[m.Value] {
			spans = append(spans, span{m.Start, m.Start, m.End, with})
		}
	}
	for _, p := range patterns {
		for _, m := range p.re.FindAllStringSubmatchIndex(s, -1) {
			a, b := m[0], m[1]
			if len(m) >= 4 && m[2] >= 0 {
				a, b = m[2], m[3]
			}
			if a == b || p.with == Name && !isName(s[a:b]) {
				continue
			}
			spans = append(spans, span{m[0], a, b, p.with})
		}
	}
	for _, re := range r.names {
		for _, m := range re.FindAllStringIndex(s, -1) {
			spans = append(spans, span{m[0], m[0], m[1], Name})
		}
	}
	if len(r.public) > 0 {
		// What the shop published is the shop's: an address or name that
		// stands in a public text stays.
		kept := spans[:0]
		for _, sp := range spans {
			if sp.with == Address || sp.with == Name {
				if r.published(s[sp.a:sp.b]) {
					continue
				}
			}
			kept = append(kept, sp)
		}
		spans = kept
	}
	order(spans)
	return spans
}

func (r *Redactor) published(text string) bool {
	for _, p := range r.public {
		if strings.Contains(p, text) {
			return true
		}
	}
	return false
}

func order(spans []span) {
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].a != spans[j].a {
			return spans[i].a < spans[j].a
		}
		return spans[i].b > spans[j].b
	})
}

func isName(w string) bool {
	first, _, _ := strings.Cut(w, " ")
	if notNames[first] {
		return false
	}
	for _, p := range notChineseNames {
		if strings.HasPrefix(w, p) {
			return false
		}
	}
	return true
}

// nameForms are the forms of a known name worth replacing: the whole
// name; for a Latin-letter name each word of three letters or more; for
// a Chinese name of three or more characters the given name after the
// one-character surname ("陈思远", "思远").
func nameForms(name string) []string {
	name = strings.TrimSpace(strings.ToValidUTF8(name, ""))
	if utf8.RuneCountInString(name) < 2 || strings.IndexFunc(name, unicode.IsLetter) < 0 {
		return nil
	}
	out := []string{name}
	if isHan(name) {
		if rs := []rune(name); len(rs) >= 3 {
			out = append(out, string(rs[1:]))
		}
		return out
	}
	for _, w := range strings.Fields(name) {
		if utf8.RuneCountInString(w) >= 3 && strings.IndexFunc(w, unicode.IsLetter) >= 0 && w != name {
			out = append(out, w)
		}
	}
	return out
}

func isHan(s string) bool {
	for _, c := range s {
		if !unicode.Is(unicode.Han, c) {
			return false
		}
	}
	return s != ""
}
