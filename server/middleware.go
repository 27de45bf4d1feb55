package server

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/tenant"
	"github.com/shopdesk/shopdesk/widget"
)

const (
	keyRequestID = "request_id"
	keyTenant    = "tenant"
	keyModel     = "model"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID adopts the caller's X-Request-ID when it is sane, or makes
// one, and echoes it in the response.
func withRequestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !validRequestID.MatchString(id) {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(keyRequestID, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

func requestID(c *gin.Context) string { return c.GetString(keyRequestID) }

// recoverPanics turns a panic into a logged 500 instead of a dropped
// connection.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving request", keyRequestID, requestID(c), "panic", v, "stack", string(debug.Stack()))
			err := fmt.Errorf("panic: %v", v)
			if c.Writer.Written() && strings.HasPrefix(c.Writer.Header().Get("Content-Type"), "text/event-stream") {
				s.endStream(c, newStartedSSE(c.Writer), err)
				c.Abort()
				return
			}
			s.writeError(c, err)
		}
	}()
	c.Next()
}

// guardLoopback protects a server without API keys, which listens on
// loopback only, from web pages: a page the merchant visits could
// otherwise post to it (CSRF) or reach it through a hostname that
// resolves to 127.0.0.1 (DNS rebinding). Requests must name a loopback
// host, and browsers' Origin, when sent, must be a loopback origin.
func (s *Server) guardLoopback(c *gin.Context) {
	if len(s.keys) > 0 {
		c.Next()
		return
	}
	if !loopbackHost(c.Request.Host) {
		s.writeError(c, &apiError{Status: http.StatusForbidden, Type: "invalid_request_error", Code: "host_not_allowed",
			Message: "This server has no API keys and only answers requests addressed to localhost."})
		return
	}
	// The widget's endpoints admit the origins merchants list (checked
	// there); every other route only loopback pages.
	if origin := c.GetHeader("Origin"); origin != "" && !isWidgetAPI(c) {
		u, err := url.Parse(origin)
		if err != nil || !loopbackHost(u.Host) {
			s.writeError(c, &apiError{Status: http.StatusForbidden, Type: "invalid_request_error", Code: "origin_not_allowed",
				Message: "Cross-origin requests are refused while this server has no API keys."})
			return
		}
	}
	c.Next()
}

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authenticateRemote lets loopback callers through and asks everyone else
// for an API key, for operational endpoints that name internal hosts.
func (s *Server) authenticateRemote(c *gin.Context) {
	if host, _, err := net.SplitHostPort(c.Request.RemoteAddr); err == nil {
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			c.Next()
			return
		}
	}
	s.authenticate(c)
}

// observe logs each request and records its metrics.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	took := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	if s.metrics != nil {
		s.metrics.observeRequest(route, status, took)
	}
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
		slog.String(keyRequestID, requestID(c)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Duration("took", took),
		slog.String(keyTenant, c.GetString(keyTenant)),
		slog.String(keyModel, c.GetString(keyModel)),
	)
}

// authenticate maps the bearer token to its tenant. With no keys
// configured (loopback-only deployments) every request is the default
// tenant's.
func (s *Server) authenticate(c *gin.Context) {
	id := tenant.Default
	if _, bearer, _ := strings.Cut(c.GetHeader("Authorization"), " "); c.GetHeader(headerWidgetKey) != "" || widget.IsPublishable(bearer) {
		s.writeError(c, &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error", Code: "publishable_key_not_allowed",
			Message: "Publishable keys (pk_…) work only on the chat widget's endpoints under /widget/v1; this API takes a secret API key."})
		return
	}
	if len(s.keys) > 0 {
		header := c.GetHeader("Authorization")
		scheme, key, _ := strings.Cut(header, " ")
		if header == "" {
			s.writeError(c, &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error", Code: "missing_api_key",
				Message: "Missing API key: send it as an Authorization: Bearer <key> header."})
			return
		}
		t, ok := s.keys[sha256.Sum256([]byte(strings.TrimSpace(key)))]
		if !strings.EqualFold(scheme, "Bearer") || !ok {
			s.writeError(c, &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error", Code: "invalid_api_key",
				Message: "Incorrect API key provided."})
			return
		}
		id = t
	}
	c.Set(keyTenant, id)
	c.Request = c.Request.WithContext(tenant.With(c.Request.Context(), id))
	c.Next()
}

// readJSON reads a size-limited body and decodes it into v.
func (s *Server) readJSON(c *gin.Context, v any) error {
	limit := s.opts.MaxBodyBytes
	if c.Request.ContentLength > limit {
		return &http.MaxBytesError{Limit: limit}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_body",
			Message: "The request body could not be read.", Err: err}
	}
	if err := decodeJSON(body, v); err != nil {
		return err
	}
	return nil
}

// decodeJSON decodes one JSON object, with errors that say where it went
// wrong.
func decodeJSON(body []byte, v any) *apiError {
	bad := func(param, format string, args ...any) *apiError {
		e := invalid(param, format, args...)
		e.Code = "invalid_json"
		return e
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return bad("", "The request body is empty; send a JSON object.")
	}
	if trimmed[0] != '{' {
		return bad("", "The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	err := dec.Decode(v)
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		if dec.More() {
			return bad("", "The request body has data after the JSON object.")
		}
		return nil
	case errors.As(err, &syntax):
		return bad("", "The request body is not valid JSON (at byte %d): %s.", syntax.Offset, syntax.Error())
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return bad("", "The request body has a %s where a %s is expected.", typeErr.Value, typeErr.Type)
		}
		return bad(field, "%s must be %s, not %s.", field, jsonTypeName(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return bad("", "The request body ends in the middle of the JSON object.")
	default:
		return bad("", "The request body is not valid JSON: %s.", err.Error())
	}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "ptr":
		return "a value of another type"
	default:
		return "a number"
	}
}
