package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/shopdesk/shopdesk/prompts"
	"github.com/shopdesk/shopdesk/tenant"
)

// tenantSettings is one entry of the config file's tenants section: what
// differs per merchant. A field a tenant leaves out takes the top-level
// setting, except the secrets and the hand-off webhook, which are shared
// only when the server has a single tenant (checkTenants).
type tenantSettings struct {
	Merchant       string `yaml:"merchant"`
	MerchantZh     string `yaml:"merchant_zh"`
	AssistantName  string `yaml:"assistant_name"`
	AssistantStyle string `yaml:"assistant_style"`
	HandoffWebhook string `yaml:"handoff_webhook"`
	HandoffSecret  string `yaml:"handoff_secret"`
	// CustomerTokenSecret signs the tenant's customer tokens.
	CustomerTokenSecret string `yaml:"customer_token_secret"`
	AnswerMode          string `yaml:"answer_mode"`
	LearnPhrasings      string `yaml:"learn_phrasings"`
	LearnConfirm        string `yaml:"learn_confirm"`
	// Widget is the tenant's chat widget: publishable keys and origins.
	Widget *widgetSettings `yaml:"widget"`
}

// tenantFields are the keys a tenants entry may hold.
var tenantFields = func() []string {
	var out []string
	t := reflect.TypeFor[tenantSettings]()
	for i := range t.NumField() {
		out = append(out, t.Field(i).Tag.Get("yaml"))
	}
	return out
}()

// readTenants reads the config file's tenants section.
func readTenants(path string) (map[string]tenantSettings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	var doc struct {
		Tenants map[string]yaml.Node `yaml:"tenants"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	out := map[string]tenantSettings{}
	for name, node := range doc.Tenants {
		if err := tenant.Validate(name); err != nil {
			return nil, fmt.Errorf("config file %s: tenants: %w", path, err)
		}
		var ts tenantSettings
		if err := decodeStrict(&node, &ts); err != nil {
			return nil, fmt.Errorf("config file %s:%d: tenants.%s: %w", path, node.Line, name, err)
		}
		if ts.HandoffWebhook != "" {
			if err := checkWebhookURL(ts.HandoffWebhook); err != nil {
				return nil, fmt.Errorf("config file %s:%d: tenants.%s.handoff_webhook: %w", path, node.Line, name, err)
			}
		}
		for _, f := range []struct{ key, v string }{{"answer_mode", ts.AnswerMode}, {"learn_phrasings", ts.LearnPhrasings}, {"learn_confirm", ts.LearnConfirm}} {
			if f.v == "" {
				continue
			}
			if err := checkChoice(f.key, f.v); err != nil {
				return nil, fmt.Errorf("config file %s:%d: tenants.%s.%s: %w", path, node.Line, name, f.key, err)
			}
		}
		out[name] = ts
	}
	return out, nil
}

// decodeStrict decodes a mapping node into v, refusing unknown keys.
func decodeStrict(n *yaml.Node, v any) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("want a mapping of %s", strings.Join(tenantFields, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !slices.Contains(tenantFields, k) {
			return fmt.Errorf("unknown field %q (known: %s)", k, strings.Join(tenantFields, ", "))
		} else if k == "widget" {
			if err := checkWidgetNode(n.Content[i+1]); err != nil {
				return err
			}
		}
	}
	return n.Decode(v)
}

// tenantNames lists every tenant the configuration names: those of the
// API keys and of the tenants section, or tenant default without keys.
func (c *config) tenantNames() []string {
	seen := map[string]bool{}
	for _, k := range c.APIKeys {
		seen[k.Tenant] = true
	}
	if len(c.APIKeys) == 0 {
		seen[tenant.Default] = true
	}
	for t := range c.Tenants {
		seen[t] = true
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// checkTenants refuses a top-level hand-off webhook or customer token
// secret that would be shared by several merchants: one merchant's
// transcripts must never reach another's URL, and one merchant must not
// be able to sign tokens for another's shoppers.
func (c *config) checkTenants() error {
	names := c.tenantNames()
	if len(names) < 2 {
		return nil
	}
	for _, f := range []struct {
		key, top string
		own      func(tenantSettings) string
	}{
		{"handoff_webhook", c.HandoffWebhook, func(t tenantSettings) string { return t.HandoffWebhook }},
		{"handoff_secret", c.HandoffSecret, func(t tenantSettings) string { return t.HandoffSecret }},
		{"customer_token_secret", c.CustomerSecret, func(t tenantSettings) string { return t.CustomerTokenSecret }},
	} {
		if f.top == "" {
			continue
		}
		var missing []string
		for _, t := range names {
			if f.own(c.Tenants[t]) == "" {
				missing = append(missing, t)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s is set for the whole server, which has %d tenants (%s): set it per tenant instead (tenants: <tenant>: %s), so that no merchant shares another's; missing for %s",
				f.key, len(names), strings.Join(names, ", "), f.key, strings.Join(missing, ", "))
		}
	}
	return nil
}

// persona returns tenant t's persona: the top-level one with the
// tenant's own fields over it.
func (c *config) persona(t string) prompts.Persona {
	p := c.Persona
	ts := c.Tenants[t]
	for _, f := range []struct {
		dst *string
		v   string
	}{
		{&p.Merchant, ts.Merchant}, {&p.MerchantZh, ts.MerchantZh}, {&p.Assistant, ts.AssistantName}, {&p.Style, ts.AssistantStyle},
	} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	return p
}

// handoffTarget returns tenant t's hand-off webhook and its signing
// secret; the top-level ones serve a single-tenant server.
func (c *config) handoffTarget(t string) (url, secret string) {
	ts := c.Tenants[t]
	url, secret = ts.HandoffWebhook, ts.HandoffSecret
	if url == "" && len(c.tenantNames()) < 2 {
		url = c.HandoffWebhook
	}
	if secret == "" && len(c.tenantNames()) < 2 {
		secret = c.HandoffSecret
	}
	return url, secret
}

// customerSecret returns the key that signs tenant t's customer tokens,
// nil when it has none.
func (c *config) customerSecret(t string) []byte {
	if s := c.Tenants[t].CustomerTokenSecret; s != "" {
		return []byte(s)
	}
	if c.CustomerSecret != "" && len(c.tenantNames()) < 2 {
		return []byte(c.CustomerSecret)
	}
	return nil
}

// checkWebhookURL accepts absolute http and https URLs.
func checkWebhookURL(raw string) error {
	if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an http:// or https:// URL")
	}
	return nil
}
