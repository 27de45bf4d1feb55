package assistant

import (
	"cmp"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/mention"
)

// remember updates d with what message reveals, read as package mention
// and the catalog read it: an order number, an e-mail address, the
// product of interest (catalog.Snapshot.Match: by SKU, by name in either
// language, partly or misspelt, or by a kind only one product has). snap may be nil, and
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
	// A product named (by SKU, name or kind) becomes the product of
	// interest; one of several a kind may mean does not, and neither does
	// a message that points back at the product already remembered.
	if m := snap.Match(message, d.Product); m.Found && !m.Ambiguous && m.Via != catalog.ViaConversation {
		d.Product = cmp.Or(m.Product.Name, m.Product.NameZh)
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
