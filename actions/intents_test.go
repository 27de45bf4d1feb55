package actions

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/intent"
)

// TestIntentsVote runs the vote's measurement with embeddings that know
// each example's intent (the vote helps: on), that mean nothing (off) and
// that fail (off, saying why).
func TestIntentsVote(t *testing.T) {
	label := map[string]int{}
	for _, ex := range intent.ProjectExamples() {
		for i, l := range intent.Labels {
			if l == ex.Intent {
				label[ex.Text] = i
			}
		}
	}
	oneHot := func(_ context.Context, texts []string) ([][]float32, error) {
		out := make([][]float32, len(texts))
		for i, s := range texts {
			out[i] = make([]float32, len(intent.Labels))
			out[i][label[s]] = 1
		}
		return out, nil
	}
	constant := func(_ context.Context, texts []string) ([][]float32, error) {
		out := make([][]float32, len(texts))
		for i := range texts {
			out[i] = []float32{1, 1}
		}
		return out, nil
	}
	failing := func(context.Context, []string) ([][]float32, error) { return nil, errors.New("model not found") }
	for _, tc := range []struct {
		name   string
		embed  intent.EmbedFunc
		vote   string
		reason string
		by     string
	}{
		{"informative", oneHot, "on", "dev accuracy", ByVote},
		{"meaningless", constant, "off", "does not improve", ByModel},
		{"failing", failing, "off", "model not found", ByModel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewClassifier(nil, nil)
			in := NewIntents(IntentsOptions{DataDir: t.TempDir(), Classifier: c, Embed: tc.embed})
			if st := in.Status(); st.Vote != "measuring" {
				t.Fatalf("before Run: %+v", st)
			}
			in.measureVote(context.Background())
			st := in.Status()
			if st.Vote != tc.vote || !strings.Contains(st.VoteReason, tc.reason) {
				t.Errorf("status %+v; want %s, %q", st, tc.vote, tc.reason)
			}
			if rd := c.Read(context.Background(), "where is my order 1001?"); rd.By != tc.by {
				t.Errorf("read %+v; want by %s", rd, tc.by)
			}
			// A new model drops the vote measured with the old one.
			c.SetModel(intent.Default())
			if rd := c.Read(context.Background(), "where is my order 1001?"); rd.By != ByModel {
				t.Errorf("after SetModel: %+v", rd)
			}
		})
	}
}
