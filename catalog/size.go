package catalog

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/shopdesk/shopdesk/lang"
)

// Size is a size as a shopper asks for it, or as a catalog writes it.
// The zero Size asks for nothing.
type Size struct {
	// Letters are letter sizes ("M"; "S", "M" for a catalog's "S/M";
	// "ONE" for one size).
	Letters []string
	// Number is a numeric size (shoes, children's sizes), 0 for none.
	Number float64
	// System is the scale Number is on: "US", "EU", "UK", "KIDS",
	// "YOUTH", or "" when not said.
	System string
	// Gender is "M" or "W" when said.
	Gender string
	// Word is a named size: "regular", "long", "short".
	Word string
	// Step is a size relative to the shopper's current one: +1 for "one
	// size up" or "大一码", -1 for one down.
	Step int
}

// IsZero reports whether s asks for no size.
func (s Size) IsZero() bool {
	return len(s.Letters) == 0 && s.Number == 0 && s.Word == "" && s.Step == 0
}

var (
	sizeStepUp   = regexp.MustCompile(`大一[码号个]|大一点的?码|\b(?:a|one)\s+size\s+(?:up|bigger|larger)\b|\bsize\s+up\b|\b(?:a|one)\s+size\s+bigger\b`)
	sizeStepDown = regexp.MustCompile(`小一[码号个]|小一点的?码|\b(?:a|one)\s+size\s+(?:down|smaller)\b|\bsize\s+down\b`)
	// sizeSystem is "US 9", "EU 42", "US M 9", "US women's 7", "UK 8".
	sizeSystem = regexp.MustCompile(`\b(us|eu|eur|euro|uk)\s*(?:(m|w|men|women|mens|womens|men's|women's|kids?|youth)\s*)?(\d{1,2}(?:\.5)?)\b`)
	// sizeCued is "size 10", "women's 7", "kids 6", "42码", "7号".
	sizeCued = regexp.MustCompile(`\b(size|men|women|mens|womens|men's|women's|kids?|youth)\s*(\d{1,2}(?:\.5)?)\b|(\d{1,2}(?:\.5)?)\s*(?:码|号|碼)`)
	// sizeLetterCued is a letter size in any case after "size" or before 码.
	sizeLetterCued = regexp.MustCompile(`\bsize\s*(xxs|xs|s|m|l|xl|xxl|xxxl|[2-4]xl)\b|\b(xxs|xs|s|m|l|xl|xxl|xxxl|[2-4]xl)\s*(?:码|号)`)
	// sizeLetterUpper is a letter size written in capitals, standing alone.
	sizeLetterUpper = regexp.MustCompile(`(?:^|[^A-Za-z])(XXS|XS|S|M|L|XL|XXL|XXXL|[2-4]XL)(?:$|[^A-Za-z'])`)
	// sizeLetterLong is a letter size that cannot be another word.
	sizeLetterLong = regexp.MustCompile(`\b(xxs|xs|xl|xxl|xxxl|[2-4]xl)\b`)
	// sizeWord is "medium", "extra large", "x-large", unless it says how
	// something fits ("runs small", "too large").
	sizeWord = regexp.MustCompile(`(?:\b(too|runs?|running|fits?|fitting|bit|little|very|quite|fairly|slightly|more|less|is|are|was|were|feels?|looks?|seems?)\s+)?\b(extra[\s-]small|x-small|extra[\s-]large|x-large|small|medium|large)\b`)
	// sizeNamed is a named size: "regular", "long", one size.
	sizeNamed = regexp.MustCompile(`\b(?:in|the|a)\s+(regular|long|short)\b|\b(regular|long|short)\s+(?:length|size|version|one)\b|\bone\s+size\b|加长款?|长款|常规款?|标准款|均码|均号|一个尺码`)
	sizeZh    = map[string]string{"小码": "S", "小号": "S", "中码": "M", "中号": "M", "加大码": "XL", "加大号": "XL", "特大号": "XXL", "加加大": "XXL", "大码": "L", "大号": "L"}
	sizeZhRe  = regexp.MustCompile(`加大码|加大号|特大号|加加大|小码|小号|中码|中号|大码|大号`)
	womenCue  = regexp.MustCompile(`\b(women|woman|womens|ladies|lady|female)\b|女款|女士|女式|女鞋|女生|女性`)
	menCue    = regexp.MustCompile(`\b(men|man|mens|male)\b|男款|男士|男式|男鞋|男生|男性`)
)

var wordSizes = map[string]string{"extra small": "XS", "extra-small": "XS", "x-small": "XS", "small": "S", "medium": "M",
	"large": "L", "extra large": "XL", "extra-large": "XL", "x-large": "XL"}

// ReadSize reads the size text asks for, in either language: letter
// sizes ("M", "size l", "medium", "中码", "XL码"), numbers on a scale ("US 9",
// "EU 42", "42码" — 30 and over in 码 is European — "women's 7", "size
// 10"), named sizes ("regular", "加长"), and steps ("one size up",
// "大一码"). Words that say how a thing fits ("runs small") are not sizes.
func ReadSize(text string) Size { return readSize(text, fold(text)) }

// readSize is ReadSize of text and its folded form low. Each pattern
// runs only when the text holds what it needs (a digit, "size", 码), so
// a message without a size costs a few scans.
func readSize(text, low string) Size {
	var s Size
	digits := strings.ContainsAny(low, "0123456789")
	han := lang.HasHan(low)
	if strings.Contains(low, "size") || han && strings.Contains(low, "一") {
		switch {
		case sizeStepUp.MatchString(low):
			s.Step = 1
		case sizeStepDown.MatchString(low):
			s.Step = -1
		}
	}
	if digits {
		s.readNumber(low)
	}
	if s.Number == 0 {
		s.Letters = letterSize(text, low, han)
	}
	if len(s.Letters) == 0 && s.Number == 0 && s.Step == 0 && (han || strings.Contains(low, "regular") || strings.Contains(low, "long") ||
		strings.Contains(low, "short") || strings.Contains(low, "one size")) {
		if m := sizeNamed.FindStringSubmatch(low); m != nil {
			switch w := m[1] + m[2]; {
			case w != "":
				s.Word = w
			case strings.Contains(m[0], "size"), strings.Contains(m[0], "均"), strings.Contains(m[0], "尺码"):
				s.Letters = []string{"ONE"}
			case strings.Contains(m[0], "长"):
				s.Word = "long"
			default:
				s.Word = "regular"
			}
		}
	}
	return s
}

// readNumber reads a numeric size and its scale and gender from low.
func (s *Size) readNumber(low string) {
	if m := sizeSystem.FindStringSubmatch(low); m != nil {
		s.Number, _ = strconv.ParseFloat(m[3], 64)
		s.System = map[string]string{"us": "US", "eu": "EU", "eur": "EU", "euro": "EU", "uk": "UK"}[m[1]]
		switch g := m[2]; {
		case strings.HasPrefix(g, "w"):
			s.Gender = "W"
		case strings.HasPrefix(g, "m"):
			s.Gender = "M"
		case strings.HasPrefix(g, "kid"):
			s.System = "KIDS"
		case g == "youth":
			s.System = "YOUTH"
		}
	} else if m := sizeCued.FindStringSubmatch(low); m != nil {
		s.Number, _ = strconv.ParseFloat(m[2]+m[3], 64)
		switch cue := m[1]; {
		case strings.HasPrefix(cue, "kid"):
			s.System = "KIDS"
		case cue == "youth":
			s.System = "YOUTH"
		case m[3] != "" && s.Number >= 30:
			s.System = "EU"
		}
	}
	if s.Number == 0 || s.Gender != "" {
		return
	}
	switch {
	case womenCue.MatchString(low):
		s.Gender = "W"
	case menCue.MatchString(low):
		s.Gender = "M"
	}
}

// letterSize finds a letter size in text (low is its folded form; han
// says whether it has Chinese).
func letterSize(text, low string, han bool) []string {
	if han && (strings.Contains(low, "码") || strings.Contains(low, "号") || strings.Contains(low, "大")) {
		if m := sizeZhRe.FindString(low); m != "" {
			return []string{sizeZh[m]}
		}
	}
	if strings.Contains(low, "size") || han {
		if m := sizeLetterCued.FindStringSubmatch(low); m != nil {
			return []string{normLetter(m[1] + m[2])}
		}
	}
	if strings.ContainsAny(text, "SMLX") {
		if m := sizeLetterUpper.FindStringSubmatch(text); m != nil {
			return []string{normLetter(m[1])}
		}
	}
	if strings.Contains(low, "x") {
		if m := sizeLetterLong.FindString(low); m != "" {
			return []string{normLetter(m)}
		}
	}
	if strings.Contains(low, "small") || strings.Contains(low, "medium") || strings.Contains(low, "large") {
		for _, m := range sizeWord.FindAllStringSubmatch(low, -1) {
			if m[1] == "" {
				return []string{wordSizes[strings.Join(strings.Fields(m[2]), " ")]}
			}
		}
	}
	return nil
}

func normLetter(l string) string {
	l = strings.ToUpper(l)
	switch l {
	case "2XL":
		return "XXL"
	case "3XL":
		return "XXXL"
	}
	return l
}

// variantSize reads a catalog's size label: "US M 9", "US W 7", "US
// Kids 12", "Kids 6", "EU 42", "S/M", "One Size", "Regular", "M".
func variantSize(label string) Size {
	low := fold(strings.TrimSpace(label))
	var s Size
	f := strings.FieldsFunc(low, func(r rune) bool { return r == ' ' || r == '/' || r == '-' || r == ',' })
	if len(f) == 0 {
		return s
	}
	if low == "one size" || low == "os" || low == "均码" {
		s.Letters = []string{"ONE"}
		return s
	}
	allLetters := true
	for _, w := range f {
		allLetters = allLetters && isLetterSize(w)
	}
	if allLetters {
		for _, w := range f {
			s.Letters = append(s.Letters, normLetter(w))
		}
		return s
	}
	for _, w := range f {
		switch w {
		case "us", "eu", "uk":
			s.System = strings.ToUpper(w)
		case "m", "men", "mens":
			s.Gender = "M"
		case "w", "women", "womens":
			s.Gender = "W"
		case "kids", "kid", "toddler":
			s.System = "KIDS"
		case "youth":
			s.System = "YOUTH"
		case "regular", "long", "short":
			s.Word = w
		default:
			if n, err := strconv.ParseFloat(w, 64); err == nil && s.Number == 0 {
				s.Number = n
			}
		}
	}
	if s.System == "" && s.Number != 0 && !strings.ContainsAny(low, "$¥€£") && len(f) <= 2 {
		s.System = "US"
	}
	return s
}

func isLetterSize(w string) bool {
	switch w {
	case "xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl", "4xl":
		return true
	}
	return false
}

// sizeFit says how well a catalog's size label answers want: 3 the same
// size, 2 the same after converting between scales (EU 42 is US men's 9),
// 1 a guess (a number without its scale or gender), 0 not at all.
func sizeFit(label string, want Size) int {
	if want.IsZero() {
		return 3
	}
	return fitSize(variantSize(label), want)
}

// fitSize is sizeFit of a label variantSize has read.
func fitSize(v, want Size) int {
	if len(want.Letters) == 0 && want.Number == 0 && want.Word == "" {
		return 3 // nothing asked, or only a step
	}
	switch {
	case len(want.Letters) > 0:
		for _, l := range v.Letters {
			if l == want.Letters[0] {
				return 3
			}
		}
		return 0
	case want.Word != "":
		if v.Word == want.Word {
			return 3
		}
		return 0
	}
	if v.Number == 0 {
		return 0
	}
	if v.System == "KIDS" || v.System == "YOUTH" {
		if v.Number == want.Number && (want.System == "" || want.System == v.System || want.System == "US") {
			return 2
		}
		return 0
	}
	us, fit := want.Number, 3
	switch want.System {
	case "EU":
		if v.System == "EU" {
			if v.Number == want.Number {
				return 3
			}
			return 0
		}
		fit = 2
		if v.Gender == "W" {
			us = want.Number - 31
		} else {
			us = want.Number - 33
		}
	case "UK":
		fit = 2
		if v.Gender == "W" {
			us = want.Number + 2
		} else {
			us = want.Number + 1
		}
	case "KIDS", "YOUTH":
		return 0
	case "":
		fit = 2
	}
	if v.Number != us {
		return 0
	}
	switch {
	case want.Gender == "" && v.Gender == "W":
		return fit - 1 // a men's size, unless the shopper said otherwise
	case want.Gender != "" && v.Gender != "" && want.Gender != v.Gender:
		return 0
	}
	return fit
}
