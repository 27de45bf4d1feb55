package flat

import "math"

// Vectors are held in memory as int8 codes, one scale per vector
// (symmetric scalar quantization): v[i] ≈ scale·code[i], with scale =
// max|v[i]|/127. It needs no training, so inserts never re-encode others.
// The query is quantized to int16 with more headroom, so the scan's error
// is the codes' alone; candidates are rescored against the exact float32
// vectors.

// quantize writes v's codes to dst and returns v's scale.
func quantize(v []float32, dst []int8) float32 {
	var m float32
	for _, x := range v {
		m = max(m, abs(x))
	}
	if m == 0 {
		clear(dst)
		return 0
	}
	inv := 127 / m
	for i, x := range v {
		dst[i] = int8(math.Round(float64(x * inv)))
	}
	return m / 127
}

// quantizeQuery writes q's integer form to dst, scaled so that no dot
// product with codes of len(q) dimensions overflows an int32.
func quantizeQuery(q []float32, dst []int16) {
	var m float32
	for _, x := range q {
		m = max(m, abs(x))
	}
	if m == 0 {
		clear(dst)
		return
	}
	top := min(32767, math.MaxInt32/(127*max(1, len(q))))
	inv := float32(top) / m
	for i, x := range q {
		dst[i] = int16(math.Round(float64(x * inv)))
	}
}

func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
