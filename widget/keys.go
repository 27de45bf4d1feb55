// Package widget is the chat widget merchants embed in their pages: the
// script itself and its demo page (embedded, served as they are under
// version control), the publishable keys and origins that admit a page,
// the browser sessions that own the widget's conversations, and the rate
// limits that bound what one session or one address may ask.
//
// HTTP stays in package server; this package holds what the widget's
// endpoints decide with.
package widget

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// KeyPrefix starts every publishable key, so that one pasted where a
// secret API key belongs (or the reverse) is recognised.
const KeyPrefix = "pk_"

// Key is a tenant's publishable key: it may appear in any page, and only
// admits the widget's endpoints, from the tenant's Origins.
type Key struct {
	Key    string
	Tenant string
	// Origins are the pages' origins (scheme://host[:port]) allowed to use
	// the key, as NormalizeOrigin returns them.
	Origins []string
}

var keyShape = regexp.MustCompile(`^pk_[A-Za-z0-9_-]{16,100}$`)

// ValidateKey reports whether k can be a publishable key: "pk_" and 16 to
// 100 letters, digits, '_' or '-'.
func ValidateKey(k string) error {
	if !strings.HasPrefix(k, KeyPrefix) {
		return errors.New(`a publishable key starts with "pk_"`)
	}
	if !keyShape.MatchString(k) {
		return errors.New(`a publishable key is "pk_" and 16 to 100 letters, digits, '_' or '-'`)
	}
	return nil
}

// IsPublishable reports whether k looks like a publishable key.
func IsPublishable(k string) bool { return strings.HasPrefix(strings.TrimSpace(k), KeyPrefix) }

// NormalizeOrigin checks a web origin as a browser sends it in the Origin
// header, scheme://host[:port] with no path, and returns it lower-cased
// without a default port. Hosts must be ASCII (punycode for IDNs).
func NormalizeOrigin(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("origin %q: want scheme://host[:port], such as https://shop.example", raw)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("origin %q: the scheme must be http or https", raw)
	case u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "#"):
		return "", fmt.Errorf("origin %q: an origin has no user, path, query or fragment (just scheme://host[:port])", raw)
	case strings.Contains(u.Host, "*"):
		return "", fmt.Errorf("origin %q: wildcards are not allowed; list each origin", raw)
	}
	host, port := u.Hostname(), u.Port()
	for _, r := range host {
		if r > 0x7e {
			return "", fmt.Errorf("origin %q: write an international host name in punycode (xn--…), as browsers send it", raw)
		}
	}
	if strings.HasSuffix(u.Host, ":") {
		return "", fmt.Errorf("origin %q: the port is empty", raw)
	}
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	host = strings.ToLower(host)
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return strings.ToLower(u.Scheme) + "://" + host, nil
}
