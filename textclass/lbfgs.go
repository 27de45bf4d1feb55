package textclass

import "math"

// lbfgsMemory is the number of correction pairs L-BFGS keeps.
const lbfgsMemory = 8

// minimize runs L-BFGS with a backtracking (Armijo) line search on p from
// x and returns the minimizer (in x's or another buffer). Every step is a fixed sequence of floating-point
// operations, so the result is reproducible bit for bit.
func minimize(p *problem, x []float64, opts TrainOptions) ([]float64, TrainResult) {
	n := len(x)
	g := make([]float64, n)
	resid := make([]float64, p.n*p.k)
	f := p.eval(x, g, resid)
	var ss, ys [][]float64
	var rho []float64
	d := make([]float64, n)
	xn := make([]float64, n)
	gn := make([]float64, n)
	alpha := make([]float64, lbfgsMemory)
	res := TrainResult{Objective: f, Gradient: maxAbs(g)}
	for res.Iterations = 0; res.Iterations < opts.MaxIter; res.Iterations++ {
		if res.Gradient < opts.Tolerance {
			res.Converged = true
			break
		}
		// d = −H·g by the two-loop recursion.
		for i := range d {
			d[i] = -g[i]
		}
		for j := len(ss) - 1; j >= 0; j-- {
			alpha[j] = rho[j] * dot(ss[j], d)
			axpy(-alpha[j], ys[j], d)
		}
		if m := len(ss); m > 0 {
			scale(d, dot(ss[m-1], ys[m-1])/dot(ys[m-1], ys[m-1]))
		} else {
			scale(d, 1/math.Max(1, math.Sqrt(dot(g, g))))
		}
		for j := range ss {
			beta := rho[j] * dot(ys[j], d)
			axpy(alpha[j]-beta, ss[j], d)
		}
		slope := dot(g, d)
		if slope >= 0 { // not a descent direction: restart from the gradient
			ss, ys, rho = ss[:0], ys[:0], rho[:0]
			for i := range d {
				d[i] = -g[i]
			}
			slope = -dot(g, g)
		}
		step, fn := 1.0, 0.0
		ok := false
		for range 40 {
			for i := range xn {
				xn[i] = x[i] + step*d[i]
			}
			if fn = p.eval(xn, gn, resid); fn <= f+1e-4*step*slope {
				ok = true
				break
			}
			step /= 2
		}
		if !ok {
			break // no progress is possible at this precision
		}
		var s, y []float64
		if len(ss) == lbfgsMemory {
			s, y = ss[0], ys[0]
			ss, ys, rho = ss[1:], ys[1:], rho[1:]
		} else {
			s, y = make([]float64, n), make([]float64, n)
		}
		for i := range s {
			s[i] = xn[i] - x[i]
			y[i] = gn[i] - g[i]
		}
		if sy := dot(s, y); sy > 1e-12 {
			ss, ys, rho = append(ss, s), append(ys, y), append(rho, 1/sy)
		}
		x, xn = xn, x
		g, gn = gn, g
		decrease := f - fn
		f = fn
		res.Objective, res.Gradient = f, maxAbs(g)
		if decrease <= 1e-13*math.Max(1, math.Abs(f)) {
			res.Converged = res.Gradient < 10*opts.Tolerance
			res.Iterations++
			break
		}
	}
	return x, res
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i := range x {
		y[i] += a * x[i]
	}
}

func scale(x []float64, a float64) {
	for i := range x {
		x[i] *= a
	}
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}
