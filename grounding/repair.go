package grounding

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// minLetters is the number of letters (a CJK character counts as one)
// below which a repaired answer says nothing worth sending.
const minLetters = 12

// Repair removes from answer every sentence holding an unsupported claim
// of r, which should come from Check on the same answer; a claim whose
// offsets do not hold its text there is found by its text alone. A list
// item or table row counts as one sentence. Unsupported citations are
// deleted from the marker that holds them ("[1, 7]" becomes "[1]", and
// "[7]" goes with the space before it), not with their sentence; the
// remaining text keeps its own citations. A sentence goes too when it
// repeats an unsupported price or order number in any notation ("5
// dollars" for "$5", "order 1002" for "#1002"), or the text of an
// unsupported claim where Check saw none (an identifier after "SKU").
//
// Repair returns the repaired text, trimmed, and whether it is worth
// sending: false when more than half the sentences with letters were
// removed, or when fewer than 12 letters or CJK characters remain (only
// pleasantries, citations or punctuation). When it returns true the text
// holds no unsupported claim's text as a whole token (not inside a longer
// word or number: "$5" may remain in "$50"), no unsupported price or order
// number, and cites no unsupported source number. When r has no unsupported claims, answer is
// returned unchanged with true.
func Repair(answer string, r Report) (string, bool) {
	if len(r.Unsupported) == 0 {
		return answer, true
	}
	badNums := make(map[int]bool)
	var badTexts []string
	// bad holds the unsupported prices and orders by value, inBad the
	// bytes inside unsupported claims.
	var bad found
	inBad := make([]bool, len(answer))
	for _, c := range r.Unsupported {
		if c.Kind == kindCitation {
			if n, ok := citationNumber(c.Text); ok {
				badNums[n] = true
			}
			continue
		}
		if validSpan(answer, c) {
			for i := c.Start; i < c.End; i++ {
				inBad[i] = true
			}
		}
		if c.Text != "" && !slices.Contains(badTexts, c.Text) {
			badTexts = append(badTexts, c.Text)
		}
		bad.add(c)
	}
	protect := make([]bool, len(answer)+1) // no cut inside a claim
	for _, c := range slices.Concat(r.Claims, r.Unsupported) {
		if c.Kind != kindCitation && validSpan(answer, c) {
			for i := c.Start + 1; i < c.End; i++ {
				protect[i] = true
			}
		}
	}

	var b strings.Builder
	total, removed := 0, 0
	for _, u := range splitUnits(answer, protect) {
		text := answer[u.start:u.end]
		counts := hasLetter(text)
		if counts {
			total++
		}
		drop := slices.Contains(inBad[u.start:u.end], true)
		if !drop {
			text = dropCitations(text, badNums)
			drop = containsAnyToken(text, badTexts) || bad.in(text)
		}
		if drop {
			if counts {
				removed++
			}
			continue
		}
		b.WriteString(text)
	}
	out := tidy(b.String())
	if containsAnyToken(out, badTexts) || bad.in(out) || citesAny(out, badNums) {
		return out, false // a removal joined a claim back together
	}
	return out, removed*2 <= total && countLetters(out) >= minLetters
}

// validSpan reports whether c's offsets hold c's text in answer.
func validSpan(answer string, c Claim) bool {
	return 0 <= c.Start && c.Start <= c.End && c.End <= len(answer) && answer[c.Start:c.End] == c.Text
}

// containsAnyToken reports whether s holds one of texts as a whole token:
// not running into a letter or digit where the text starts or ends with
// one, and not as part of a longer number ("$5" is not in "$50" or
// "$5.99").
func containsAnyToken(s string, texts []string) bool {
	for _, t := range texts {
		if t == "" {
			continue
		}
		for off := 0; off <= len(s)-len(t); {
			k := indexFrom(s, t, off)
			if k < 0 {
				break
			}
			e := k + len(t)
			if tokenEdges(s, t, k, e) {
				return true
			}
			off = k + 1
		}
	}
	return false
}

func tokenEdges(s, t string, k, e int) bool {
	first, last := t[0], t[len(t)-1]
	if isASCIIAlnum(first) && k > 0 && isASCIIAlnum(s[k-1]) ||
		isDigit(first) && k > 1 && (s[k-1] == '.' || s[k-1] == ',') && isDigit(s[k-2]) {
		return false
	}
	if isASCIIAlnum(last) && e < len(s) && isASCIIAlnum(s[e]) ||
		isDigit(last) && e+1 < len(s) && (s[e] == '.' || s[e] == ',') && isDigit(s[e+1]) {
		return false
	}
	return true
}

// found holds unsupported prices and order numbers by value, to catch
// them in another notation: "#1002" as "order 1002", "$5" as "5 dollars".
type found struct {
	amounts []amount
	ids     map[string]bool
}

func (f *found) add(c Claim) {
	switch c.Kind {
	case kindPrice:
		for _, p := range findPrices(c.Text) {
			f.amounts = append(f.amounts, p.amount)
		}
	case kindOrder:
		if f.ids == nil {
			f.ids = make(map[string]bool)
		}
		f.ids[asciiLower(strings.TrimLeft(c.Text, "#＃"))] = true
	}
}

// in reports whether Check would find in s a price or order number of f:
// the same identifier, or the same amount in a compatible currency.
func (f *found) in(s string) bool {
	if len(f.amounts) > 0 {
		for _, p := range findPrices(s) {
			for _, a := range f.amounts {
				if a.cents == p.cents && compatible(a.cur, p.cur) {
					return true
				}
			}
		}
	}
	if len(f.ids) > 0 {
		for _, o := range findOrders(s) {
			if f.ids[o.id] {
				return true
			}
		}
	}
	return false
}

// citesAny reports whether a citation marker in s cites a number in bad.
func citesAny(s string, bad map[int]bool) bool {
	for _, g := range scanCitations(s) {
		for _, n := range g.nums {
			if bad[n.n] {
				return true
			}
		}
	}
	return false
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

// tidy trims s and closes up the blank lines removals left behind.
func tidy(s string) string {
	return strings.TrimSpace(blankLines.ReplaceAllString(s, "\n\n"))
}
