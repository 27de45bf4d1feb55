package server

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/widget"
)

// pageCSP is the Content-Security-Policy of every page shopdesk serves:
// its own scripts, styles and connections only; nothing inline.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// serveAsset serves an embedded file with its ETag, gzipped when the
// client takes it. Any page may load it (Cross-Origin-Resource-Policy).
func serveAsset(c *gin.Context, a widget.Asset, cacheControl string) {
	h := c.Writer.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("ETag", a.ETag)
	h.Set("Cache-Control", cacheControl)
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if match := c.GetHeader("If-None-Match"); match != "" && strings.Contains(match, a.ETag) {
		c.Status(http.StatusNotModified)
		return
	}
	body := a.Body
	if strings.Contains(c.GetHeader("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = a.Gzip
	}
	c.Data(http.StatusOK, a.ContentType, body)
}

// widgetScript serves GET /widget.js. Browsers keep it an hour and then
// revalidate it by its ETag, so a new version reaches every page within
// the hour.
func (s *Server) widgetScript(c *gin.Context) {
	serveAsset(c, widget.Script(), "public, max-age=3600, stale-while-revalidate=86400")
}

func (s *Server) demoCSS(c *gin.Context) {
	serveAsset(c, widget.DemoCSS(), "public, max-age=3600")
}

// demo serves GET /demo?lang=en|zh: a shop page with the widget of tenant
// default's first publishable key, explaining the tag.
func (s *Server) demo(c *gin.Context) {
	lang := "en"
	if strings.HasPrefix(c.Query("lang"), "zh") {
		lang = "zh"
	}
	var page bytes.Buffer
	if err := widget.WriteDemo(&page, widget.Demo{Lang: lang, Key: s.widget.demoKey, Origin: ownOrigin(c)}); err != nil {
		s.writeError(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", page.Bytes())
}
