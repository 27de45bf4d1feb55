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
	"sort"
	"strings"

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

// Text returns s with the personal data it finds replaced by
// placeholders, and names the caller knows (the customer's name, say)
// replaced wherever they appear.
func Text(s string, known ...string) string {
	return rewrite(s, known, false, func(b *strings.Builder, sp span) { b.WriteString(sp.with) })
}

// Remove returns s without the personal data Text would replace, its
// white space folded: a shopper's words fit to keep as a phrasing of a
// question ("My name is Jane, can I return boots?" → "can I return
// boots?" less the cue's leftovers).
func Remove(s string, known ...string) string {
	out := rewrite(s, known, true, func(b *strings.Builder, _ span) { b.WriteByte(' ') })
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
func rewrite(s string, known []string, withCue bool, put func(*strings.Builder, span)) string {
	spans := find(s, known)
	if withCue {
		for i := range spans {
			spans[i].a = spans[i].from
		}
		sort.Slice(spans, func(i, j int) bool {
			if spans[i].a != spans[j].a {
				return spans[i].a < spans[j].a
			}
			return spans[i].b > spans[j].b
		})
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
		at = sp.b
	}
	b.WriteString(s[at:])
	return b.String()
}

// find returns the spans of personal data in s, ordered by start, the
// longest first at each start (overlapping ones are merged by rewrite).
func find(s string, known []string) []span {
	var spans []span
	for _, m := range mention.Find(s, nil) {
		with := map[mention.Kind]string{mention.Email: Email, mention.Phone: Phone, mention.Order: Order, mention.Postcode: Postcode}[m.Kind]
		if with != "" {
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
	for _, k := range known {
		for _, name := range nameParts(k) {
			re, err := regexp.Compile(`(?i)` + regexp.QuoteMeta(name))
			if err != nil {
				continue
			}
			for _, m := range re.FindAllStringIndex(s, -1) {
				spans = append(spans, span{m[0], m[0], m[1], Name})
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].a != spans[j].a {
			return spans[i].a < spans[j].a
		}
		return spans[i].b > spans[j].b
	})
	return spans
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

// nameParts are the pieces of a known name worth replacing: the whole
// name, and each word of three or more letters.
func nameParts(name string) []string {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	out := []string{name}
	for _, w := range strings.Fields(name) {
		if len([]rune(w)) >= 3 && w != name {
			out = append(out, w)
		}
	}
	return out
}
