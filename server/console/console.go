// Package console holds the staff console's pages: html/template files,
// the stylesheet and script they load, and their text in English and
// Chinese. The server package fills the pages; this one only renders.
package console

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/widget"
)

//go:embed *.html console.css console.js
var files embed.FS

// Pages are the pages Render knows.
var Pages = []string{"login", "error", "inbox", "transcript", "knowledge", "learning", "insights", "models", "users"}

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04")
	},
	"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"pct":   func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"fixed": func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"join":  strings.Join,
	"inc":   func(i int) int { return i + 1 },
}

var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, p := range Pages {
		out[p] = template.Must(template.New("").Funcs(funcs).ParseFS(files, "layout.html", p+".html"))
	}
	return out
}()

// Render writes page with data, which the layout reads through the
// fields and methods of a View.
func Render(w io.Writer, page string, data any) error {
	t, ok := pages[page]
	if !ok {
		return fmt.Errorf("console: no page %q", page)
	}
	return t.ExecuteTemplate(w, "layout", data)
}

var assets = map[string]widget.Asset{
	"console.css": load("console.css", "text/css; charset=utf-8"),
	"console.js":  load("console.js", "text/javascript; charset=utf-8"),
}

func load(name, contentType string) widget.Asset {
	body, err := files.ReadFile(name)
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	return widget.NewAsset(body, contentType)
}

// Asset returns the stylesheet or script of that name.
func Asset(name string) (widget.Asset, bool) {
	a, ok := assets[name]
	return a, ok
}
