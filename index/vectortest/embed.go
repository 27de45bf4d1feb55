package vectortest

import (
	"context"
	"math/rand"
)

// RandomEmbed stands in for an embedding model in benchmarks: each text
// gets a fixed pseudo-random vector of dims dimensions at no cost, so the
// embedding time is excluded and vector search costs what it would with
// real vectors.
func RandomEmbed(dims int) func(ctx context.Context, texts []string) ([][]float32, error) {
	return func(_ context.Context, texts []string) ([][]float32, error) {
		out := make([][]float32, len(texts))
		for i, t := range texts {
			r := rand.New(rand.NewSource(int64(len(t)) * int64(i+1)))
			v := make([]float32, dims)
			for j := range v {
				v[j] = float32(r.NormFloat64())
			}
			out[i] = v
		}
		return out, nil
	}
}
