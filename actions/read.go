package actions

import (
	"context"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/mention"
)

// read finds the identifiers in req.Message. The catalog, loaded only
// when the message holds an identifier it could know, tells a SKU from an
// order number; when it cannot be loaded, the text alone decides.
func (a *Actions) read(ctx context.Context, req *Request) {
	var snap *catalog.Snapshot
	tried := false
	req.found = mention.Find(req.Message, func(sku string) bool {
		if !tried {
			tried = true
			snap, _ = a.opts.Catalog(ctx, req.Tenant)
		}
		return snap != nil && snap.Has(sku)
	})
}

// proofIn returns the e-mail address, phone number or postcode found in
// a message, in that order of preference. Order numbers are never read
// as proof.
func proofIn(found mention.Mentions) string {
	for _, k := range []mention.Kind{mention.Email, mention.Phone, mention.Postcode} {
		if v := found.First(k); v != "" {
			return v
		}
	}
	return ""
}
