package textclass

import (
	"fmt"
	"math"
)

// Model is a multinomial logistic regression over a Features vector.
// Probabilities are softmax(logits / Temperature).
type Model struct {
	Features Features
	// Labels names the classes, in the order of Probs.
	Labels []string
	// W holds the weights bucket-major: W[bucket*len(Labels)+class].
	W []float32
	// B is the bias of each class.
	B []float32
	// Temperature divides the logits; 1 when uncalibrated.
	Temperature float32
}

// NewModel returns a Model with zero weights.
func NewModel(f Features, labels []string) (*Model, error) {
	if f.Bits < 8 || f.Bits > 22 {
		return nil, fmt.Errorf("textclass: bits %d out of 8..22", f.Bits)
	}
	if f.CharMax < 0 || f.CharMax > 8 || f.CharMin < 1 && f.CharMax > 0 || f.CharMin > f.CharMax && f.CharMax > 0 || f.WordMax < 0 || f.WordMax > 4 {
		return nil, fmt.Errorf("textclass: bad n-gram lengths %+v", f)
	}
	if len(labels) < 2 || len(labels) > maxLabels {
		return nil, fmt.Errorf("textclass: %d labels, want 2..%d", len(labels), maxLabels)
	}
	k := len(labels)
	if (1<<f.Bits)*k > maxWeights {
		return nil, fmt.Errorf("textclass: %d buckets × %d labels is more than %d weights", 1<<f.Bits, k, maxWeights)
	}
	return &Model{
		Features:    f,
		Labels:      append([]string(nil), labels...),
		W:           make([]float32, (1<<f.Bits)*k),
		B:           make([]float32, k),
		Temperature: 1,
	}, nil
}

const (
	maxLabels  = 64
	maxWeights = 1 << 24 // 64 MiB of float32
)

// Logits writes the raw class scores of v into out (len(Labels)).
func (m *Model) Logits(v Vector, out []float32) {
	k := len(m.Labels)
	copy(out[:k], m.B)
	for _, f := range v {
		row := m.W[int(f.Index)*k : int(f.Index)*k+k]
		for c, w := range row {
			out[c] += w * f.Value
		}
	}
}

// Probs writes the calibrated class probabilities of v into out
// (len(Labels)) and returns the most probable class.
func (m *Model) Probs(v Vector, out []float32) int {
	m.Logits(v, out)
	t := m.Temperature
	if t <= 0 {
		t = 1
	}
	softmax(out[:len(m.Labels)], t)
	best := 0
	for c, p := range out[:len(m.Labels)] {
		if p > out[best] {
			best = c
		}
	}
	return best
}

// softmax turns logits into probabilities in place, dividing by t.
func softmax(z []float32, t float32) {
	mx := z[0]
	for _, v := range z {
		mx = max(mx, v)
	}
	var sum float64
	for i, v := range z {
		e := math.Exp(float64((v - mx) / t))
		z[i] = float32(e)
		sum += e
	}
	for i := range z {
		z[i] = float32(float64(z[i]) / sum)
	}
}

// Active returns the number of buckets with a non-zero weight.
func (m *Model) Active() int {
	k := len(m.Labels)
	n := 0
	for b := 0; b < len(m.W)/k; b++ {
		for _, w := range m.W[b*k : b*k+k] {
			if w != 0 {
				n++
				break
			}
		}
	}
	return n
}
