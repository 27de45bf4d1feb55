package console

import (
	"testing"
)

func TestBothLanguagesHaveEveryText(t *testing.T) {
	for _, lang := range Languages {
		for key := range texts["en"] {
			if texts[lang][key] == "" {
				t.Errorf("%s has no text for %q", lang, key)
			}
		}
		for key := range texts[lang] {
			if _, ok := texts["en"][key]; !ok {
				t.Errorf("%s has %q, which English lacks", lang, key)
			}
		}
	}
}

func TestAssets(t *testing.T) {
	for _, name := range []string{"console.css", "console.js"} {
		if a, ok := Asset(name); !ok || len(a.Body) == 0 || a.ETag == "" {
			t.Errorf("%s: %v", name, ok)
		}
	}
	if _, ok := Asset("layout.html"); ok {
		t.Error("templates are served as assets")
	}
}
