package textclass

import (
	"math"
	"sort"
	"sync"
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
	// L2 is λ in the objective, the weighted mean cross-entropy plus
	// λ/2·‖W‖² (biases are not penalized) [1e-4].
	L2 float64
	// MaxIter bounds the L-BFGS iterations [500].
	MaxIter int
	// Tolerance stops the optimizer when no component of the gradient
	// is larger [1e-6].
	Tolerance float64
	// MinCount drops buckets seen in fewer samples [1].
	MinCount int
	// Workers is the number of goroutines that compute the gradient
	// [2]; the result does not depend on it.
	Workers int
}

func (o *TrainOptions) defaults() {
	if o.L2 <= 0 {
		o.L2 = 1e-4
	}
	if o.MaxIter <= 0 {
		o.MaxIter = 500
	}
	if o.Tolerance <= 0 {
		o.Tolerance = 1e-6
	}
	if o.MinCount <= 0 {
		o.MinCount = 1
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
}

// TrainResult says how the optimizer ended.
type TrainResult struct {
	Iterations int
	// Objective is the final value of the objective; Gradient the
	// largest component of its gradient.
	Objective, Gradient float64
	// Converged is false when MaxIter stopped it first.
	Converged bool
}

// Train fits m's weights to samples: it minimizes the weighted mean
// cross-entropy plus λ/2·‖W‖², a strictly convex objective, by full-batch
// L-BFGS from m's current weights until the gradient is below
// opts.Tolerance. The optimum is unique, so the result depends on the
// samples and options alone, not on the starting point or their order
// (up to the tolerance), and it is deterministic: the same inputs give
// the same bits. Samples with a class out of range are skipped; buckets
// seen in fewer than MinCount samples keep weight 0. m's Temperature is
// left alone (see Calibrate).
func Train(m *Model, samples []Sample, opts TrainOptions) TrainResult {
	opts.defaults()
	p := newProblem(m, samples, opts, false)
	x, res := minimize(p, p.start(m), opts)
	p.store(m, x)
	return res
}

// Refit moves m, trained on base and perhaps on samples no longer at
// hand, to learn extra as well. It minimizes Train's objective over base
// and extra plus a linear term chosen so that m's current weights are the
// minimizer over base alone: with no extra samples m is left exactly as
// it is, and extra samples move it only as far as they pull. What m
// learned from the samples no longer at hand stays, to first order. The
// objective is strictly convex and minimized to convergence, so the
// result is deterministic and does not depend on the order of the
// samples.
func Refit(m *Model, base, extra []Sample, opts TrainOptions) TrainResult {
	opts.defaults()
	p := newProblem(m, append(append([]Sample(nil), base...), extra...), opts, true)
	x := p.start(m)
	// The gradient of the base part at x: the extra samples weigh 0.
	all := p.w
	p.w = append([]float64(nil), all...)
	for i := p.n - countValid(extra, p.k); i < p.n; i++ {
		p.w[i] = 0
	}
	lin := make([]float64, len(x))
	p.eval(x, lin, make([]float64, p.n*p.k))
	p.w, p.lin = all, lin
	x, res := minimize(p, x, opts)
	p.store(m, x)
	return res
}

func countValid(s []Sample, k int) int {
	n := 0
	for _, x := range s {
		if x.Y >= 0 && x.Y < k {
			n++
		}
	}
	return n
}

// problem is the objective over the weights of the buckets kept (a
// dense vector: row r of k weights is bucket rows[r], then k biases).
type problem struct {
	k, n    int
	l2      float64
	rows    []uint32 // bucket of each row
	workers int
	// The samples, by row (CSR): features of sample i are
	// feat[off[i]:off[i+1]], each a row and a value.
	off  []int
	feat []entry
	y    []int
	w    []float64 // weights, divided by their sum
	// The transpose (CSC): occurrences of row r are occ[roff[r]:roff[r+1]].
	roff []int
	occ  []entry // sample index and value
	// lin, if set, is subtracted from the gradient: the objective is
	// f(x) − lin·x.
	lin []float64
}

type entry struct {
	i int32
	v float32
}

// newProblem sets up the objective over samples; with current, every
// bucket where m has a weight is a row too.
func newProblem(m *Model, samples []Sample, opts TrainOptions, current bool) *problem {
	k := len(m.Labels)
	keep := keepBuckets(samples, opts.MinCount, len(m.W)/k)
	row := make(map[uint32]int32)
	p := &problem{k: k, l2: opts.L2, workers: opts.Workers}
	if current {
		for b := range len(m.W) / k {
			for _, w := range m.W[b*k : b*k+k] {
				if w != 0 {
					row[uint32(b)] = 0
					break
				}
			}
		}
	}
	for _, s := range samples {
		if s.Y < 0 || s.Y >= k {
			continue
		}
		for _, f := range s.X {
			if keep[f.Index] {
				if _, ok := row[f.Index]; !ok {
					row[f.Index] = 0
				}
			}
		}
	}
	p.rows = make([]uint32, 0, len(row))
	for b := range row {
		p.rows = append(p.rows, b)
	}
	sort.Slice(p.rows, func(i, j int) bool { return p.rows[i] < p.rows[j] })
	for r, b := range p.rows {
		row[b] = int32(r)
	}
	var total float64
	for _, s := range samples {
		if s.Y < 0 || s.Y >= k {
			continue
		}
		p.off = append(p.off, len(p.feat))
		for _, f := range s.X {
			if keep[f.Index] {
				p.feat = append(p.feat, entry{row[f.Index], f.Value})
			}
		}
		wt := float64(s.Weight)
		if wt == 0 {
			wt = 1
		}
		p.y = append(p.y, s.Y)
		p.w = append(p.w, wt)
		total += wt
	}
	p.off = append(p.off, len(p.feat))
	for i := range p.w {
		p.w[i] /= total
	}
	p.n = len(p.y)
	// The transpose, by counting.
	p.roff = make([]int, len(p.rows)+1)
	for _, e := range p.feat {
		p.roff[e.i+1]++
	}
	for r := range p.rows {
		p.roff[r+1] += p.roff[r]
	}
	p.occ = make([]entry, len(p.feat))
	next := append([]int(nil), p.roff[:len(p.rows)]...)
	for i := range p.n {
		for _, e := range p.feat[p.off[i]:p.off[i+1]] {
			p.occ[next[e.i]] = entry{int32(i), e.v}
			next[e.i]++
		}
	}
	return p
}

// start reads m's weights into a vector.
func (p *problem) start(m *Model) []float64 {
	k := p.k
	x := make([]float64, len(p.rows)*k+k)
	for r, b := range p.rows {
		for c := range k {
			x[r*k+c] = float64(m.W[int(b)*k+c])
		}
	}
	for c := range k {
		x[len(p.rows)*k+c] = float64(m.B[c])
	}
	return x
}

// store writes x into m: the rows' weights, zero elsewhere, and biases.
func (p *problem) store(m *Model, x []float64) {
	k := p.k
	clear(m.W)
	for r, b := range p.rows {
		for c := range k {
			m.W[int(b)*k+c] = float32(x[r*k+c])
		}
	}
	for c := range k {
		m.B[c] = float32(x[len(p.rows)*k+c])
	}
}

// chunk is the number of samples whose losses are summed together; a
// constant, so that the sum's rounding does not depend on Workers.
const chunk = 1024

// eval returns the objective at x and writes its gradient into g. resid
// (n·k) is scratch.
func (p *problem) eval(x, g, resid []float64) float64 {
	k, nw := p.k, len(p.rows)*p.k
	bias := x[nw:]
	chunks := (p.n + chunk - 1) / chunk
	losses := make([]float64, chunks)
	p.parallel(chunks, func(ch int) {
		z := make([]float64, k)
		loss := 0.0
		for i := ch * chunk; i < min(p.n, (ch+1)*chunk); i++ {
			copy(z, bias)
			for _, e := range p.feat[p.off[i]:p.off[i+1]] {
				v, w := float64(e.v), x[int(e.i)*k:int(e.i)*k+k]
				for c := range z {
					z[c] += v * w[c]
				}
			}
			mx, zy := z[0], z[p.y[i]]
			for _, v := range z {
				mx = math.Max(mx, v)
			}
			sum := 0.0
			for c := range z {
				z[c] = math.Exp(z[c] - mx)
				sum += z[c]
			}
			loss += p.w[i] * (mx + math.Log(sum) - zy)
			for c := range z {
				r := z[c] / sum
				if c == p.y[i] {
					r--
				}
				resid[i*k+c] = p.w[i] * r
			}
		}
		losses[ch] = loss
	})
	f := 0.0
	for _, l := range losses {
		f += l
	}
	// Rows in blocks, each row's sum over its samples in sample order.
	const block = 4096
	blocks := (len(p.rows) + block - 1) / block
	reg := make([]float64, blocks)
	p.parallel(blocks, func(bl int) {
		s := 0.0
		for r := bl * block; r < min(len(p.rows), (bl+1)*block); r++ {
			gr, xr := g[r*k:r*k+k], x[r*k:r*k+k]
			for c := range gr {
				gr[c] = p.l2 * xr[c]
				s += xr[c] * xr[c]
			}
			for _, e := range p.occ[p.roff[r]:p.roff[r+1]] {
				v, ri := float64(e.v), resid[int(e.i)*k:int(e.i)*k+k]
				for c := range gr {
					gr[c] += v * ri[c]
				}
			}
		}
		reg[bl] = s
	})
	for _, s := range reg {
		f += p.l2 / 2 * s
	}
	gb := g[nw:]
	clear(gb)
	for i := range p.n {
		for c := range gb {
			gb[c] += resid[i*k+c]
		}
	}
	if p.lin != nil {
		f -= dot(p.lin, x)
		for i, v := range p.lin {
			g[i] -= v
		}
	}
	return f
}

// parallel runs do(0..n-1) on p.workers goroutines.
func (p *problem) parallel(n int, do func(int)) {
	var wg sync.WaitGroup
	for w := range min(p.workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < n; j += p.workers {
				do(j)
			}
		}()
	}
	wg.Wait()
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
