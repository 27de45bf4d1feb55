//go:build !amd64

package flat

const useAVX2 = false

func dotsAVX2(q *int16, codes *int8, stride, head, n int, out *int32) {
	panic("no AVX2 kernel on this architecture")
}
