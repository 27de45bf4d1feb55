package vectortest

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand"
)

// Mixture draws vectors with the structure real embeddings have, which
// random vectors hide: every vector shares a common direction (unrelated
// texts still have cosine around 0.4), they gather in clusters (topics)
// of varied spread, a few dimensions vary far more than the rest (the
// outlier dimensions of language-model embeddings), and lengths vary.
// The same seed gives the same mixture.
type Mixture struct {
	r       *rand.Rand
	dims    int
	centers [][]float64
	spread  []float64 // per cluster
	axis    []float64 // per-dimension scale
}

// NewMixture returns a mixture of clusters Gaussian clusters in dims
// dimensions.
func NewMixture(seed int64, dims, clusters int) *Mixture {
	r := rand.New(rand.NewSource(seed))
	m := &Mixture{r: r, dims: dims, axis: make([]float64, dims)}
	for i := range m.axis {
		m.axis[i] = math.Exp(0.35 * r.NormFloat64())
		if r.Intn(100) == 0 {
			m.axis[i] *= 6
		}
	}
	common := m.gaussian(1)
	for range clusters {
		c := m.gaussian(1.2)
		for i := range c {
			c[i] += common[i]
		}
		m.centers = append(m.centers, c)
		m.spread = append(m.spread, 0.35+0.5*r.Float64())
	}
	return m
}

func (m *Mixture) gaussian(sd float64) []float64 { return m.gaussianFrom(m.r, sd) }

func (m *Mixture) gaussianFrom(r *rand.Rand, sd float64) []float64 {
	v := make([]float64, m.dims)
	for i := range v {
		v[i] = sd * m.axis[i] * r.NormFloat64() / math.Sqrt(float64(m.dims))
	}
	return v
}

// Next draws one vector, of length between 5 and 15.
func (m *Mixture) Next() []float32 { return m.draw(m.r) }

// Embed stands in for an embedding model with the mixture's structure:
// each text gets a fixed vector drawn from the mixture, seeded by the
// text. Not safe for concurrent use with Next.
func (m *Mixture) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		h := fnv.New64a()
		h.Write([]byte(t))
		out[i] = m.draw(rand.New(rand.NewSource(int64(h.Sum64()))))
	}
	return out, nil
}

func (m *Mixture) draw(r *rand.Rand) []float32 {
	c := r.Intn(len(m.centers))
	noise := m.gaussianFrom(r, m.spread[c])
	var norm float64
	for i := range noise {
		noise[i] += m.centers[c][i]
		norm += noise[i] * noise[i]
	}
	scale := (5 + 10*r.Float64()) / math.Sqrt(norm)
	out := make([]float32, m.dims)
	for i, x := range noise {
		out[i] = float32(x * scale)
	}
	return out
}
