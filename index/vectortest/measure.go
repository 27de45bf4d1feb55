package vectortest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Latencies times fn(i) for i in [0, n) and returns the median and the
// 99th percentile.
func Latencies(n int, fn func(i int)) (p50, p99 time.Duration) {
	took := make([]time.Duration, n)
	for i := range n {
		start := time.Now()
		fn(i)
		took[i] = time.Since(start)
	}
	slices.Sort(took)
	return took[n/2], took[min(n-1, n*99/100)]
}

// Memory returns the live Go heap after a collection and the process's
// resident set (0 where /proc is not there), in bytes.
func Memory() (heap, rss uint64) {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			pages, _ := strconv.ParseUint(f[1], 10, 64)
			rss = pages * uint64(os.Getpagesize())
		}
	}
	return m.HeapAlloc, rss
}

// Ms formats a duration in milliseconds.
func Ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// MiB formats a byte count in mebibytes.
func MiB[T int64 | uint64 | int](n T) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

// Against formats a measured latency beside its target and the baseline
// of the same run: "6.10 ms (target ≤ 8 ms; exact scan 29.00 ms, 0.21×)".
func Against(got time.Duration, target string, base time.Duration) string {
	return fmt.Sprintf("%s (target %s; exact scan %s, %.2f×)", Ms(got), target, Ms(base), float64(got)/float64(base))
}

// DirBytes is the size of the files under dir.
func DirBytes(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}
