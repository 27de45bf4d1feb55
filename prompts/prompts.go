// Package prompts holds every instruction shopdesk gives a model, as
// template files embedded in the binary and rendered by typed functions.
// Golden files under testdata pin the rendered text.
package prompts

import (
	"embed"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var files embed.FS

var templates = template.Must(template.New("").ParseFS(files, "templates/*.tmpl"))

func render(name string, data any) string {
	var b strings.Builder
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		// The templates are fixed at build time and pinned by tests; a
		// failure here is a programming error.
		panic("prompts: " + name + ": " + err.Error())
	}
	return b.String()
}
