package assistant

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/conversation"
)

var (
	// orderCue finds an order number after a word that announces one.
	orderCue = regexp.MustCompile(`(?i)(?:order|订单|單號|单号)\s*(?:number|no\.?|num|#|号|號)?\s*[:：#]?\s*#?([A-Za-z]{0,4}-?\d{3,12})\b`)
	// orderShape finds identifiers shaped like order numbers (HL-100101).
	orderShape = regexp.MustCompile(`\b[A-Z]{2,4}-\d{5,10}\b`)
	email      = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
)

// remember updates d with what message reveals: an order number, an
// email address, a product of interest (the longest catalog name it
// mentions).
func remember(d *conversation.Details, message string, products []string) {
	if m := orderCue.FindStringSubmatch(message); m != nil {
		d.OrderNumber = strings.ToUpper(m[1])
	} else if m := orderShape.FindString(message); m != "" && !isProductCode(m, products) {
		d.OrderNumber = m
	}
	if m := email.FindString(message); m != "" {
		d.Email = strings.ToLower(m)
	}
	if p := mentionedProduct(message, products); p != "" {
		d.Product = p
	}
}

func isProductCode(s string, products []string) bool {
	for _, p := range products {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}

// mentionedProduct returns the longest product name that message
// mentions, ignoring case.
func mentionedProduct(message string, products []string) string {
	low := strings.ToLower(message)
	best := ""
	for _, p := range products {
		name := productName(p)
		if utf8.RuneCountInString(name) < 3 || len(name) <= len(best) {
			continue
		}
		if strings.Contains(low, strings.ToLower(name)) {
			best = name
		}
	}
	return best
}

// productName drops a variant suffix ("Cove 2 Tent — Green / One Size").
func productName(title string) string {
	for _, sep := range []string{" — ", " - ", " | "} {
		if i := strings.Index(title, sep); i > 0 {
			title = title[:i]
		}
	}
	return strings.TrimSpace(title)
}

// detailLines renders remembered details for the prompt.
func detailLines(c *conversation.Conversation) []string {
	var out []string
	if c.CustomerID != "" {
		out = append(out, "Signed-in customer ID: "+c.CustomerID)
	}
	if d := c.Details.OrderNumber; d != "" {
		out = append(out, "Order number mentioned: "+d)
	}
	if d := c.Details.Email; d != "" {
		out = append(out, "Email given: "+d)
	}
	if d := c.Details.Product; d != "" {
		out = append(out, "Product of interest: "+d)
	}
	return out
}
