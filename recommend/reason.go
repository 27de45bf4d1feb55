package recommend

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/shopdesk/shopdesk/commerce"
)

// signal is the kind of evidence behind a recommendation; the strongest
// one becomes its reason.
type signal int

const (
	signalNone signal = iota
	signalPopular
	signalInterest
	signalBoughtWithPurchase
	signalBoughtWithAsked
	signalRelatedPurchase
	signalRelatedAsked
	signalCategoryPurchase
	signalCategoryAsked
)

// reasonTemplates holds, per signal, the English and Chinese one-line
// reason; %s is a product name, or the interest for signalInterest.
var reasonTemplates = map[signal][2]string{
	signalPopular:            {"Popular with other shoppers", "深受其他顾客欢迎"},
	signalInterest:           {"Matches your interest in \u201c%s\u201d", "符合您关注的\u201c%s\u201d"},
	signalBoughtWithPurchase: {"Often bought with your %s", "常与您购买的%s一起购买"},
	signalBoughtWithAsked:    {"Often bought with the %s you asked about", "常与您咨询的%s一起购买"},
	signalRelatedPurchase:    {"Goes well with your %s", "与您购买的%s搭配"},
	signalRelatedAsked:       {"Goes well with the %s you asked about", "与您咨询的%s搭配"},
	signalCategoryPurchase:   {"Same kind of product as your %s", "与您购买的%s同类"},
	signalCategoryAsked:      {"Similar to the %s you asked about", "与您咨询的%s同类"},
}

// chinese reports whether language asks for Chinese ("zh", "zh-CN");
// anything else gets English.
func chinese(language string) bool {
	l := strings.ToLower(strings.TrimSpace(language))
	return l == "zh" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_")
}

// displayName is p's name in the requested language, falling back to the
// other one.
func displayName(p commerce.Product, zh bool) string {
	if zh && p.NameZh != "" {
		return oneLine(p.NameZh, 80)
	}
	if p.Name == "" {
		return oneLine(p.NameZh, 80)
	}
	return oneLine(p.Name, 80)
}

// reason renders the one-line reason for sig; subject is the source
// product's name or the interest's term.
func reason(sig signal, subject string, zh bool) string {
	t, ok := reasonTemplates[sig]
	if !ok {
		t = reasonTemplates[signalPopular]
	}
	tmpl := t[0]
	if zh {
		tmpl = t[1]
	}
	if !strings.Contains(tmpl, "%s") {
		return tmpl
	}
	return fmt.Sprintf(tmpl, subject)
}

// oneLine collapses s to a single line of at most max runes: control
// characters and runs of spaces become one space, and a longer text is
// cut with an ellipsis. Interests are shopper text, so they pass through
// here before they reach a reason.
func oneLine(s string, max int) string {
	var b strings.Builder
	space := false
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		if n >= max {
			return strings.TrimSpace(b.String()) + "…"
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
