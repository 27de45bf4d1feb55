package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/learning"
)

// apiError is an error with everything a client may see: HTTP status and
// OpenAI's error fields. Err holds the detail for logs only.
type apiError struct {
	Status     int
	Type       string
	Code       string
	Param      string
	Message    string
	RetryAfter time.Duration
	Err        error
}

func (e *apiError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *apiError) Unwrap() error { return e.Err }

// errorBody is OpenAI's error envelope.
type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func (e *apiError) body() errorBody {
	b := errorBody{Error: errorFields{Message: e.Message, Type: e.Type}}
	if e.Param != "" {
		b.Error.Param = &e.Param
	}
	if e.Code != "" {
		b.Error.Code = &e.Code
	}
	return b
}

// invalid is a 400 about one request parameter.
func invalid(param, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_value",
		Param: param, Message: fmt.Sprintf(format, args...)}
}

// unsupported is a 400 for an OpenAI parameter shopdesk does not offer.
func unsupported(param, format string, args ...any) *apiError {
	e := invalid(param, format, args...)
	e.Code = "unsupported_parameter"
	return e
}

func modelNotFound(id string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "model_not_found", Param: "model",
		Message: fmt.Sprintf("The model %q does not exist. GET /v1/models lists the models this server offers.", id)}
}

// statusClientClosed is the status logged when the client hung up first
// (nginx's convention); the client never sees it.
const statusClientClosed = 499

func clientClosed(err error) *apiError {
	return &apiError{Status: statusClientClosed, Type: "invalid_request_error", Code: "client_closed",
		Message: "The client closed the request.", Err: err}
}

// toAPIError maps any error to what the client is told. It is the only
// place where errors become HTTP statuses. Model-server failures are
// matched before context errors: a dial timeout to a dead host is an
// unavailable model server, not a slow request.
func toAPIError(err error, requestID string) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		return &apiError{Status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error", Code: "request_too_large",
			Message: fmt.Sprintf("The request body is larger than this server accepts (%d bytes).", maxBytes.Limit), Err: err}
	}
	var ie *inference.Error
	if errors.As(err, &ie) {
		switch ie.Kind {
		case inference.ErrModelNotFound:
			return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "model_not_found", Param: "model",
				Message: "The requested model is configured but not installed on the model server; the operator can run `shopdesk models pull`.", Err: err}
		case inference.ErrOverloaded:
			return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "server_overloaded",
				Message: "The model server is at capacity. Retry after the time in the Retry-After header (request ID " + requestID + ").", RetryAfter: ie.RetryAfter, Err: err}
		case inference.ErrUnavailable:
			return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "model_server_unavailable",
				Message: "The model server cannot be reached. Retry after the time in the Retry-After header (request ID " + requestID + ").", RetryAfter: ie.RetryAfter, Err: err}
		case inference.ErrBadRequest:
			return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "rejected_by_model",
				Message: "The model server rejected the request; check its parameters (request ID " + requestID + ").", Err: err}
		default:
			return &apiError{Status: http.StatusBadGateway, Type: "server_error", Code: "model_server_error",
				Message: "The model server failed while answering (request ID " + requestID + ").", Err: err}
		}
	}
	switch {
	case errors.Is(err, assistant.ErrInvalid):
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_message",
			Message: strings.TrimPrefix(err.Error(), assistant.ErrInvalid.Error()+": "), Err: err}
	case errors.Is(err, assistant.ErrForbidden), errors.Is(err, conversation.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "conversation_not_found",
			Message: "No such conversation.", Err: err}
	}
	if ae := curatedError(err); ae != nil {
		return ae
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, errClientGone) {
		return clientClosed(err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &apiError{Status: http.StatusGatewayTimeout, Type: "server_error", Code: "timeout",
			Message: "The request took longer than this server allows (request ID " + requestID + ").", Err: err}
	}
	return &apiError{Status: http.StatusInternalServerError, Type: "server_error", Code: "internal_error",
		Message: "Internal error (request ID " + requestID + ").", Err: err}
}

// apiErrorFor maps err for this request: whatever the error says, a
// client that has hung up is logged as such.
func (s *Server) apiErrorFor(c *gin.Context, err error) *apiError {
	if c.Request.Context().Err() != nil {
		return clientClosed(err)
	}
	return toAPIError(err, requestID(c))
}

// writeError sends err to the client in OpenAI's shape and logs it, unless
// the client has already gone.
func (s *Server) writeError(c *gin.Context, err error) {
	ae := s.apiErrorFor(c, err)
	s.logError(c, ae)
	if ae.Status == statusClientClosed || c.Writer.Written() {
		c.Status(ae.Status)
		return
	}
	if ae.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(max(1, (ae.RetryAfter+time.Second-1)/time.Second))))
	}
	c.AbortWithStatusJSON(ae.Status, ae.body())
}

func (s *Server) logError(c *gin.Context, ae *apiError) {
	level := slog.LevelInfo
	if ae.Status >= 500 && ae.Status != http.StatusServiceUnavailable {
		level = slog.LevelError
	} else if ae.Status >= 500 {
		level = slog.LevelWarn
	}
	attrs := []any{"request_id", requestID(c), "status", ae.Status, "code", ae.Code, "msg_to_client", ae.Message}
	if ae.Err != nil {
		attrs = append(attrs, "err", ae.Err)
	}
	s.log.Log(c.Request.Context(), level, "request failed", attrs...)
}

// curatedError maps the curated answers' and learned phrasings' errors,
// or returns nil. Their messages name the field at fault and hold nothing
// but what the client sent.
func curatedError(err error) *apiError {
	msg := func(prefix error) string {
		m := err.Error()
		if i := strings.Index(m, prefix.Error()+": "); i >= 0 {
			m = m[i+len(prefix.Error())+2:]
		}
		return m
	}
	switch {
	case errors.Is(err, curated.ErrInvalid):
		m := msg(curated.ErrInvalid)
		field, _, _ := strings.Cut(m, ":")
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_value", Param: field, Message: m, Err: err}
	case errors.Is(err, curated.ErrConflict):
		return &apiError{Status: http.StatusConflict, Type: "invalid_request_error", Code: "conflict", Message: msg(curated.ErrConflict), Err: err}
	case errors.Is(err, curated.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "answer_not_found", Message: "No such curated answer.", Err: err}
	case errors.Is(err, learning.ErrInvalid):
		m, param := msg(learning.ErrInvalid), "question"
		for _, p := range []string{"doc_id", "status"} {
			if strings.HasPrefix(m, p) {
				param = p
			}
		}
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_value", Param: param, Message: m, Err: err}
	case errors.Is(err, learning.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "not_found", Message: "Not found: " + msg(learning.ErrNotFound) + ".", Err: err}
	}
	return nil
}
