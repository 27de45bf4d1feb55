// Package models is the model catalog: it maps the public model IDs that
// clients send to Ollama tags and options, and marks the default chat and
// embedding models.
//
// A Catalog is immutable; a Store holds the current one and swaps it when the
// configuration file changes, so a request that resolved an Entry keeps it for
// its whole life even if the file is edited meanwhile.
package models

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"
)

// Kind says what a model is for.
type Kind string

// The kinds a catalog entry can have.
const (
	KindChat      Kind = "chat"
	KindEmbedding Kind = "embedding"
	// KindAssistant is shopdesk's grounded support assistant: requests for
	// it run the answer pipeline (retrieval, conversation memory, checks)
	// and generate with the chat entry named by Model.
	KindAssistant Kind = "assistant"
)

// AssistantID is the ID of the assistant entry added to every catalog that
// lists none.
const AssistantID = "shopdesk"

// Entry is one model that clients can ask for by ID.
type Entry struct {
	// ID is the public name clients send as "model".
	ID string
	// Aliases are further public names for the same entry.
	Aliases []string
	// Tag is the Ollama model tag that serves the entry; assistants have
	// none.
	Tag string
	// Kind is chat, embedding or assistant.
	Kind Kind
	// Model, for an assistant, is the ID of the chat entry that generates
	// its answers; empty means the default chat model.
	Model string
	// Default marks the model used when a feature needs "the" chat or
	// embedding model.
	Default bool
	// Description is shown in model listings.
	Description string
	// Options are Ollama options (num_ctx, temperature, ...) sent with every
	// request; request parameters override them. Read-only: use
	// RequestOptions for a copy to modify.
	Options map[string]any
	// KeepAlive is how long Ollama keeps the model loaded after a request;
	// nil leaves Ollama's default, a negative value keeps it loaded.
	KeepAlive *time.Duration
}

// RequestOptions returns a fresh copy of the entry's options, safe to modify.
func (e Entry) RequestOptions() map[string]any {
	out := make(map[string]any, len(e.Options)+4)
	maps.Copy(out, e.Options)
	return out
}

// NumCtx returns the entry's context window in tokens, or 0 if the catalog
// leaves it to the model.
func (e Entry) NumCtx() int {
	n, _ := e.Options["num_ctx"].(int)
	return n
}

// Catalog is an immutable, validated set of entries.
type Catalog struct {
	entries  []Entry
	byName   map[string]int
	defaults map[Kind]int
	// Source names where the catalog came from: a file path or "built-in".
	Source string
	// LoadedAt is when the catalog was loaded.
	LoadedAt time.Time
}

// Overrides replace the Ollama tags of the default models after loading,
// as SHOPDESK_CHAT_MODEL and SHOPDESK_EMBED_MODEL do. Empty fields change
// nothing.
type Overrides struct {
	ChatTag  string
	EmbedTag string
}

// Lookup returns the entry whose ID or alias is name.
func (c *Catalog) Lookup(name string) (Entry, bool) {
	i, ok := c.byName[name]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// Default returns the default entry of kind k. Every valid catalog has a
// default chat and a default embedding model.
func (c *Catalog) Default(k Kind) Entry {
	return c.entries[c.defaults[k]]
}

// Entries returns every entry: the default chat model first, then the rest
// in the order the configuration lists them.
func (c *Catalog) Entries() []Entry {
	return slices.Clone(c.entries)
}

// Generator returns the chat entry that generates for e: e itself unless
// e is an assistant.
func (c *Catalog) Generator(e Entry) Entry {
	if e.Kind != KindAssistant {
		return e
	}
	if e.Model == "" {
		return c.Default(KindChat)
	}
	g, _ := c.Lookup(e.Model) // checked when the catalog was built
	return g
}

// Tags returns the distinct Ollama tags the catalog uses, in entry order.
func (c *Catalog) Tags() []string {
	var tags []string
	for _, e := range c.entries {
		if e.Tag != "" && !slices.Contains(tags, e.Tag) {
			tags = append(tags, e.Tag)
		}
	}
	return tags
}

var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$`)

// newCatalog validates entries, applies overrides and indexes the result.
func newCatalog(entries []Entry, ov Overrides, source string) (*Catalog, error) {
	c := &Catalog{
		byName:   make(map[string]int),
		defaults: make(map[Kind]int),
		Source:   source,
		LoadedAt: time.Now(),
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("models: the catalog lists no models")
	}
	entries = slices.Clone(entries)
	for i, e := range entries {
		where := fmt.Sprintf("models[%d] (%s)", i, e.ID)
		if err := e.validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		for _, name := range append([]string{e.ID}, e.Aliases...) {
			if j, dup := c.byName[name]; dup {
				return nil, fmt.Errorf("%s: name %q is already used by %s", where, name, entries[j].ID)
			}
			c.byName[name] = i
		}
	}
	for _, k := range []Kind{KindChat, KindEmbedding} {
		def, err := pickDefault(entries, k)
		if err != nil {
			return nil, err
		}
		entries[def].Default = true
		c.defaults[k] = def
	}
	for i, e := range entries {
		if e.Kind != KindAssistant || e.Model == "" {
			continue
		}
		j, ok := c.byName[e.Model]
		if !ok || entries[j].Kind != KindChat {
			return nil, fmt.Errorf("models[%d] (%s): model %q is not a chat entry of this catalog", i, e.ID, e.Model)
		}
		entries[i].Model = entries[j].ID
	}
	if !slices.ContainsFunc(entries, func(e Entry) bool { return e.Kind == KindAssistant }) {
		if _, taken := c.byName[AssistantID]; !taken {
			c.byName[AssistantID] = len(entries)
			entries = append(entries, Entry{ID: AssistantID, Kind: KindAssistant,
				Description: "grounded support assistant: answers from the knowledge base, cites sources, remembers the conversation"})
		}
	}
	if ov.ChatTag != "" {
		entries[c.defaults[KindChat]].Tag = ov.ChatTag
	}
	if ov.EmbedTag != "" {
		entries[c.defaults[KindEmbedding]].Tag = ov.EmbedTag
	}

	// Move the default chat model to the front; the rest keep their order.
	order := make([]int, 0, len(entries))
	order = append(order, c.defaults[KindChat])
	for i := range entries {
		if i != c.defaults[KindChat] {
			order = append(order, i)
		}
	}
	newIndex := make(map[int]int, len(order))
	for pos, old := range order {
		c.entries = append(c.entries, entries[old])
		newIndex[old] = pos
	}
	for name, old := range c.byName {
		c.byName[name] = newIndex[old]
	}
	for k, old := range c.defaults {
		c.defaults[k] = newIndex[old]
	}
	return c, nil
}

// validate checks the fields of one entry on its own.
func (e Entry) validate() error {
	if e.ID == "" {
		return fmt.Errorf("id is required")
	}
	switch e.Kind {
	case KindChat, KindEmbedding:
		if e.Tag == "" {
			return fmt.Errorf("tag is required (the Ollama model, e.g. qwen2.5:7b-instruct)")
		}
		if e.Model != "" {
			return fmt.Errorf("model is only for assistant entries; a %s entry names its Ollama model with tag", e.Kind)
		}
	case KindAssistant:
		if e.Tag != "" {
			return fmt.Errorf("an assistant has no tag: name the chat entry it generates with in model")
		}
		if e.Default {
			return fmt.Errorf("default applies to chat and embedding entries, not assistants")
		}
	default:
		return fmt.Errorf("kind %q is not one of chat, embedding, assistant", e.Kind)
	}
	for _, name := range append([]string{e.ID}, e.Aliases...) {
		if !validID.MatchString(name) {
			return fmt.Errorf("%q is not a usable model ID (letters, digits and . _ : / @ -)", name)
		}
	}
	return nil
}

// pickDefault returns the index of the default entry of kind k: the one
// marked default, or the only one of its kind.
func pickDefault(entries []Entry, k Kind) (int, error) {
	first, marked, count := -1, -1, 0
	for i, e := range entries {
		if e.Kind != k {
			continue
		}
		count++
		if first < 0 {
			first = i
		}
		if e.Default {
			if marked >= 0 {
				return 0, fmt.Errorf("models: both %s and %s are marked default %s models; mark one", entries[marked].ID, e.ID, k)
			}
			marked = i
		}
	}
	switch {
	case count == 0:
		return 0, fmt.Errorf("models: the catalog needs at least one %s model", k)
	case marked >= 0:
		return marked, nil
	case count == 1:
		return first, nil
	default:
		return 0, fmt.Errorf("models: %d %s models and none marked default: true", count, k)
	}
}

// BuiltIn returns the catalog used when the configuration file has no
// models section: a Qwen 2.5 instruct model for chat and bge-m3 for
// bilingual (Chinese and English) embeddings.
func BuiltIn(ov Overrides) *Catalog {
	keep := 30 * time.Minute
	c, err := newCatalog([]Entry{
		{
			ID:          "shopdesk-chat",
			Tag:         "qwen2.5:7b-instruct",
			Kind:        KindChat,
			Default:     true,
			Description: "default chat model",
			Options:     map[string]any{"num_ctx": 8192, "temperature": 0.3},
			KeepAlive:   &keep,
		},
		{
			ID:          "shopdesk-embed",
			Tag:         "bge-m3",
			Kind:        KindEmbedding,
			Default:     true,
			Description: "default embedding model (Chinese and English)",
			KeepAlive:   &keep,
		},
	}, ov, "built-in")
	if err != nil {
		panic("models: built-in catalog is invalid: " + err.Error())
	}
	return c
}
