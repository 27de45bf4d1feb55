package sentiment

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/prompts"
)

func TestModelClassify(t *testing.T) {
	const broken = "The blender arrived broken." // the lexicon says negative
	const question = "Do you ship to Canada?"    // the lexicon says neutral
	lexBroken := Classify(broken)
	for _, tc := range []struct {
		name, text, answer string
		err                error
		want               Result
	}{
		{"one word", question, "negative", nil, Result{Label: Negative, Score: modelNegative}},
		{"case, space and a full stop", question, " Positive.\n", nil, Result{Label: Positive, Score: modelPositive}},
		{"agrees with the lexicon: its score", broken, "NEGATIVE", nil, lexBroken},
		{"neutral", broken, "neutral", nil, Result{Label: Neutral, Score: 0}},
		{"chinese", question, "负面", nil, Result{Label: Negative, Score: modelNegative}},
		{"json with a score", question, `{"label": "negative", "score": -0.8}`, nil, Result{Label: Negative, Score: -0.8}},
		{"json in a code fence", question, "```json\n{\"sentiment\": \"positive\"}\n```", nil, Result{Label: Positive, Score: modelPositive}},
		{"json score disagreeing with its label is dropped", question, `{"label": "positive", "score": -0.9}`, nil, Result{Label: Positive, Score: modelPositive}},
		{"json score out of range is dropped", question, `{"label": "negative", "score": -7}`, nil, Result{Label: Negative, Score: modelNegative}},
		{"a sentence falls back", broken, "I think it is positive", nil, lexBroken},
		{"an unknown word falls back", broken, "mixed", nil, lexBroken},
		{"bad json falls back", broken, `{"label": positive}`, nil, lexBroken},
		{"empty answer falls back", broken, "", nil, lexBroken},
		{"a long answer falls back", broken, strings.Repeat("positive ", 100), nil, lexBroken},
		{"an error falls back", broken, "positive", errors.New("model down"), lexBroken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var gotPrompt string
			m := NewModel(func(_ context.Context, prompt string) (string, error) {
				gotPrompt = prompt
				return tc.answer, tc.err
			})
			got := m.Classify(context.Background(), tc.text)
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if got.Label != LabelFor(got.Score) {
				t.Errorf("label %s does not match score %v", got.Label, got.Score)
			}
			if want := prompts.Sentiment(tc.text); gotPrompt != want {
				t.Errorf("prompt sent:\n%s\nwant:\n%s", gotPrompt, want)
			}
		})
	}
}

func TestModelWithoutCompleter(t *testing.T) {
	const text = "太差了"
	for name, m := range map[string]*Model{"nil completer": NewModel(nil), "nil model": nil} {
		if got, want := m.Classify(context.Background(), text), Classify(text); got != want {
			t.Errorf("%s: got %+v, want the lexicon's %+v", name, got, want)
		}
	}
}

func TestModelPassesContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := NewModel(func(ctx context.Context, _ string) (string, error) {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		return "positive", nil
	})
	const text = "The blender arrived broken."
	if got, want := m.Classify(ctx, text), Classify(text); got != want {
		t.Errorf("with a cancelled context got %+v, want the lexicon's %+v", got, want)
	}
}
