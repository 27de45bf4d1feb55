package server

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/server/console"
	"github.com/shopdesk/shopdesk/staff"
)

// consoleView is what every console page gets: the layout reads its
// fields and methods, the page its Data.
type consoleView struct {
	Lang string
	// Page names the template and the section the navigation marks.
	Page string
	// Title and Subtitle head the page; Title is a text key.
	Title, Subtitle string
	User            staff.User
	CSRF            string
	// Notice is a status line (text already in Lang); Error an alert.
	Notice, Error string
	Data          any
	url           *url.URL
}

// T is the page's text for key.
func (v *consoleView) T(key string) string { return console.Text(v.Lang, key) }

// Reason is an escalation reason in the page's language (an unknown one
// as it is).
func (v *consoleView) Reason(code string) string { return v.textOr("reason_"+code, code) }

// ShortReason is a reason in a word or two, for a chart's label.
func (v *consoleView) ShortReason(code string) string { return v.textOr("short_"+code, code) }

func (v *consoleView) textOr(key, fallback string) string {
	if t := v.T(key); t != key {
		return t
	}
	return fallback
}

// IsAdmin reports whether the viewer may see the admin sections.
func (v *consoleView) IsAdmin() bool { return v.User.Role == staff.RoleAdmin }

// chartArgs is what the chart template draws: a chart and its title.
type chartArgs struct {
	Title string
	Chart barChart
	v     *consoleView
}

// T is the chart's text for key.
func (a chartArgs) T(key string) string { return a.v.T(key) }

// Chart pairs a chart with its title for the chart template.
func (v *consoleView) Chart(titleKey string, ch barChart) chartArgs {
	return chartArgs{Title: v.T(titleKey), Chart: ch, v: v}
}

// LangURL is this page in another language.
func (v *consoleView) LangURL(lang string) string {
	u := *v.url
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.Path + "?" + u.RawQuery
}

const langCookie = "shopdesk_lang"

// consoleLang picks the page's language: ?lang= (remembered in a cookie),
// the cookie, then Accept-Language.
func consoleLang(c *gin.Context) string {
	if l := c.Query("lang"); l == "en" || l == "zh" {
		http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: l, Path: consolePath, MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteStrictMode})
		return l
	}
	if l, err := c.Cookie(langCookie); err == nil && (l == "en" || l == "zh") {
		return l
	}
	for _, part := range strings.Split(c.GetHeader("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.Split(part, ";")[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return "zh"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "en"
}

// view starts the view of a page for this request.
func (s *Server) view(c *gin.Context, page, title string) *consoleView {
	sess := staffFrom(c)
	return &consoleView{Lang: consoleLang(c), Page: page, Title: title, User: sess.User, CSRF: sess.CSRF, url: c.Request.URL}
}

// render writes a page.
func (s *Server) render(c *gin.Context, status int, v *consoleView) {
	var buf bytes.Buffer
	if err := console.Render(&buf, v.Page, v); err != nil {
		s.log.Error("console page", keyRequestID, requestID(c), "page", v.Page, "err", err)
		c.String(http.StatusInternalServerError, "Internal error (request ID %s).", requestID(c))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// consolePage adapts a console handler that returns an error: errors
// become an error page with what the client may see.
func (s *Server) consolePage(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		err := h(c)
		if err == nil {
			return
		}
		ae := s.apiErrorFor(c, err)
		s.logError(c, ae)
		if ae.Status == statusClientClosed || c.Writer.Written() {
			c.Status(ae.Status)
			return
		}
		v := s.view(c, "error", "error")
		switch {
		case ae.Status == http.StatusNotFound:
			v.Error = v.T("not_found")
		case ae.Status == http.StatusRequestEntityTooLarge:
			v.Error = v.T("too_large")
		case ae.Status == http.StatusServiceUnavailable:
			v.Error = v.T("unavailable")
		case ae.Status >= 500:
			v.Error = v.T("internal") + " " + requestID(c)
		default:
			v.Error = v.T("bad_input") + " " + ae.Message
		}
		s.render(c, ae.Status, v)
		c.Abort()
	}
}

// consoleFail ends the request with an error page whose text is the key
// reason.
func (s *Server) consoleFail(c *gin.Context, status int, reason string) {
	v := s.view(c, "error", "error")
	v.Error = v.T(reason)
	s.log.Info("console request refused", keyRequestID, requestID(c), "status", status, "code", reason)
	s.render(c, status, v)
	c.Abort()
}

// consoleAsset serves the console's stylesheet and script.
func (s *Server) consoleAsset(c *gin.Context) {
	a, ok := console.Asset(c.Param("file"))
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	serveAsset(c, a, "no-cache")
}

// notFoundPage answers unknown /console URLs with the console's 404 page.
func (s *Server) notFoundPage(c *gin.Context) {
	s.consolePage(func(*gin.Context) error { return conversation.ErrNotFound })(c)
}
