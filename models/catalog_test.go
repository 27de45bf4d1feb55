package models

import (
	"strings"
	"testing"
	"time"
)

const sampleYAML = `
addr: 127.0.0.1:9999
models:
  - id: small
    tag: qwen2.5:3b-instruct
    kind: chat
  - id: big
    aliases: [gpt-4o-mini]
    tag: qwen2.5:14b-instruct
    kind: chat
    default: true
    keep_alive: 1h
    options:
      num_ctx: 16384
      temperature: 0.2
      stop: "###"
  - id: embed
    tag: bge-m3
    kind: embedding
`

func TestParse(t *testing.T) {
	c, err := Parse([]byte(sampleYAML), "shop.yaml", Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, e := range c.Entries() {
		ids = append(ids, e.ID)
	}
	if got := strings.Join(ids, ","); got != "big,small,embed,shopdesk" {
		t.Errorf("entry order = %s, want the default chat model first and the assistant added: big,small,embed,shopdesk", got)
	}
	big, ok := c.Lookup("gpt-4o-mini")
	if !ok || big.ID != "big" {
		t.Fatalf("alias lookup = %+v, %v", big, ok)
	}
	if big.NumCtx() != 16384 {
		t.Errorf("num_ctx = %d", big.NumCtx())
	}
	if v, _ := big.Options["temperature"].(float64); v != 0.2 {
		t.Errorf("temperature = %v", big.Options["temperature"])
	}
	if stop, _ := big.Options["stop"].([]string); len(stop) != 1 || stop[0] != "###" {
		t.Errorf("stop = %#v, want a one-element list", big.Options["stop"])
	}
	if big.KeepAlive == nil || *big.KeepAlive != time.Hour {
		t.Errorf("keep_alive = %v", big.KeepAlive)
	}
	if d := c.Default(KindChat); d.ID != "big" {
		t.Errorf("default chat = %s", d.ID)
	}
	if d := c.Default(KindEmbedding); d.ID != "embed" || !d.Default {
		t.Errorf("default embedding = %+v, want the only embedding entry, marked default", d)
	}
	if _, ok := c.Lookup("qwen2.5:14b-instruct"); ok {
		t.Error("an Ollama tag resolved as a public ID; only IDs and aliases should")
	}
	if got := strings.Join(c.Tags(), ","); got != "qwen2.5:14b-instruct,qwen2.5:3b-instruct,bge-m3" {
		t.Errorf("tags = %s", got)
	}
}

func TestAssistantEntries(t *testing.T) {
	c, err := Parse([]byte(sampleYAML), "shop.yaml", Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	a, ok := c.Lookup(AssistantID)
	if !ok || a.Kind != KindAssistant {
		t.Fatalf("the catalog lists no assistant; want %q added: %+v", AssistantID, a)
	}
	if g := c.Generator(a); g.ID != "big" {
		t.Errorf("the added assistant generates with %s, want the default chat model", g.ID)
	}
	named := sampleYAML + `
  - id: helper
    kind: assistant
    model: small
`
	c, err = Parse([]byte(named), "shop.yaml", Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Lookup(AssistantID); ok {
		t.Error("an assistant was added although the file lists one")
	}
	h, _ := c.Lookup("helper")
	if g := c.Generator(h); g.ID != "small" {
		t.Errorf("helper generates with %s, want small", g.ID)
	}
	if strings.Contains(strings.Join(c.Tags(), ","), ",,") || len(c.Tags()) != 3 {
		t.Errorf("tags = %q, want only the three Ollama tags", c.Tags())
	}
	for name, bad := range map[string]string{
		"unknown model": "  - id: helper\n    kind: assistant\n    model: nope\n",
		"embedding":     "  - id: helper\n    kind: assistant\n    model: embed\n",
		"with a tag":    "  - id: helper\n    kind: assistant\n    tag: qwen2.5:3b\n",
		"chat w/ model": "  - id: helper\n    kind: chat\n    tag: x\n    model: big\n",
	} {
		if _, err := Parse([]byte(sampleYAML+strings.ReplaceAll(bad, `\n`, "\n")), "shop.yaml", Overrides{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseOverrides(t *testing.T) {
	c, err := Parse([]byte(sampleYAML), "shop.yaml", Overrides{ChatTag: "stories260k", EmbedTag: "tiny-embed"})
	if err != nil {
		t.Fatal(err)
	}
	if tag := c.Default(KindChat).Tag; tag != "stories260k" {
		t.Errorf("default chat tag = %s, want the override", tag)
	}
	if tag := c.Default(KindEmbedding).Tag; tag != "tiny-embed" {
		t.Errorf("default embedding tag = %s, want the override", tag)
	}
	if small, _ := c.Lookup("small"); small.Tag != "qwen2.5:3b-instruct" {
		t.Errorf("a non-default entry was overridden: %s", small.Tag)
	}
}

func TestParseWithoutModelsIsBuiltIn(t *testing.T) {
	c, err := Parse([]byte("addr: 0.0.0.0:8080\n"), "shop.yaml", Overrides{ChatTag: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Default(KindChat).ID != "shopdesk-chat" || c.Default(KindChat).Tag != "x" {
		t.Errorf("default chat = %+v", c.Default(KindChat))
	}
	if c.Default(KindEmbedding).Tag != "bge-m3" {
		t.Errorf("default embedding = %+v", c.Default(KindEmbedding))
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"syntax", "models: [", "shop.yaml: yaml:"},
		{"not a list", "models: {id: x}", "must be a list"},
		{"empty list", "models: []", "lists no models"},
		{"unknown field", "models:\n  - id: a\n    tga: x\n    kind: chat", `unknown field "tga"`},
		{"missing id", "models:\n  - tag: x\n    kind: chat", "id is required"},
		{"missing tag", "models:\n  - id: a\n    kind: chat", "tag is required"},
		{"bad kind", "models:\n  - id: a\n    tag: x\n    kind: vision", `kind "vision"`},
		{"bad id", "models:\n  - id: 'a b'\n    tag: x\n    kind: chat", "not a usable model ID"},
		{"duplicate", "models:\n  - {id: a, tag: x, kind: chat}\n  - {id: a, tag: y, kind: embedding}", `"a" is already used`},
		{"alias clash", "models:\n  - {id: a, tag: x, kind: chat}\n  - {id: b, aliases: [a], tag: y, kind: embedding}", `"a" is already used`},
		{"no embedding", "models:\n  - {id: a, tag: x, kind: chat}", "at least one embedding model"},
		{"two defaults", "models:\n  - {id: a, tag: x, kind: chat, default: true}\n  - {id: b, tag: y, kind: chat, default: true}\n  - {id: e, tag: z, kind: embedding}", "mark one"},
		{"no default", "models:\n  - {id: a, tag: x, kind: chat}\n  - {id: b, tag: y, kind: chat}\n  - {id: e, tag: z, kind: embedding}", "none marked default"},
		{"unknown option", "models:\n  - {id: a, tag: x, kind: chat, options: {num_ctxx: 5}}\n  - {id: e, tag: z, kind: embedding}", `unknown Ollama option "num_ctxx"`},
		{"bad option type", "models:\n  - {id: a, tag: x, kind: chat, options: {num_ctx: big}}\n  - {id: e, tag: z, kind: embedding}", "options.num_ctx"},
		{"fractional int", "models:\n  - {id: a, tag: x, kind: chat, options: {num_ctx: 1.5}}\n  - {id: e, tag: z, kind: embedding}", "whole number"},
		{"bad keep_alive", "models:\n  - {id: a, tag: x, kind: chat, keep_alive: soon}\n  - {id: e, tag: z, kind: embedding}", "keep_alive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "shop.yaml", Overrides{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestParseErrorNamesLine(t *testing.T) {
	_, err := Parse([]byte("models:\n  - {id: a, tag: x, kind: chat}\n  - {id: b, tag: y, kind: nope}\n"), "shop.yaml", Overrides{})
	if err == nil || !strings.Contains(err.Error(), "shop.yaml:3: models[1]") {
		t.Fatalf("err = %v, want file, line 3 and index 1", err)
	}
}

func TestRequestOptionsIsACopy(t *testing.T) {
	c := BuiltIn(Overrides{})
	e := c.Default(KindChat)
	opts := e.RequestOptions()
	opts["temperature"] = 1.5
	if again := c.Default(KindChat).Options["temperature"]; again != 0.3 {
		t.Fatalf("modifying RequestOptions changed the catalog: %v", again)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sampleYAML))
	f.Add([]byte("models: [{id: a, tag: b, kind: chat}]"))
	f.Add([]byte("models:\n  - {id: a, tag: x, kind: chat, options: {stop: [1, 2]}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml", Overrides{})
		if err != nil {
			return
		}
		// A catalog that parses always has both defaults and resolves them.
		for _, k := range []Kind{KindChat, KindEmbedding} {
			d := c.Default(k)
			if d.Kind != k || d.Tag == "" {
				t.Fatalf("default %s = %+v", k, d)
			}
			if got, ok := c.Lookup(d.ID); !ok || got.ID != d.ID {
				t.Fatalf("default %s does not resolve by ID", k)
			}
		}
	})
}
