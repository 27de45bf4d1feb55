package catalog

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"github.com/shopdesk/shopdesk/lang"
)

// pinyinForms maps the pinyin of the Chinese kind words (concepts) to the
// words: written in full ("shuidai" for 睡袋, "yurongfu" for 羽绒服) and,
// for words of three characters or more, by initials ("yrf"). A form two
// kinds share is left out.
var pinyinForms = sync.OnceValue(func() map[string]pinyinForm {
	forms := map[string]pinyinForm{}
	shared := map[string]bool{}
	add := func(form, word string, initials bool) {
		if f, ok := forms[form]; ok && f.word != word {
			shared[form] = true
		}
		forms[form] = pinyinForm{word: word, initials: initials}
	}
	full, first := pinyin.NewArgs(), pinyin.Args{Style: pinyin.FirstLetter}
	for _, c := range concepts {
		for _, w := range c.zh {
			n := utf8.RuneCountInString(w)
			if n < 2 || strings.IndexFunc(w, func(r rune) bool { return !lang.IsHan(r) }) >= 0 {
				continue
			}
			add(strings.Join(pinyin.LazyPinyin(w, full), ""), w, false)
			if n >= 3 {
				add(strings.Join(pinyin.LazyPinyin(w, first), ""), w, true)
			}
		}
	}
	for f := range shared {
		delete(forms, f)
	}
	return forms
})

type pinyinForm struct {
	word     string
	initials bool
}

// hanziForPinyin rewrites, in a folded message, the Latin words that
// spell a Chinese kind word in pinyin as the word ("你们的shuidai能机洗吗",
// "yrf有红色的吗"). Full forms under six letters count only in a message
// that also holds Chinese characters, and initials only right next to
// one: "paike" or "yrf" alone, or "我用的 lms 系统", may be anything.
func hanziForPinyin(low string) string {
	forms := pinyinForms()
	han := -1 // whether low holds Chinese: unknown until a form is found
	var b strings.Builder
	done := 0 // low[:done] is written to b
	for i := 0; i < len(low); {
		if c := low[i]; c < 'a' || c > 'z' {
			i++
			continue
		}
		j := i
		for j < len(low) && 'a' <= low[j] && low[j] <= 'z' {
			j++
		}
		f, ok := forms[low[i:j]]
		if ok && (i == 0 || !isASCIIWordByte(low[i-1])) && (j == len(low) || !isASCIIWordByte(low[j])) {
			if han < 0 {
				han = 0
				if lang.HasHan(low) {
					han = 1
				}
			}
			if han == 1 && (!f.initials || nextToHan(low, i, j)) || !f.initials && j-i >= 6 {
				b.WriteString(low[done:i])
				b.WriteString(f.word)
				done = j
			}
		}
		i = j
	}
	if done == 0 {
		return low
	}
	b.WriteString(low[done:])
	return b.String()
}

// nextToHan reports whether a Chinese character stands right before
// low[i:j] or right after it ("yrf有红色的吗", not "我要 tts").
func nextToHan(low string, i, j int) bool {
	r, _ := utf8.DecodeLastRuneInString(low[:i])
	s, _ := utf8.DecodeRuneInString(low[j:])
	return lang.IsHan(r) || lang.IsHan(s)
}

// isASCIIWordByte reports whether c is an ASCII letter or digit, which
// would make a pinyin form part of a longer word.
func isASCIIWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}
