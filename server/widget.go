package server

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/clientaddr"
	"github.com/shopdesk/shopdesk/tenant"
	"github.com/shopdesk/shopdesk/widget"
)

// WidgetOptions configures the chat widget's endpoints under /widget/v1.
type WidgetOptions struct {
	// Keys are the tenants' publishable keys and the origins each admits.
	Keys []widget.Key
	// Sessions keeps the browsers' sessions; without it the endpoints
	// answer 503.
	Sessions *widget.Sessions
	// SessionLimit bounds the requests of one session (default 30/m);
	// IPLimit those of one client address (default 300/m).
	SessionLimit widget.Limit
	IPLimit      widget.Limit
}

// Default widget rate limits.
var (
	DefaultWidgetSessionLimit = widget.Limit{N: 30, Per: time.Minute}
	DefaultWidgetIPLimit      = widget.Limit{N: 300, Per: time.Minute}
)

// widgetAuth is what the server knows of publishable keys.
type widgetAuth struct {
	keys    map[[32]byte]widget.Key // sha256(key) → key
	origins map[string]bool         // every tenant's, for preflights
	session *widget.Limiter
	ip      *widget.Limiter
	demoKey string // tenant default's first key, for /demo
}

// The widget's request headers.
const (
	headerWidgetKey = "X-Shopdesk-Key"
	sessionScheme   = "Session"
)

func newWidgetAuth(o WidgetOptions, apiKeys map[[32]byte]string) (*widgetAuth, error) {
	if o.SessionLimit.N == 0 {
		o.SessionLimit = DefaultWidgetSessionLimit
	}
	if o.IPLimit.N == 0 {
		o.IPLimit = DefaultWidgetIPLimit
	}
	w := &widgetAuth{keys: map[[32]byte]widget.Key{}, origins: map[string]bool{},
		session: widget.NewLimiter(o.SessionLimit, nil), ip: widget.NewLimiter(o.IPLimit, nil)}
	for i, k := range o.Keys {
		if err := widget.ValidateKey(k.Key); err != nil {
			return nil, fmt.Errorf("server: widget key %d: %w", i+1, err)
		}
		if err := tenant.Validate(k.Tenant); err != nil {
			return nil, fmt.Errorf("server: widget key %d: %w", i+1, err)
		}
		sum := sha256.Sum256([]byte(k.Key))
		if _, dup := w.keys[sum]; dup {
			return nil, errors.New("server: the same publishable key is listed twice")
		}
		if _, dup := apiKeys[sum]; dup {
			return nil, errors.New("server: a publishable key is also an API key")
		}
		if len(k.Origins) == 0 {
			return nil, fmt.Errorf("server: widget key %d (tenant %s) lists no origins", i+1, k.Tenant)
		}
		norm := make([]string, 0, len(k.Origins))
		for _, o := range k.Origins {
			n, err := widget.NormalizeOrigin(o)
			if err != nil {
				return nil, fmt.Errorf("server: widget key %d: %w", i+1, err)
			}
			norm = append(norm, n)
			w.origins[n] = true
		}
		k.Origins = norm
		w.keys[sum] = k
		if k.Tenant == tenant.Default && w.demoKey == "" {
			w.demoKey = k.Key
		}
	}
	return w, nil
}

// isWidgetAPI reports whether the request is for the widget's endpoints,
// which check origins themselves.
func isWidgetAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/widget/v1/") }

func forbidden(code, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusForbidden, Type: "invalid_request_error", Code: code, Message: fmt.Sprintf(format, args...)}
}

func unauthorized(code, param, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error", Code: code, Param: param, Message: fmt.Sprintf(format, args...)}
}

// requestOrigin is the page's origin: the Origin header, or, for the
// same-origin GETs browsers send without one, shopdesk's own origin.
func requestOrigin(c *gin.Context) (string, error) {
	raw := c.GetHeader("Origin")
	if raw == "" && c.GetHeader("Sec-Fetch-Site") == "same-origin" {
		raw = ownOrigin(c)
	}
	if raw == "" {
		return "", forbidden("origin_required", "The widget's endpoints answer browsers only: the request has no Origin header.")
	}
	o, err := widget.NormalizeOrigin(raw)
	if err != nil {
		return "", forbidden("origin_not_allowed", "This page's origin may not use the chat widget.")
	}
	return o, nil
}

// ownOrigin is shopdesk's origin as the client reached it.
func ownOrigin(c *gin.Context) string {
	if c.Request.TLS != nil {
		return "https://" + c.Request.Host
	}
	return "http://" + c.Request.Host
}

// widgetOrigin admits only pages whose origin some tenant lists, and
// answers their CORS preflights. Refusals carry no CORS headers, so the
// refused page cannot read them.
func (s *Server) widgetOrigin(c *gin.Context) {
	origin, err := requestOrigin(c)
	if err == nil && !s.widget.origins[origin] {
		err = forbidden("origin_not_allowed", "The origin %s may not use the chat widget: the merchant lists the origins of its pages in its widget settings.", origin)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "Retry-After, X-Request-ID")
	c.Set("widget_origin", origin)
	if c.Request.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID, X-Customer-Token, "+headerWidgetKey)
		h.Set("Access-Control-Max-Age", "600")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}

// widgetKey maps the publishable key to its tenant, checks the page's
// origin against the tenant's, and limits each client address.
func (s *Server) widgetKey(c *gin.Context) {
	raw := strings.TrimSpace(c.GetHeader(headerWidgetKey))
	if raw == "" {
		s.writeError(c, unauthorized("missing_publishable_key", headerWidgetKey, "Missing publishable key: send it as an %s header.", headerWidgetKey))
		return
	}
	k, ok := s.widget.keys[sha256.Sum256([]byte(raw))]
	if !ok {
		s.writeError(c, unauthorized("invalid_publishable_key", headerWidgetKey, "Unknown publishable key."))
		return
	}
	origin := c.GetString("widget_origin")
	if !slices.Contains(k.Origins, origin) {
		s.writeError(c, forbidden("origin_not_allowed", "The origin %s may not use this publishable key.", origin))
		return
	}
	if ok, wait := s.widget.ip.Allow(clientaddr.Key(c.ClientIP())); !ok {
		s.writeError(c, tooMany(wait, "Too many requests from this address"))
		return
	}
	c.Set(keyTenant, k.Tenant)
	c.Request = c.Request.WithContext(tenant.With(c.Request.Context(), k.Tenant))
	c.Next()
}

func tooMany(wait time.Duration, what string) *apiError {
	return &apiError{Status: http.StatusTooManyRequests, Type: "rate_limit_error", Code: "rate_limited", RetryAfter: wait,
		Message: fmt.Sprintf("%s; retry after the time in the Retry-After header.", what)}
}

// widgetSession requires the session a browser was given, and limits
// each session's requests.
func (s *Server) widgetSession(c *gin.Context) {
	sess, err := s.sessionOf(c)
	if err == nil && sess == nil {
		err = unauthorized("missing_session", "Authorization", "Missing widget session: create one with POST /widget/v1/session and send its token as Authorization: Session <token>.")
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	if ok, wait := s.widget.session.Allow(sess.Hash); !ok {
		s.writeError(c, tooMany(wait, "Too many requests in this chat session"))
		return
	}
	c.Set("widget_session", sess)
	c.Next()
}

// sessionOf reads the Authorization: Session header: nil without one.
func (s *Server) sessionOf(c *gin.Context) (*widget.Session, error) {
	if s.opts.Widget.Sessions == nil {
		return nil, &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "widget_unavailable",
			Message: "The chat widget is not available on this server."}
	}
	header := c.GetHeader("Authorization")
	if header == "" {
		return nil, nil
	}
	scheme, token, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, sessionScheme) {
		return nil, unauthorized("invalid_session", "Authorization", "The widget's endpoints take Authorization: Session <token>, not API keys.")
	}
	sess, err := s.opts.Widget.Sessions.Lookup(c.Request.Context(), tenantOf(c), strings.TrimSpace(token))
	if errors.Is(err, widget.ErrNoSession) {
		return nil, unauthorized("invalid_session", "Authorization", "Unknown or expired widget session: create a new one with POST /widget/v1/session.")
	}
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

func sessionFrom(c *gin.Context) *widget.Session {
	v, _ := c.Get("widget_session")
	sess, _ := v.(*widget.Session)
	return sess
}
