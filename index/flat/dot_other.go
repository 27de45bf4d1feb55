//go:build !amd64

package flat

func bestKernel() int { return kernelGo }

func dotsAVX2(q *int16, codes *int8, stride, head, n int, out *int32) {
	panic("no AVX2 kernel on this architecture")
}

func dotsVNNI(q *int16, codes *int8, stride, head, n int, out *int32) {
	panic("no VNNI kernel on this architecture")
}
