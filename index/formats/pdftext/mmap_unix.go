//go:build unix

package pdftext

import (
	"context"
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// mmapAllocator backs each wasm linear memory with an anonymous mapping of its
// maximum size (virtual only; pages are committed when touched). Growing never
// copies, and Free returns the memory to the OS at once instead of leaving a
// multi-hundred-MB []byte for the Go GC.
type mmapMem struct{ buf []byte }

func (m *mmapMem) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil
	}
	return m.buf[:size:size]
}

func (m *mmapMem) Free() {
	if m.buf != nil {
		_ = syscall.Munmap(m.buf)
		m.buf = nil
	}
}

func withAllocator(ctx context.Context) context.Context {
	return experimental.WithMemoryAllocator(ctx, experimental.MemoryAllocatorFunc(
		func(cap, max uint64) experimental.LinearMemory {
			b, err := syscall.Mmap(-1, 0, int(max), syscall.PROT_READ|syscall.PROT_WRITE,
				syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
			if err != nil {
				return &mmapMem{}
			}
			return &mmapMem{buf: b}
		}))
}
