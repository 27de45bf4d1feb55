package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// errClientGone marks a write that failed because the client hung up.
var errClientGone = errors.New("client disconnected")

// sseWriter writes server-sent events. Headers go out with the first
// event, so a failure before it can still be an ordinary error response.
type sseWriter struct {
	w       http.ResponseWriter
	started bool
	buf     bytes.Buffer
	enc     *json.Encoder
}

// newStartedSSE continues a stream whose headers are already out.
func newStartedSSE(w http.ResponseWriter) *sseWriter {
	s := newSSE(w)
	s.started = true
	return s
}

func newSSE(w http.ResponseWriter) *sseWriter {
	s := &sseWriter{w: w}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}

func (s *sseWriter) start() {
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no") // tell nginx not to hold events back
	s.w.WriteHeader(http.StatusOK)
	s.started = true
}

// send writes v as one data event and flushes it.
func (s *sseWriter) send(v any) error {
	s.buf.Reset()
	s.buf.WriteString("data: ")
	if err := s.enc.Encode(v); err != nil {
		return err
	}
	s.buf.WriteByte('\n')
	return s.write(s.buf.Bytes())
}

// done writes OpenAI's end-of-stream marker.
func (s *sseWriter) done() error {
	return s.write([]byte("data: [DONE]\n\n"))
}

func (s *sseWriter) write(b []byte) error {
	if !s.started {
		s.start()
	}
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("%w: %w", errClientGone, err)
	}
	if f, ok := s.w.(http.Flusher); ok {
		f.Flush()
	}
	return nil
}

// event writes v as a named event.
func (s *sseWriter) event(name string, v any) error {
	s.buf.Reset()
	s.buf.WriteString("event: ")
	s.buf.WriteString(name)
	s.buf.WriteString("\ndata: ")
	if err := s.enc.Encode(v); err != nil {
		return err
	}
	s.buf.WriteByte('\n')
	return s.write(s.buf.Bytes())
}
