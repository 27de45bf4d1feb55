package flat

import "golang.org/x/sys/cpu"

var useAVX2 = cpu.X86.HasAVX2

// dotsAVX2 computes, for each of n rows of codes stride bytes apart, the
// dot product of its first head codes (a multiple of 16) with q, into out.
//
//go:noescape
func dotsAVX2(q *int16, codes *int8, stride, head, n int, out *int32)
