package catalog

import (
	"strings"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/lang"
)

// colour is one colour shoppers name: its canonical English name, the
// family it falls back to (olive is a green), and its words.
type colour struct {
	name, family string
	en           []string
	zh           []string
}

// colours is the bilingual colour table. English words match whole;
// Chinese ones as substrings, and a single character only alone or
// before 色 or 的 ("红色", "黄的") so that it is not read inside other
// words.
var colours = []colour{
	{"black", "black", []string{"black", "jet black"}, []string{"黑色", "黑"}},
	{"white", "white", []string{"white"}, []string{"白色", "白"}},
	{"cream", "white", []string{"cream", "off-white", "off white", "ivory", "beige"}, []string{"奶油色", "米白色", "米白", "米色", "杏色"}},
	{"grey", "grey", []string{"grey", "gray", "heather grey", "light grey"}, []string{"灰色", "浅灰", "灰"}},
	{"charcoal", "grey", []string{"charcoal", "dark grey", "dark gray", "graphite"}, []string{"炭灰", "深灰", "炭黑"}},
	{"silver", "grey", []string{"silver"}, []string{"银色", "银"}},
	{"red", "red", []string{"red", "crimson", "scarlet"}, []string{"红色", "大红", "红"}},
	{"burgundy", "red", []string{"burgundy", "maroon"}, []string{"酒红", "枣红"}},
	{"pink", "pink", []string{"pink"}, []string{"粉红色", "粉红", "粉色", "粉"}},
	{"orange", "orange", []string{"orange"}, []string{"橙色", "橘色", "桔色", "橙"}},
	{"yellow", "yellow", []string{"yellow"}, []string{"黄色", "黄"}},
	{"green", "green", []string{"green", "forest green"}, []string{"绿色", "墨绿", "绿"}},
	{"olive", "green", []string{"olive", "army green", "olive green", "khaki green"}, []string{"橄榄绿", "橄榄色", "军绿色", "军绿"}},
	{"teal", "blue", []string{"teal", "turquoise", "aqua"}, []string{"青色", "蓝绿色", "湖蓝", "湖绿"}},
	{"blue", "blue", []string{"blue", "light blue", "sky blue", "royal blue"}, []string{"蓝色", "天蓝", "宝蓝", "蓝"}},
	{"navy", "blue", []string{"navy", "navy blue", "dark blue"}, []string{"藏青色", "藏青", "藏蓝色", "藏蓝", "深蓝色", "深蓝", "海军蓝"}},
	{"purple", "purple", []string{"purple", "violet", "lilac", "lavender"}, []string{"紫色", "紫"}},
	{"brown", "brown", []string{"brown"}, []string{"棕色", "咖啡色", "褐色", "棕"}},
	{"khaki", "brown", []string{"khaki", "tan"}, []string{"卡其色", "卡其", "驼色"}},
	{"sand", "brown", []string{"sand", "sandstone"}, []string{"沙色", "沙漠色", "沙"}},
	{"gold", "yellow", []string{"gold", "golden"}, []string{"金色", "金"}},
}

// colourByWord finds colours by their English words (lower-cased, as
// latinWords reads them, joined by spaces).
var colourByWord = func() map[string]int {
	m := map[string]int{}
	for i, c := range colours {
		for _, e := range c.en {
			m[strings.Join(latinWords(e), " ")] = i
		}
	}
	return m
}()

// isColourWord reports whether w is a colour's English word.
func isColourWord(w string) bool {
	_, ok := colourByWord[w]
	return ok
}

// colourIn returns the canonical colour low names ("" for none): the
// first one written, with the longest form at that place.
func colourIn(low string) string { return colourInWords(low, latinWords(low)) }

// colourInWords is colourIn with low's words already read.
func colourInWords(low string, words []string) string {
	best, bestAt := -1, len(low)+1
	for i := range words {
		for n := min(3, len(words)-i); n >= 1; n-- {
			if c, ok := colourByWord[strings.Join(words[i:i+n], " ")]; ok {
				// words carry no offsets: the first colour word wins.
				best, bestAt = c, -1
				break
			}
		}
		if best >= 0 {
			break
		}
	}
	han := bestAt >= 0 && lang.HasHan(low)
	for i, c := range colours {
		if !han {
			break
		}
		for _, z := range c.zh {
			k := strings.Index(low, z)
			if k < 0 || k >= bestAt {
				continue
			}
			if utf8.RuneCountInString(z) == 1 && len(low) != len(z) {
				after := low[k+len(z):]
				if !strings.HasPrefix(after, "色") && !strings.HasPrefix(after, "的") {
					continue
				}
			}
			best, bestAt = i, k
		}
	}
	if best < 0 {
		return ""
	}
	return colours[best].name
}

// Colour returns the canonical English name of a colour as a shopper or
// a catalog writes it ("绿色" and "Green" → "green", "军绿" → "olive",
// "Navy Blue" → "navy"), or "" when it names no colour of the table.
func Colour(s string) string { return colourIn(fold(s)) }

// colourFamily is the family of a canonical colour ("olive" → "green").
func colourFamily(name string) string {
	for _, c := range colours {
		if c.name == name {
			return c.family
		}
	}
	return name
}

// colourFit says how well a variant's colour, as the catalog writes it,
// answers a canonical colour asked for: 2 the same colour, 1 the same
// family (olive for green), 0 not at all.
func colourFit(variant, want string) int {
	if want == "" {
		return 2
	}
	return fitColour(Colour(variant), variant, want)
}

// fitColour is colourFit of a variant colour Colour has read as got.
func fitColour(got, variant, want string) int {
	if want == "" {
		return 2
	}
	if got == "" {
		if strings.EqualFold(strings.TrimSpace(variant), want) {
			return 2
		}
		return 0
	}
	switch {
	case got == want:
		return 2
	case colourFamily(got) == colourFamily(want):
		return 1
	}
	return 0
}

// ColourName is a canonical colour's name in lang ("zh": "绿色" for
// "green"; otherwise the English name itself).
func ColourName(name, lang string) string {
	if lang != "zh" {
		return name
	}
	for _, c := range colours {
		if c.name == name && len(c.zh) > 0 {
			return c.zh[0]
		}
	}
	return name
}
