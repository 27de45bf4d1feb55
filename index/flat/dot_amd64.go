package flat

import "golang.org/x/sys/cpu"

func bestKernel() int {
	switch {
	case cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VNNI:
		return kernelVNNI
	case cpu.X86.HasAVX2:
		return kernelAVX2
	}
	return kernelGo
}

// dotsAVX2 computes, for each of n rows of codes stride bytes apart, the
// dot product of its first head codes (a multiple of 16) with q, into out.
//
//go:noescape
func dotsAVX2(q *int16, codes *int8, stride, head, n int, out *int32)

// dotsVNNI is dotsAVX2 with AVX-512 VNNI, head a multiple of 32.
//
//go:noescape
func dotsVNNI(q *int16, codes *int8, stride, head, n int, out *int32)
