//go:build unix

package flat

import (
	"encoding/binary"
	"math"
	"os"
	"syscall"
)

// mapping is the log memory-mapped read-only, so rescoring reads float32
// vectors straight from the page cache and none of them sit in the Go
// heap. It may reach past the end of the file, so that appends seldom need
// a new mapping; only bytes the log has written are ever read.
type mapping struct{ data []byte }

// mapGrain is the step by which the mapping grows (a variable for tests).
var mapGrain int64 = 64 << 20

func mapLog(f *os.File, size int64) (*mapping, error) {
	n := (size + size/4 + mapGrain - 1) / mapGrain * mapGrain
	data, err := syscall.Mmap(int(f.Fd()), 0, int(n), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	return &mapping{data: data}, nil
}

// covers reports whether the log's first size bytes are mapped.
func (m *mapping) covers(size int64) bool { return size <= int64(len(m.data)) }

// vector decodes the float32 vector of len(dst) values at off.
func (m *mapping) vector(off int64, dst []float32) {
	b := m.data[off : off+4*int64(len(dst))]
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

func (m *mapping) close() error {
	if m == nil || m.data == nil {
		return nil
	}
	err := syscall.Munmap(m.data)
	m.data = nil
	return err
}
