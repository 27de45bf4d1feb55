package flat

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

// TestDotsMatchesScalar checks the kernel against a plain loop at sizes
// around its 16- and 32-code steps, at the extremes of both ranges.
func TestDotsMatchesScalar(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for _, tc := range []struct {
		name string
		dims int
		fill func(i int) (int16, int8)
	}{
		{"one", 1, nil},
		{"under a step", 15, nil},
		{"one step", 16, nil},
		{"step and one", 17, nil},
		{"two steps", 32, nil},
		{"odd", 47, nil},
		{"tiny model", 64, nil},
		{"768", 768, nil},
		{"1000", 1000, nil},
		{"extremes", 768, func(i int) (int16, int8) {
			top := int16(math.MaxInt32 / (127 * 768))
			if i%2 == 0 {
				return top, 127
			}
			return -top, -127
		}},
	} {
		for k := range kernelsCount {
			if k > bestKernel() {
				continue // this CPU lacks it
			}
			t.Run(fmt.Sprintf("%s/kernel %d", tc.name, k), func(t *testing.T) {
				defer func(was int) { kernel = was }(kernel)
				kernel = k
				checkDots(t, r, tc.dims, tc.fill)
			})
		}
	}
}

func checkDots(t *testing.T, r *rand.Rand, dims int, fill func(i int) (int16, int8)) {
	tc := struct {
		dims int
		fill func(i int) (int16, int8)
	}{dims, fill}
	{
		{
			const rows = 37
			q := make([]int16, tc.dims)
			codes := make([]int8, rows*tc.dims)
			for i := range codes {
				d := i % tc.dims
				if tc.fill != nil {
					q[d], codes[i] = tc.fill(d)
				} else {
					q[d], codes[i] = int16(r.Intn(65535)-32767), int8(r.Intn(255)-127)
				}
			}
			if tc.fill == nil {
				quantizeQuery(randomVec(r, tc.dims), q) // keep sums in range
			}
			got := make([]int32, rows)
			dots(q, codes, got)
			for j := range rows {
				var want int64
				for i := range tc.dims {
					want += int64(q[i]) * int64(codes[j*tc.dims+i])
				}
				if int64(got[j]) != want {
					t.Fatalf("row %d: %d, want %d", j, got[j], want)
				}
			}
		}
	}
}

func randomVec(r *rand.Rand, dims int) []float32 {
	v := make([]float32, dims)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return v
}

func TestQuantizeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for _, dims := range []int{1, 8, 768} {
		v := normalized(randomVec(r, dims))
		codes := make([]int8, dims)
		scale := quantize(v, codes)
		for i, x := range v {
			if d := math.Abs(float64(x - scale*float32(codes[i]))); d > float64(scale)/2+1e-7 {
				t.Fatalf("dims %d: component %d off by %g, more than half a step %g", dims, i, d, scale/2)
			}
		}
	}
	zero := make([]int8, 4)
	if s := quantize(make([]float32, 4), zero); s != 0 {
		t.Fatalf("zero vector scale %g", s)
	}
}

// BenchmarkDots runs the kernel over 100,000 rows of 768 codes, more than
// the caches hold: bytes per second is the scan's speed.
func BenchmarkDots(b *testing.B) {
	const dims, rows = 768, 100_000
	r := rand.New(rand.NewSource(3))
	codes := make([]int8, rows*dims)
	for i := range codes {
		codes[i] = int8(r.Intn(255) - 127)
	}
	q := make([]int16, dims)
	quantizeQuery(randomVec(r, dims), q)
	out := make([]int32, blockRows)
	for k := range bestKernel() + 1 {
		b.Run(fmt.Sprintf("kernel %d", k), func(b *testing.B) {
			defer func(was int) { kernel = was }(kernel)
			kernel = k
			b.SetBytes(int64(len(codes)))
			for b.Loop() {
				for i := 0; i < rows; i += blockRows {
					n := min(blockRows, rows-i)
					dots(q, codes[i*dims:(i+n)*dims], out[:n])
				}
			}
		})
	}
}
