// Package lang tells Chinese from English text, for choosing how to
// analyze text and which language to reply in, and estimates the tokens
// text takes in either.
package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The languages shopdesk distinguishes.
const (
	Chinese = "zh"
	English = "en"
)

// IsHan reports whether r is a Chinese (Han) character.
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// HasHan reports whether s holds a Chinese (Han) character.
func HasHan(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && IsHan(r) {
			return true
		}
	}
	return false
}

// Detect returns Chinese when the Han characters in s amount to at least
// as many words as its Latin-script words (a Chinese word averages about
// one and a half characters), and English otherwise, including for text
// without letters. Chinese text routinely embeds Latin product names and
// codes, so a few Latin words do not make it English; e-mail addresses
// and web addresses are no one's language and are not counted at all.
func Detect(s string) string {
	han, words := 0, 0
	for run := range strings.FieldsFuncSeq(s, func(r rune) bool { return unicode.IsSpace(r) || r > unicode.MaxASCII }) {
		if strings.Contains(run, "@") || strings.Contains(run, "://") || len(run) >= 4 && strings.EqualFold(run[:4], "www.") {
			s = strings.Replace(s, run, " ", 1)
		}
	}
	inWord := false
	for _, r := range s {
		switch {
		case IsHan(r):
			han++
			inWord = false
		case unicode.IsLetter(r):
			if !inWord {
				words++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	if han > 0 && float64(han)/1.5 >= float64(words) {
		return Chinese
	}
	return English
}

// RunesBefore returns the byte offset n runes before byte offset i of s,
// or 0 when s has fewer.
func RunesBefore(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}
