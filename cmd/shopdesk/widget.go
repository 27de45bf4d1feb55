package main

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/shopdesk/shopdesk/server"
	"github.com/shopdesk/shopdesk/widget"
)

// widgetSettings is a tenant's chat widget: its publishable keys and the
// origins of the pages that may use them (tenants: <t>: widget:).
type widgetSettings struct {
	Keys    []string `yaml:"keys"`
	Origins []string `yaml:"origins"`
}

var widgetFields = []string{"keys", "origins"}

// checkWidgetNode refuses unknown keys in a tenant's widget mapping.
func checkWidgetNode(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("widget: want a mapping of %s", strings.Join(widgetFields, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !slices.Contains(widgetFields, k) {
			return fmt.Errorf("widget: unknown field %q (known: %s)", k, strings.Join(widgetFields, ", "))
		}
	}
	return nil
}

// splitList reads a comma-separated setting.
func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseWidget reads the top-level widget settings.
func (c *config) parseWidget(bad func(key, format string, args ...any)) {
	var err error
	if c.WidgetSessionLimit, err = widget.ParseLimit(c.values["widget_session_limit"]); err != nil {
		bad("widget_session_limit", "%v", err)
	}
	if c.WidgetIPLimit, err = widget.ParseLimit(c.values["widget_ip_limit"]); err != nil {
		bad("widget_ip_limit", "%v", err)
	}
	c.Widget = widgetSettings{Keys: splitList(c.values["widget_keys"]), Origins: splitList(c.values["widget_origins"])}
}

// checkWidget validates every tenant's widget keys and origins and
// resolves them: the top-level ones serve a server with one tenant only,
// and no key may belong to two tenants or be an API key.
func (c *config) checkWidget() error {
	c.WidgetKeys = nil
	names := c.tenantNames()
	seen := map[string]string{}
	for _, k := range c.APIKeys {
		seen[k.Key] = "an API key"
	}
	add := func(where, t string, ws widgetSettings) error {
		if len(ws.Keys) > 0 && len(ws.Origins) == 0 {
			return fmt.Errorf("%s: publishable keys without origins admit no page; list the origins of the shop's pages (scheme://host[:port])", where)
		}
		if len(ws.Keys) == 0 && len(ws.Origins) > 0 {
			return fmt.Errorf("%s: origins without a publishable key; add keys (pk_ and at least 16 characters)", where)
		}
		origins := make([]string, 0, len(ws.Origins))
		for _, o := range ws.Origins {
			n, err := widget.NormalizeOrigin(o)
			if err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			origins = append(origins, n)
		}
		for i, k := range ws.Keys {
			if err := widget.ValidateKey(k); err != nil {
				return fmt.Errorf("%s: key %d: %w", where, i+1, err)
			}
			if other, dup := seen[k]; dup {
				return fmt.Errorf("%s: key %d is also %s; every publishable key belongs to one tenant", where, i+1, other)
			}
			seen[k] = "tenant " + t + "'s"
			c.WidgetKeys = append(c.WidgetKeys, widget.Key{Key: k, Tenant: t, Origins: origins})
		}
		return nil
	}
	if len(c.Widget.Keys)+len(c.Widget.Origins) > 0 {
		if len(names) > 1 {
			return fmt.Errorf("widget_keys is set for the whole server, which has %d tenants (%s): set keys and origins per tenant instead (tenants: <tenant>: widget: {keys, origins})",
				len(names), strings.Join(names, ", "))
		}
		if err := add("widget_keys/widget_origins", names[0], c.Widget); err != nil {
			return err
		}
	}
	for _, t := range names {
		if ws := c.Tenants[t].Widget; ws != nil {
			if err := add("tenants."+t+".widget", t, *ws); err != nil {
				return err
			}
		}
	}
	return nil
}

// widgetOptions configures the server's widget endpoints.
func (c *config) widgetOptions(sessions *widget.Sessions) server.WidgetOptions {
	return server.WidgetOptions{Keys: c.WidgetKeys, Sessions: sessions, SessionLimit: c.WidgetSessionLimit, IPLimit: c.WidgetIPLimit}
}

// demoNote says, after the demo page's address, when it has no widget.
func demoNote(c *config) string {
	for _, k := range c.WidgetKeys {
		if k.Tenant == "default" {
			return ""
		}
	}
	return " (no widget shown: tenant default has no widget_keys)"
}
