package models

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// fileEntry is one element of the configuration file's models list.
type fileEntry struct {
	ID          string         `yaml:"id"`
	Aliases     []string       `yaml:"aliases"`
	Tag         string         `yaml:"tag"`
	Kind        string         `yaml:"kind"`
	Default     bool           `yaml:"default"`
	Description string         `yaml:"description"`
	Options     map[string]any `yaml:"options"`
	KeepAlive   string         `yaml:"keep_alive"`
	Model       string         `yaml:"model"`
}

var entryFields = []string{"id", "aliases", "tag", "kind", "default", "description", "options", "keep_alive", "model"}

type optionType int

const (
	optInt optionType = iota
	optFloat
	optBool
	optStrings
)

// ollamaOptions are the Ollama model options a catalog entry may set.
var ollamaOptions = map[string]optionType{
	"num_ctx": optInt, "num_batch": optInt, "num_gpu": optInt, "main_gpu": optInt,
	"num_thread": optInt, "use_mmap": optBool, "num_keep": optInt, "seed": optInt,
	"num_predict": optInt, "top_k": optInt, "top_p": optFloat, "min_p": optFloat,
	"typical_p": optFloat, "repeat_last_n": optInt, "temperature": optFloat,
	"repeat_penalty": optFloat, "presence_penalty": optFloat,
	"frequency_penalty": optFloat, "stop": optStrings,
}

// Parse reads the models section of a YAML configuration file. Other
// top-level keys are ignored. A file without a models section yields the
// built-in catalog. Errors name the file, line and entry at fault.
func Parse(data []byte, source string, ov Overrides) (*Catalog, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	node := modelsNode(&doc)
	if node == nil {
		c := BuiltIn(ov)
		c.Source = source + " (built-in models)"
		return c, nil
	}
	if node.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: models must be a list of entries", source, node.Line)
	}
	entries := make([]Entry, 0, len(node.Content))
	for i, n := range node.Content {
		e, err := parseEntry(n)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: models[%d]: %w", source, n.Line, i, err)
		}
		entries = append(entries, e)
	}
	c, err := newCatalog(entries, ov, source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return c, nil
}

// modelsNode returns the value of the top-level "models" key, or nil.
func modelsNode(doc *yaml.Node) *yaml.Node {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "models" {
			return top.Content[i+1]
		}
	}
	return nil
}

func parseEntry(n *yaml.Node) (Entry, error) {
	if n.Kind != yaml.MappingNode {
		return Entry{}, fmt.Errorf("an entry must be a mapping with id, tag and kind")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !slices.Contains(entryFields, k) {
			return Entry{}, fmt.Errorf("unknown field %q (known: %s)", k, strings.Join(entryFields, ", "))
		}
	}
	var fe fileEntry
	if err := n.Decode(&fe); err != nil {
		return Entry{}, err
	}
	e := Entry{
		ID:          strings.TrimSpace(fe.ID),
		Aliases:     fe.Aliases,
		Tag:         strings.TrimSpace(fe.Tag),
		Kind:        Kind(strings.ToLower(strings.TrimSpace(fe.Kind))),
		Default:     fe.Default,
		Description: fe.Description,
		Model:       strings.TrimSpace(fe.Model),
	}
	if fe.KeepAlive != "" {
		d, err := parseKeepAlive(fe.KeepAlive)
		if err != nil {
			return Entry{}, err
		}
		e.KeepAlive = &d
	}
	opts, err := normalizeOptions(fe.Options)
	if err != nil {
		return Entry{}, err
	}
	e.Options = opts
	if err := e.validate(); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// parseKeepAlive accepts a Go duration ("30m") or whole seconds ("300",
// "-1" for "keep loaded").
func parseKeepAlive(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if secs, err := strconv.Atoi(s); err == nil {
		return time.Duration(secs) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("keep_alive %q: use a duration such as 30m or 1h, or -1 to keep the model loaded", s)
	}
	return d, nil
}

// normalizeOptions checks option names and types and converts values to
// the Go types Ollama expects (int, float64, bool, []string).
func normalizeOptions(in map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(in))
	for k, v := range in {
		t, ok := ollamaOptions[k]
		if !ok {
			known := make([]string, 0, len(ollamaOptions))
			for name := range ollamaOptions {
				known = append(known, name)
			}
			slices.Sort(known)
			return nil, fmt.Errorf("options: unknown Ollama option %q (known: %s)", k, strings.Join(known, ", "))
		}
		nv, err := convertOption(t, v)
		if err != nil {
			return nil, fmt.Errorf("options.%s: %w", k, err)
		}
		out[k] = nv
	}
	return out, nil
}

func convertOption(t optionType, v any) (any, error) {
	switch t {
	case optInt:
		switch x := v.(type) {
		case int:
			return x, nil
		case float64:
			if x == math.Trunc(x) {
				return int(x), nil
			}
		}
		return nil, fmt.Errorf("want a whole number, got %v", v)
	case optFloat:
		switch x := v.(type) {
		case int:
			return float64(x), nil
		case float64:
			return x, nil
		}
		return nil, fmt.Errorf("want a number, got %v", v)
	case optBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("want true or false, got %v", v)
	default: // optStrings
		switch x := v.(type) {
		case string:
			return []string{x}, nil
		case []any:
			out := make([]string, 0, len(x))
			for _, s := range x {
				str, ok := s.(string)
				if !ok {
					return nil, fmt.Errorf("want a list of strings, got %v", v)
				}
				out = append(out, str)
			}
			return out, nil
		}
		return nil, fmt.Errorf("want a string or a list of strings, got %v", v)
	}
}
