//go:build !unix

package flat

import (
	"encoding/binary"
	"math"
	"os"
)

// mapping reads vectors from the log with ReadAt where memory mapping is
// not available.
type mapping struct{ f *os.File }

func mapLog(f *os.File, size int64) (*mapping, error) { return &mapping{f: f}, nil }

func (m *mapping) covers(size int64) bool { return true }

func (m *mapping) vector(off int64, dst []float32) {
	b := make([]byte, 4*len(dst))
	m.f.ReadAt(b, off)
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

func (m *mapping) close() error { return nil }
