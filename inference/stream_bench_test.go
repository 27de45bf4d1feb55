package inference

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkChatStreamDecode measures reading one streamed chunk from Ollama:
// HTTP chunked read, NDJSON decode, conversion. Reported per chunk.
func BenchmarkChatStreamDecode(b *testing.B) {
	const chunks = 256
	var body bytes.Buffer
	for i := range chunks {
		fmt.Fprintf(&body, `{"model":"qwen2.5:7b-instruct","created_at":"2026-11-23T23:46:14.714189126Z","message":{"role":"assistant","content":" word%d"},"done":false}`+"\n", i)
	}
	body.WriteString(`{"model":"qwen2.5:7b-instruct","created_at":"2026-11-23T23:46:14.714189126Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":5,"eval_count":256}` + "\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body.Bytes()) }))
	defer srv.Close()
	c, _ := New(Options{Hosts: []string{srv.URL}})
	req := ChatRequest{Model: "m", Messages: []Message{{Role: "user", Content: "hi"}}, Stream: true}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n := 0
		if err := c.Chat(context.Background(), req, func(ChatChunk) error { n++; return nil }); err != nil || n != chunks+1 {
			b.Fatal(err, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(chunks+1)), "ns/chunk")
}
