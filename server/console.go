package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/staff"
	"github.com/shopdesk/shopdesk/tenant"
)

// Staff signs the merchant's people in to the console; *staff.Store is
// one.
type Staff interface {
	Login(ctx context.Context, tenant, name, password, source string) (string, staff.Session, error)
	Session(ctx context.Context, token string) (staff.Session, error)
	// Peek is Session without counting as the person's activity.
	Peek(ctx context.Context, token string) (staff.Session, error)
	Logout(ctx context.Context, token string) error
	Users(ctx context.Context, tenant string) ([]staff.User, error)
}

const (
	// consoleCookie holds the staff session token, for /console only.
	consoleCookie = "shopdesk_console"
	// consolePath is where the console lives; its cookie's path.
	consolePath = "/console"
	// keySession holds the request's staff.Session.
	keySession = "staff_session"
	// headerCSRF carries the session's CSRF token on script requests;
	// forms send it as the field csrfField.
	headerCSRF = "X-CSRF-Token"
	csrfField  = "csrf"
	// headerBackground marks a request the page makes on its own (the
	// inbox refreshing itself): it does not keep the session from idling
	// out. Event streams never do either.
	headerBackground = "X-Console-Background"
)

// consoleCSP is the console pages' policy: the console's own scripts,
// styles and connections only, nothing inline, never in a frame.
const consoleCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// consoleHeaders sets the security headers of every console response.
func consoleHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", consoleCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Next()
}

// consoleSameOrigin refuses state-changing requests that a browser says
// come from another site (Origin, Sec-Fetch-Site). It protects the login
// form, which has no session yet, and backs up the CSRF token elsewhere.
func (s *Server) consoleSameOrigin(c *gin.Context) {
	if safeMethod(c.Request.Method) {
		c.Next()
		return
	}
	site := c.GetHeader("Sec-Fetch-Site")
	crossSite := site != "" && site != "same-origin" && site != "none"
	if origin := c.GetHeader("Origin"); origin != "" && origin != "null" {
		u, err := url.Parse(origin)
		own := err == nil && (strings.EqualFold(u.Host, c.Request.Host) ||
			s.fromTrustedProxy(c) && strings.EqualFold(u.Host, c.GetHeader("X-Forwarded-Host")))
		// Over TLS the page that posts must be one served over TLS too:
		// http://shop.example is another origin than https://shop.example.
		own = own && (!s.secureRequest(c) || strings.EqualFold(u.Scheme, "https"))
		crossSite = crossSite || !own
	} else if origin == "null" {
		crossSite = true
	}
	if crossSite {
		s.consoleFail(c, http.StatusForbidden, "cross_site")
		return
	}
	c.Next()
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// consoleLimitBody bounds a console request's body: uploads to
// MaxUploadBytes, everything else to MaxBodyBytes.
func (s *Server) consoleLimitBody(c *gin.Context) {
	limit := s.opts.MaxBodyBytes
	if strings.HasSuffix(c.Request.URL.Path, "/knowledge/upload") {
		limit = s.opts.MaxUploadBytes
	}
	if c.Request.ContentLength > limit {
		s.consoleFail(c, http.StatusRequestEntityTooLarge, "too_large")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

// consoleSession admits requests with a live staff session; the tenant
// comes from the session alone. Pages without one redirect to the login
// page; other requests get a 401.
func (s *Server) consoleSession(c *gin.Context) {
	if s.opts.Staff == nil {
		s.consoleFail(c, http.StatusServiceUnavailable, "no_staff")
		return
	}
	sess, err := s.staffSessionOf(c)
	if err != nil {
		if !errors.Is(err, staff.ErrNoSession) {
			s.log.Error("console session", keyRequestID, requestID(c), "err", err)
		}
		if c.Request.Method == http.MethodGet && !strings.HasSuffix(c.Request.URL.Path, "/events") {
			c.Redirect(http.StatusSeeOther, consolePath+"/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		s.consoleFail(c, http.StatusUnauthorized, "signed_out")
		return
	}
	c.Set(keySession, sess)
	c.Set(keyTenant, sess.User.Tenant)
	c.Request = c.Request.WithContext(tenant.With(c.Request.Context(), sess.User.Tenant))
	c.Next()
}

func (s *Server) staffSessionOf(c *gin.Context) (staff.Session, error) {
	token, err := c.Cookie(consoleCookie)
	if err != nil || token == "" {
		return staff.Session{}, staff.ErrNoSession
	}
	if safeMethod(c.Request.Method) && (c.GetHeader(headerBackground) != "" || strings.HasSuffix(c.Request.URL.Path, "/events")) {
		return s.opts.Staff.Peek(c.Request.Context(), token)
	}
	return s.opts.Staff.Session(c.Request.Context(), token)
}

// staffFrom is the session consoleSession admitted.
func staffFrom(c *gin.Context) staff.Session {
	v, _ := c.Get(keySession)
	sess, _ := v.(staff.Session)
	return sess
}

// consoleCSRF requires the session's CSRF token on every request that
// changes something: the X-CSRF-Token header, or the csrf form field.
func (s *Server) consoleCSRF(c *gin.Context) {
	if safeMethod(c.Request.Method) {
		c.Next()
		return
	}
	token := c.GetHeader(headerCSRF)
	if token == "" && strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
		token = c.PostForm(csrfField)
	}
	if !staffFrom(c).CheckCSRF(token) {
		s.consoleFail(c, http.StatusForbidden, "bad_csrf")
		return
	}
	c.Next()
}

// requireAdmin lets admins through and shows agents a 403 page.
func (s *Server) requireAdmin(c *gin.Context) {
	if staffFrom(c).User.Role != staff.RoleAdmin {
		s.consoleFail(c, http.StatusForbidden, "admin_only")
		return
	}
	c.Next()
}

// secureRequest reports whether the browser reached us over TLS: directly,
// or through a trusted proxy that says so.
func (s *Server) secureRequest(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	return strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https") && s.fromTrustedProxy(c)
}

// fromTrustedProxy reports whether the request came from one of
// TrustedProxies, whose X-Forwarded-* headers are believed.
func (s *Server) fromTrustedProxy(c *gin.Context) bool {
	host, _, err := net.SplitHostPort(c.Request.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, p := range s.opts.TrustedProxies {
		if _, n, err := net.ParseCIDR(p); err == nil && n.Contains(ip) {
			return true
		}
		if pip := net.ParseIP(p); pip != nil && pip.Equal(ip) {
			return true
		}
	}
	return false
}

// setSessionCookie sets (or, with token "", clears) the console cookie.
func (s *Server) setSessionCookie(c *gin.Context, token string) {
	ck := &http.Cookie{Name: consoleCookie, Value: token, Path: consolePath, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secureRequest(c)}
	if token == "" {
		ck.MaxAge = -1
	}
	http.SetCookie(c.Writer, ck)
}
