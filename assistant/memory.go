package assistant

import (
	"cmp"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/mention"
)

// remember updates d with what message reveals, read as package mention
// and the catalog read it: an order number, an e-mail address, the
// product of interest (named by SKU or by name). snap may be nil, and
// then no product is remembered and every order-shaped identifier counts.
func remember(d *conversation.Details, message string, snap *catalog.Snapshot) {
	var known func(string) bool
	if snap != nil {
		known = snap.Has
	}
	found := mention.Find(message, known)
	if n := found.First(mention.Order); n != "" {
		d.OrderNumber = n
	}
	if e := found.First(mention.Email); e != "" {
		d.Email = e
	}
	if snap == nil {
		return
	}
	if p, ok := snap.InText(message); ok {
		d.Product = cmp.Or(p.Name, p.NameZh)
	}
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
