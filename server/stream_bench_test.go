package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/inference"
)

// BenchmarkStreamEncode measures sending one streamed chunk to the client:
// building the OpenAI chunk, encoding it and writing it as an SSE event.
// Reported per chunk.
func BenchmarkStreamEncode(b *testing.B) {
	const chunks = 256
	fake := &fakeModels{chat: func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		for range chunks {
			if err := fn(inference.ChatChunk{Content: " word"}); err != nil {
				return err
			}
		}
		return fn(inference.ChatChunk{Done: true, DoneReason: "stop"})
	}}
	h := newTestServer(b, fake, func(o *Options) { o.Logger = nil }).Config.Handler
	body := `{"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]}`
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "http://127.0.0.1/v1/chat/completions", strings.NewReader(body)))
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(chunks+1)), "ns/chunk")
}
