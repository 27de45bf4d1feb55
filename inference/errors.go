package inference

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/ollama/ollama/api"
)

// The kinds of failure a Client reports. Test with errors.Is; use errors.As
// with *Error for the details.
var (
	// ErrModelNotFound: no reachable Ollama host has the model.
	ErrModelNotFound = errors.New("model not found")
	// ErrUnavailable: Ollama cannot be reached, or the connection broke.
	ErrUnavailable = errors.New("model server unavailable")
	// ErrOverloaded: every slot and queue place is taken, or Ollama itself
	// refused the request as busy.
	ErrOverloaded = errors.New("model server over capacity")
	// ErrBadRequest: Ollama rejected the request as invalid (a model that
	// does not support tools, a malformed schema, ...).
	ErrBadRequest = errors.New("request rejected by the model server")
	// ErrUpstream: Ollama failed while handling the request.
	ErrUpstream = errors.New("model server error")
)

// Error describes a failed call to Ollama.
type Error struct {
	// Kind is one of the Err* values above.
	Kind error
	// Host is the Ollama base URL that failed, if one was reached.
	Host string
	// Model is the Ollama tag the call was for.
	Model string
	// Message is Ollama's own explanation, if it gave one. For ErrBadRequest
	// it describes the caller's input and is fit to show to a client.
	Message string
	// RetryAfter suggests when trying again may succeed (overload and
	// unavailability only).
	RetryAfter time.Duration
	// Err is the underlying error, for logs.
	Err error
}

func (e *Error) Error() string {
	msg := e.Kind.Error()
	if e.Model != "" {
		msg += " (" + e.Model + ")"
	}
	if e.Host != "" {
		msg += " at " + e.Host
	}
	if e.Message != "" {
		msg += ": " + e.Message
	} else if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap exposes both the kind and the underlying error to errors.Is.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// errIncomplete marks a stream that ended without Ollama's final message:
// the connection dropped (Ollama's client library does not report read
// errors on streams), so the answer is cut short.
var errIncomplete = errors.New("stream ended before the model finished")

// errQueueFull and errQueueTimeout are the limiter's refusals.
var (
	errQueueFull    = errors.New("queue full")
	errQueueTimeout = errors.New("timed out waiting in the queue")
)

// callbackError wraps an error returned by the caller's own callback so it
// is passed back unchanged rather than classified as an Ollama failure.
type callbackError struct{ err error }

func (e callbackError) Error() string { return e.err.Error() }
func (e callbackError) Unwrap() error { return e.err }

// classify turns an error from Ollama's client into an *Error, or returns
// the context's error if the caller gave up.
func classify(ctx context.Context, host, model string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("ollama %s: %w", host, ctxErr)
	}
	e := &Error{Host: host, Model: model, Err: err}
	var serr api.StatusError
	var aerr api.AuthorizationError
	switch {
	case errors.As(err, &serr):
		e.Message = truncate(serr.ErrorMessage, 300)
		if looksLikeHTML(e.Message) {
			e.Message = "" // a proxy's error page, not Ollama's explanation
		}
		switch {
		case serr.StatusCode == http.StatusNotFound:
			e.Kind = ErrModelNotFound
		case serr.StatusCode == http.StatusServiceUnavailable || serr.StatusCode == http.StatusTooManyRequests:
			e.Kind = ErrOverloaded
			e.RetryAfter = 2 * time.Second
		case serr.StatusCode == http.StatusBadGateway || serr.StatusCode == http.StatusGatewayTimeout:
			e.Kind = ErrUnavailable
		case (serr.StatusCode == http.StatusBadRequest || serr.StatusCode == http.StatusUnprocessableEntity) && serr.ErrorMessage != "":
			// Ollama's own verdict on the request ("does not support
			// tools"); anything else, such as a proxy's 403 page, is the
			// deployment's problem, not the client's.
			e.Kind = ErrBadRequest
		default:
			e.Kind = ErrUpstream
		}
	case errors.As(err, &aerr):
		e.Kind = ErrUpstream
		e.Message = "Ollama asked for authorization"
	case isConnectionError(err):
		e.Kind = ErrUnavailable
	default:
		// A failure Ollama reported inside an otherwise healthy stream.
		e.Kind = ErrUpstream
		e.Message = err.Error()
	}
	return e
}

func looksLikeHTML(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(l, "<") || strings.Contains(l, "<html") || strings.Contains(l, "<body")
}

func isConnectionError(err error) bool {
	var netErr net.Error
	return errors.Is(err, errIncomplete) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) ||
		errors.As(err, &netErr)
}

// retryable reports whether another host may succeed where this one failed,
// provided nothing has been streamed to the caller yet.
func retryable(e *Error) bool {
	return e.Kind != ErrBadRequest
}

// rank orders retryable failures for reporting when every host failed:
// the one that best tells the caller what to do wins.
func rank(e *Error) int {
	switch e.Kind {
	case ErrOverloaded:
		return 4
	case ErrUnavailable:
		return 3
	case ErrUpstream:
		return 2
	default: // ErrModelNotFound: only if every host said so
		return 1
	}
}
