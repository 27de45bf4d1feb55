package intent_test

import (
	"context"
	"os"
	"testing"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
	"github.com/shopdesk/shopdesk/intent"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.Main(m)) }

// TestVoterSwitchesOffWithTheTestModel embeds with the real Ollama and
// stories260k, whose vectors mean nothing: the vote must not help dev,
// and the Voter must turn itself off.
func TestVoterSwitchesOffWithTheTestModel(t *testing.T) {
	if testing.Short() {
		t.Skip("embeds about 80 messages with a real Ollama")
	}
	o := ollamatest.Shared(t)
	c, err := inference.New(inference.Options{Hosts: []string{o.URL}})
	if err != nil {
		t.Fatal(err)
	}
	embed := func(ctx context.Context, texts []string) ([][]float32, error) {
		r, err := c.Embed(ctx, inference.EmbedRequest{Model: ollamatest.ChatModel, Input: texts})
		return r.Embeddings, err
	}
	// Every 40th training example and every fourth of dev: enough for
	// the vote to be measured (embedding all 1,800 takes minutes on two
	// cores, and the switch-off needs only a few dozen).
	var some []intent.Example
	for i, ex := range intent.ProjectExamples() {
		if ex.Split == intent.SplitDev && i%4 == 0 || ex.Split == intent.SplitTrain && i%40 == 0 {
			some = append(some, ex)
		}
	}
	v, err := intent.NewVoter(context.Background(), intent.Default(), embed, some, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(v.Reason)
	if v.Enabled {
		t.Errorf("the voter stayed on with meaningless embeddings: %s", v.Reason)
	}
	got, _, err := v.Classify(context.Background(), "where is my order 10234?")
	if err != nil || got != intent.OrderStatus {
		t.Errorf("disabled voter: %s, %v", got, err)
	}
}

// TestVoterSwitchesOnWhenItHelps uses a fake embedding that knows each
// message's intent: then the vote must raise dev accuracy and stay on.
func TestVoterSwitchesOnWhenItHelps(t *testing.T) {
	examples := intent.ProjectExamples()
	label := map[string]int{}
	for _, ex := range examples {
		for i, l := range intent.Labels {
			if l == ex.Intent {
				label[ex.Text] = i
			}
		}
	}
	embed := func(_ context.Context, texts []string) ([][]float32, error) {
		out := make([][]float32, len(texts))
		for i, s := range texts {
			out[i] = make([]float32, len(intent.Labels))
			out[i][label[s]] = 1
		}
		return out, nil
	}
	v, err := intent.NewVoter(context.Background(), intent.Default(), embed, examples, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Enabled {
		t.Errorf("an informative vote was switched off: %s", v.Reason)
	}
}
