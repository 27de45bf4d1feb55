package prompts

import (
	"regexp"
	"strings"
)

// messageTag matches anything in a message that reads as a tag of the
// <message> fence in sentiment.tmpl, with any spacing or case.
var messageTag = regexp.MustCompile(`(?i)<\s*/?\s*message\b[^>]*>?`)

// Sentiment is the prompt asking a model for the sentiment of a shopper's
// message, answered with exactly one word: negative, neutral or positive.
// The message is fenced as data and the prompt tells the model to ignore
// instructions inside it; tags in the message that could close or reopen
// the fence are rewritten with ‹ › brackets.
func Sentiment(message string) string {
	safe := messageTag.ReplaceAllStringFunc(message, func(m string) string {
		return "‹" + strings.Trim(m, "<>") + "›"
	})
	return render("sentiment.tmpl", struct{ Message string }{safe})
}
