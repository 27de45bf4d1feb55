package textclass

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// toySamples returns a small random problem in k classes.
func toySamples(f Features, n, k int, seed uint64) []Sample {
	rng := rand.New(rand.NewPCG(seed, 1))
	words := []string{"where", "order", "refund", "退款", "快递", "tent", "price", "多少钱", "cancel", "取消", "return", "退货"}
	var s []Sample
	for range n {
		y := rng.IntN(k)
		text := words[y%len(words)]
		for range 3 {
			text += " " + words[rng.IntN(len(words))]
		}
		s = append(s, Sample{X: f.Extract(text, nil), Y: y, Weight: float32(1 + rng.IntN(3))})
	}
	return s
}

// TestGradient compares the analytic gradient with central differences.
func TestGradient(t *testing.T) {
	f := Features{Bits: 8, CharMin: 1, CharMax: 2}
	m, _ := NewModel(f, []string{"a", "b", "c"})
	p := newProblem(m, toySamples(f, 40, 3, 1), TrainOptions{L2: 0.01, MinCount: 1, Workers: 2}, false)
	rng := rand.New(rand.NewPCG(2, 2))
	x := make([]float64, len(p.rows)*p.k+p.k)
	for i := range x {
		x[i] = rng.NormFloat64() * 0.3
	}
	g := make([]float64, len(x))
	resid := make([]float64, p.n*p.k)
	p.eval(x, g, resid)
	for _, i := range []int{0, 1, 5, len(x) / 2, len(x) - 1, len(x) - 3} {
		const h = 1e-5
		xp, xm := slices.Clone(x), slices.Clone(x)
		xp[i] += h
		xm[i] -= h
		tmp := make([]float64, len(x))
		num := (p.eval(xp, tmp, resid) - p.eval(xm, tmp, resid)) / (2 * h)
		if math.Abs(num-g[i]) > 1e-6*math.Max(1, math.Abs(num)) {
			t.Errorf("gradient %d: %g, numerically %g", i, g[i], num)
		}
	}
}

// TestTrainIsStable checks what the retrain gate relies on: the optimum
// does not depend on the workers, the order of the samples or the
// starting point, and training converges.
func TestTrainIsStable(t *testing.T) {
	f := Features{Bits: 10, CharMin: 1, CharMax: 3}
	labels := []string{"a", "b", "c", "d"}
	samples := toySamples(f, 300, 4, 3)
	train := func(s []Sample, o TrainOptions, start float32) *Model {
		m, _ := NewModel(f, labels)
		for i := range m.W {
			m.W[i] = start * float32(i%7-3)
		}
		if r := Train(m, s, o); !r.Converged {
			t.Errorf("not converged: %+v", r)
		}
		return m
	}
	o := TrainOptions{L2: 1e-3, Tolerance: 1e-8}
	base := train(samples, o, 0)
	one := train(samples, TrainOptions{L2: 1e-3, Tolerance: 1e-8, Workers: 1}, 0)
	if !slices.Equal(base.W, one.W) || !slices.Equal(base.B, one.B) {
		t.Error("the weights depend on the number of workers")
	}
	rev := slices.Clone(samples)
	slices.Reverse(rev)
	for name, m := range map[string]*Model{"reversed": train(rev, o, 0), "warm start": train(samples, o, 0.01)} {
		d := 0.0
		for i := range m.W {
			d = math.Max(d, math.Abs(float64(m.W[i]-base.W[i])))
		}
		if d > 1e-4 {
			t.Errorf("%s: weights differ by up to %g", name, d)
		}
	}
}

// TestRefit checks that refitting with nothing new leaves the weights as
// they are, and that new samples are learned.
func TestRefit(t *testing.T) {
	f := Features{Bits: 10, CharMin: 1, CharMax: 3}
	labels := []string{"a", "b", "c", "d"}
	samples := toySamples(f, 200, 4, 5)
	m, _ := NewModel(f, labels)
	Train(m, samples, TrainOptions{L2: 1e-3})
	// What m learned from samples[150:] is no longer at hand.
	base := samples[:150]
	w := slices.Clone(m.W)
	if r := Refit(m, base, nil, TrainOptions{L2: 1e-3}); r.Iterations != 0 || !slices.Equal(w, m.W) {
		t.Errorf("refit with nothing new changed the weights (%+v)", r)
	}
	extra := []Sample{{X: f.Extract("zebra zebra", nil), Y: 3, Weight: 5}}
	p := make([]float32, 4)
	if m.Probs(extra[0].X, p); p[3] > 0.9 {
		t.Fatalf("already learned: %v", p)
	}
	Refit(m, base, extra, TrainOptions{L2: 1e-3})
	if m.Probs(extra[0].X, p); p[3] < 0.5 {
		t.Errorf("the extra sample was not learned: %v", p)
	}
}
