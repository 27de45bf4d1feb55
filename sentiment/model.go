package sentiment

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/shopdesk/shopdesk/prompts"
)

// Completer sends prompt to a language model and returns its answer. It
// must honour ctx; inference.Client's chat call fits behind one.
type Completer func(ctx context.Context, prompt string) (string, error)

// Model classifies with a language model, and falls back to the lexicon
// (Classify) whenever the model fails or answers something else than a
// label. It is safe for concurrent use if the Completer is.
type Model struct {
	complete Completer
}

// NewModel returns a Model that asks complete. A nil complete makes a
// Model that always uses the lexicon.
func NewModel(complete Completer) *Model {
	return &Model{complete: complete}
}

// Canonical scores for a model's label when neither the model nor the
// lexicon gives a score that agrees with it.
const (
	modelNegative = -0.5
	modelPositive = 0.5
)

// maxAnswer is the longest model answer parsed; a longer one is a model
// that did not follow the prompt.
const maxAnswer = 512

// Classify asks the model, with prompts.Sentiment(text), for the label of
// text. The answer may be one word (negative, neutral, positive, any case
// and punctuation, or 负面/中性/正面) or a JSON object with a "label" or
// "sentiment" field and an optional "score" in [-1, 1]. The Result's
// score is the model's if it agrees with its label, else the lexicon's if
// that agrees, else -0.5, 0 or 0.5. On an error (including ctx ending)
// or an unparseable answer it returns Classify(text).
func (m *Model) Classify(ctx context.Context, text string) Result {
	lex := Classify(text)
	if m == nil || m.complete == nil {
		return lex
	}
	answer, err := m.complete(ctx, prompts.Sentiment(text))
	if err != nil {
		return lex
	}
	label, score, scored, ok := parseAnswer(answer)
	switch {
	case !ok:
		return lex
	case scored && LabelFor(score) == label:
		return Result{Label: label, Score: score}
	case lex.Label == label:
		return lex
	case label == Negative:
		return Result{Label: label, Score: modelNegative}
	case label == Positive:
		return Result{Label: label, Score: modelPositive}
	}
	return Result{Label: Neutral}
}

// parseAnswer reads a model's answer: one label word, or JSON.
func parseAnswer(s string) (label Label, score float64, scored, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) > maxAnswer {
		return "", 0, false, false
	}
	// Models like to wrap JSON in a Markdown code fence.
	if strings.HasPrefix(s, "```") {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "```"), "json")
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "```"))
	}
	if strings.HasPrefix(s, "{") {
		var v struct {
			Label     string   `json:"label"`
			Sentiment string   `json:"sentiment"`
			Score     *float64 `json:"score"`
		}
		if json.Unmarshal([]byte(s), &v) != nil {
			return "", 0, false, false
		}
		word := v.Label
		if word == "" {
			word = v.Sentiment
		}
		label, ok = labelWord(word)
		if ok && v.Score != nil && *v.Score >= -1 && *v.Score <= 1 {
			return label, *v.Score, true, true
		}
		return label, 0, false, ok
	}
	label, ok = labelWord(s)
	return label, 0, false, ok
}

// labelWord accepts a single label word, ignoring case, quotes,
// emphasis and trailing punctuation.
func labelWord(s string) (Label, bool) {
	s = strings.ToLower(strings.Trim(s, " \t\r\n\"'`*.。!！:：-_"))
	switch s {
	case "negative", "负面", "消极":
		return Negative, true
	case "neutral", "中性", "中立":
		return Neutral, true
	case "positive", "正面", "积极":
		return Positive, true
	}
	return "", false
}
