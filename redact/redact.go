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

var (
	// nameCue finds a name the writer gives: up to three capitalised
	// words after "my name is", "I'm"/"I am" + capital, "this is", or a
	// Chinese cue and two to four Han characters.
	nameCue = regexp.MustCompile(`(?i:\b(?:my name is|my name's|this is|call me)\s+)([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+){0,2})` +
		`|\bI(?:'m| am)\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\b` +
		`|(?:我叫|我的名字是|我是|本人)\s*(\p{Han}{2,4})`)
	// address finds a house number and street, English or Chinese.
	address = regexp.MustCompile(`(?i)\b\d{1,6}\s+(?:[A-Z][\p{L}.'-]*\s+){0,4}(?:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|lane|ln\.?|drive|dr\.?|way|court|ct\.?|place|pl\.?|terrace)\b(?:[ ,]+(?:apt|unit|suite|#)\s*\w+)?` +
		`|\p{Han}{1,8}(?:省|市|区|县|镇)\p{Han}{0,12}(?:路|街|道|巷|弄)\s*\d+\s*号(?:\s*\d+\s*(?:栋|幢|楼|室|单元))*`)
	// notNames are words after "I'm" that are not names ("I'm Happy").
	notNames = map[string]bool{"Sorry": true, "Not": true, "Looking": true, "Happy": true, "Trying": true, "Still": true,
		"Just": true, "Interested": true, "Having": true, "Going": true, "So": true, "Very": true, "Really": true, "Done": true, "Back": true}
	// notChineseNames follow "我是" without being names ("我是新客户").
	notChineseNames = []string{"新", "老", "第", "会员", "顾客", "客户", "买家", "学生", "想", "要", "在", "不"}
)

// Text returns s with the personal data it finds replaced, and names the
// caller knows (the customer's name, say) replaced wherever they appear.
func Text(s string, known ...string) string {
	type span struct {
		a, b int
		with string
	}
	var spans []span
	for _, m := range mention.Find(s, nil) {
		with := map[mention.Kind]string{mention.Email: Email, mention.Phone: Phone, mention.Order: Order, mention.Postcode: Postcode}[m.Kind]
		if with != "" {
			spans = append(spans, span{m.Start, m.End, with})
		}
	}
	for _, m := range address.FindAllStringIndex(s, -1) {
		spans = append(spans, span{m[0], m[1], Address})
	}
	for _, m := range nameCue.FindAllStringSubmatchIndex(s, -1) {
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] < 0 {
				continue
			}
			if w := s[m[g]:m[g+1]]; isName(w) {
				spans = append(spans, span{m[g], m[g+1], Name})
			}
		}
	}
	for _, k := range known {
		for _, name := range nameParts(k) {
			re, err := regexp.Compile(`(?i)` + regexp.QuoteMeta(name))
			if err != nil {
				continue
			}
			for _, m := range re.FindAllStringIndex(s, -1) {
				spans = append(spans, span{m[0], m[1], Name})
			}
		}
	}
	if len(spans) == 0 {
		return s
	}
	// Longest first at each start; overlapping spans merge into the first.
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].a != spans[j].a {
			return spans[i].a < spans[j].a
		}
		return spans[i].b > spans[j].b
	})
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		if sp.a < at {
			continue
		}
		b.WriteString(s[at:sp.a])
		b.WriteString(sp.with)
		at = sp.b
	}
	b.WriteString(s[at:])
	return b.String()
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
