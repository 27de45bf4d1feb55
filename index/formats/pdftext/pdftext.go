// Package pdftext extracts the text layer of PDF files with PDFium compiled
// to WebAssembly (github.com/klippa-app/go-pdfium/webassembly, run by
// wazero): pure Go, no cgo. PDFium runs in a sandbox with a memory cap and
// a per-document deadline, so a hostile file cannot crash, hang or exhaust
// the process; it is killed instead.
package pdftext

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Limits on one document.
const (
	MaxFileSize int64  = 64 << 20         // larger files are refused
	MaxPages           = 2000             // pages past this are not read
	Timeout            = 20 * time.Second // per document
	memoryPages uint32 = 4096             // wasm memory cap: 4096 × 64 KiB = 256 MiB
)

// cacheDir keeps PDFium's compiled code between runs ("" means none).
var cacheDir string

// SetCacheDir keeps the compiled PDFium in dir, so only the first start
// pays the seconds it takes to compile. Call it before the first
// extraction; later calls have no effect.
func SetCacheDir(dir string) { cacheDir = dir }

// ErrTimeout reports a document that took longer than Timeout.
var ErrTimeout = errors.New("pdf: extraction timed out")

var (
	once    sync.Once
	pool    pdfium.Pool
	initErr error
)

// Init compiles the PDFium module (about 3 s and 320 MB peak memory cold
// on 2 cores; 0.1 s with a warm cache directory). Extraction calls it
// first; call it earlier to pay the cost up front.
func Init() error {
	once.Do(func() {
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCloseOnContextDone(true). // lets Kill() interrupt a stuck call
			WithMemoryLimitPages(memoryPages)
		if cacheDir != "" {
			if c, err := wazero.NewCompilationCacheWithDir(cacheDir); err == nil {
				rc = rc.WithCompilationCache(c)
			}
		}
		pool, initErr = webassembly.Init(webassembly.Config{
			Context: withAllocator(context.Background()),
			MinIdle: 0, MaxIdle: 1, MaxTotal: 2, // ≤ 2 concurrent documents (2 cores)
			RuntimeConfig: rc,
			FSConfig:      wazero.NewFSConfig(), // no host filesystem inside the sandbox
			Stdout:        io.Discard, Stderr: io.Discard,
		})
		debug.FreeOSMemory() // compiling leaves ~250 MB of garbage behind
	})
	return initErr
}

type (
	pdfiumInstance = pdfium.Pdfium
	docRef         = references.FPDF_DOCUMENT
)

// withDocument loads the file into a fresh PDFium instance and calls fn with the
// (capped) page count. The instance is killed on timeout, panic or error.
func withDocument(r io.ReaderAt, size int64, fn func(inst pdfiumInstance, doc docRef, pages int) error) (err error) {
	if size > MaxFileSize {
		return fmt.Errorf("pdf: file too large (%d bytes)", size)
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return err
	}
	if err := Init(); err != nil {
		return fmt.Errorf("pdf: init pdfium: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		return fmt.Errorf("pdf: no pdfium instance: %w", err)
	}
	var killOnce sync.Once
	kill := func() { killOnce.Do(func() { inst.Kill() }) }
	timer := time.AfterFunc(time.Until(deadline(ctx)), kill) // interrupts a stuck wasm call
	defer func() {
		timer.Stop()
		if p := recover(); p != nil { // go-pdfium already recovers; belt and braces
			err = fmt.Errorf("pdf: panic: %v", p)
		}
		if ctx.Err() != nil {
			err = ErrTimeout
		}
		if err != nil {
			kill() // never reuse an instance that failed mid-way
		} else {
			inst.Close()
		}
	}()

	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		// e.g. "3: incorrect format" (corrupt/truncated), "4: incorrect password"
		return fmt.Errorf("pdf: open: %w", err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return fmt.Errorf("pdf: page count: %w", err)
	}
	return fn(inst, doc.Document, min(pc.PageCount, MaxPages))
}

func deadline(ctx context.Context) time.Time { d, _ := ctx.Deadline(); return d }

// PDFium separates lines with "\r\n" and may emit U+0002 (soft hyphen) / U+FFFE.
var repl = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\x02", "", "\ufffe", "")

func normalize(s string) string { return repl.Replace(s) }
