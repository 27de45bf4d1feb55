package flat

// kernel is the dot-product kernel the scan uses, the best this CPU has
// (a variable so tests can run each).
var kernel = bestKernel()

// The kernels, slowest first.
const (
	kernelGo     = iota // plain Go
	kernelAVX2          // 16 codes a step
	kernelVNNI          // AVX-512 VNNI, 32 codes a step
	kernelsCount        // (end of list)
)

// dots sets out[j] to the dot product of q with the j-th of len(out)
// code rows of len(q) each, laid end to end in codes.
func dots(q []int16, codes []int8, out []int32) {
	dims := len(q)
	head := 0
	switch kernel {
	case kernelVNNI:
		if head = dims &^ 31; head > 0 {
			dotsVNNI(&q[0], &codes[0], dims, head, len(out), &out[0])
		}
	case kernelAVX2:
		if head = dims &^ 15; head > 0 {
			dotsAVX2(&q[0], &codes[0], dims, head, len(out), &out[0])
		}
	}
	if head == dims {
		return
	}
	for j := range out {
		row := codes[j*dims : (j+1)*dims]
		var s int32
		if head > 0 {
			s = out[j]
		}
		for i := head; i < dims; i++ {
			s += int32(q[i]) * int32(row[i])
		}
		out[j] = s
	}
}
