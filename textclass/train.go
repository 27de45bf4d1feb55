package textclass

import (
	"math"
	"math/rand/v2"
)

// Sample is one training example: its vector, its class (an index into
// the labels) and a weight (0 counts as 1).
type Sample struct {
	X      Vector
	Y      int
	Weight float32
}

// TrainOptions tune Train. Zero fields take the defaults in brackets.
type TrainOptions struct {
	Epochs       int     // passes over the data [12]
	LearningRate float64 // AdaGrad's step [0.5]
	L2           float64 // weight decay per update [1e-5]
	MinCount     int     // buckets seen in fewer samples are dropped [1]
	Seed         uint64  // shuffling; the same seed gives the same model
}

func (o *TrainOptions) defaults() {
	if o.Epochs <= 0 {
		o.Epochs = 12
	}
	if o.LearningRate <= 0 {
		o.LearningRate = 0.5
	}
	if o.L2 < 0 {
		o.L2 = 0
	} else if o.L2 == 0 {
		o.L2 = 1e-5
	}
	if o.MinCount <= 0 {
		o.MinCount = 1
	}
}

// Train fits m's weights to samples by AdaGrad on the cross-entropy, with
// a fixed shuffle per epoch drawn from opts.Seed: it is deterministic.
// Samples with a class out of range are skipped. m's Temperature is left
// alone (see Calibrate).
func Train(m *Model, samples []Sample, opts TrainOptions) {
	opts.defaults()
	k := len(m.Labels)
	keep := keepBuckets(samples, opts.MinCount, len(m.W)/k)
	g2 := make([]float32, len(m.W))
	bg2 := make([]float32, k)
	p := make([]float32, k)
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5d))
	lr := float32(opts.LearningRate)
	l2 := float32(opts.L2)
	const eps = 1e-8
	for range opts.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			s := samples[i]
			if s.Y < 0 || s.Y >= k {
				continue
			}
			wt := s.Weight
			if wt == 0 {
				wt = 1
			}
			m.Logits(s.X, p)
			softmax(p, 1)
			p[s.Y]--
			for c := range p {
				p[c] *= wt
			}
			for _, f := range s.X {
				if !keep[f.Index] {
					continue
				}
				base := int(f.Index) * k
				for c, gc := range p {
					j := base + c
					g := gc*f.Value + l2*m.W[j]
					g2[j] += g * g
					m.W[j] -= lr * g / float32(math.Sqrt(float64(g2[j]+eps)))
				}
			}
			for c, g := range p {
				bg2[c] += g * g
				m.B[c] -= lr * g / float32(math.Sqrt(float64(bg2[c]+eps)))
			}
		}
	}
}

// keepBuckets marks the buckets that occur in at least min samples.
func keepBuckets(samples []Sample, min, n int) []bool {
	count := make([]int32, n)
	last := make([]int32, n)
	for i, s := range samples {
		for _, f := range s.X {
			if last[f.Index] != int32(i+1) {
				last[f.Index] = int32(i + 1)
				count[f.Index]++
			}
		}
	}
	keep := make([]bool, n)
	for b, c := range count {
		keep[b] = int(c) >= min
	}
	return keep
}

// Calibrate sets m.Temperature to the value, on a grid from 0.25 to 4,
// that minimizes the negative log-likelihood of samples (a dev split),
// and returns it. With no samples it leaves 1.
func Calibrate(m *Model, samples []Sample) float32 {
	m.Temperature = 1
	if len(samples) == 0 {
		return 1
	}
	k := len(m.Labels)
	logits := make([][]float32, len(samples))
	for i, s := range samples {
		logits[i] = make([]float32, k)
		m.Logits(s.X, logits[i])
	}
	best, bestNLL := float32(1), math.Inf(1)
	p := make([]float32, k)
	for t := float32(0.25); t <= 4.001; t += 0.05 {
		nll := 0.0
		for i, s := range samples {
			copy(p, logits[i])
			softmax(p, t)
			nll -= math.Log(max(float64(p[s.Y]), 1e-12))
		}
		if nll < bestNLL {
			best, bestNLL = t, nll
		}
	}
	m.Temperature = best
	return best
}
