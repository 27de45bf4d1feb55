package lang

import "unicode"

// Tokens estimates how many tokens a model's tokenizer makes of s, for
// prompt budgets and chunk sizes: one per Han character, one per four
// letters or digits of a word (rounded up), one per punctuation mark;
// spaces and symbols are free. It is an estimate, not any one model's
// count.
func Tokens(s string) int {
	var c TokenCounter
	for _, r := range s {
		c.Add(r)
	}
	return c.Total()
}

// TokenCounter estimates tokens rune by rune, as Tokens does, for cutting
// text where a budget runs out. The zero value counts nothing yet.
type TokenCounter struct{ n, word int }

// Add counts r.
func (c *TokenCounter) Add(r rune) {
	switch {
	case IsHan(r):
		c.n += 1 + (c.word+3)/4
		c.word = 0
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		c.word++
	default:
		c.n += (c.word + 3) / 4
		c.word = 0
		if unicode.IsPunct(r) {
			c.n++
		}
	}
}

// Total is the estimate for everything added so far.
func (c *TokenCounter) Total() int { return c.n + (c.word+3)/4 }
