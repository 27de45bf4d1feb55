package insights

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/shopdesk/shopdesk/embedding"
)

// probePairs are questions that ask the same thing in other words (or
// the other language), and questions that share words but not meaning.
var probePairs = struct{ same, different [][2]string }{
	same: [][2]string{
		{"Where is my order?", "Has my package shipped yet?"},
		{"How long do I have to return an item?", "What is your return window?"},
		{"Do you ship to Canada?", "Can you deliver to Toronto?"},
		{"我的快递到哪了", "我的订单什么时候到"},
		{"可以退货吗", "我想把这个退了"},
		{"Can I pay with PayPal?", "可以用PayPal付款吗"},
	},
	different: [][2]string{
		{"Where is my order?", "Do you sell gift cards?"},
		{"How long do I have to return an item?", "How long is this jacket?"},
		{"Do you ship to Canada?", "Is the tent waterproof?"},
		{"我的快递到哪了", "这件衣服是什么材质"},
		{"可以退货吗", "有没有优惠券"},
		{"Can I pay with PayPal?", "What size should I buy?"},
	},
}

// MinSeparation is how much closer, in mean cosine similarity, an
// embedding model must place paraphrases than unrelated questions before
// its vectors group content gaps.
const MinSeparation = 0.15

// CheckEmbeddings reports whether embed tells paraphrases from unrelated
// questions, in both languages: a stand-in model's vectors (the demo's
// story model) fail it, so gaps group by wording alone.
func CheckEmbeddings(ctx context.Context, embed func(context.Context, []string) ([][]float32, error)) error {
	var texts []string
	for _, set := range [][][2]string{probePairs.same, probePairs.different} {
		for _, p := range set {
			texts = append(texts, p[0], p[1])
		}
	}
	vecs, err := embed(ctx, texts)
	if err != nil {
		return fmt.Errorf("embedding check: %w", err)
	}
	if len(vecs) != len(texts) {
		return fmt.Errorf("embedding check: %d vectors for %d texts", len(vecs), len(texts))
	}
	mean := func(from, n int) float64 {
		sum := 0.0
		for i := range n {
			sum += embedding.Cosine(vecs[from+2*i], vecs[from+2*i+1])
		}
		return sum / float64(n)
	}
	n := len(probePairs.same)
	same, diff := mean(0, n), mean(2*n, len(probePairs.different))
	if same-diff < MinSeparation {
		return fmt.Errorf("the embedding model places paraphrases only %.2f closer than unrelated questions (need %.2f)", same-diff, MinSeparation)
	}
	return nil
}

// checkTimeout bounds CheckEmbeddings inside Checked.
const checkTimeout = time.Minute

// Checked returns embed guarded by CheckEmbeddings, run on first use:
// once the model has failed the check (or could not be asked), every
// call fails at once with that reason, told once to failed, and gaps group
// by wording. A check that could not finish (the model did not answer
// in time) is tried again on the next use.
func Checked(embed func(context.Context, []string) ([][]float32, error), failed func(error)) func(context.Context, []string) ([][]float32, error) {
	var mu sync.Mutex
	var verdict error
	decided := false
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		mu.Lock()
		if !decided {
			cctx, cancel := context.WithTimeout(ctx, checkTimeout)
			err := CheckEmbeddings(cctx, embed)
			timedOut := cctx.Err() != nil
			cancel()
			if err == nil || !timedOut {
				decided, verdict = true, err
				if err != nil && failed != nil {
					failed(err)
				}
			}
			if err != nil {
				mu.Unlock()
				return nil, err
			}
		}
		v := verdict
		mu.Unlock()
		if v != nil {
			return nil, v
		}
		return embed(ctx, texts)
	}
}
