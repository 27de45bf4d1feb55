package textclass

import "math"

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
