package sqlstore

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
)

// This file turns checked items into commerce records. A converter
// returns the record's id, the record, and on a problem the error and,
// when a CSV row other than the item's first is to blame, that row.

// convert dispatches on the kind.
func convert(k Kind, it item) (id string, rec any, where string, err error) {
	if it.err != nil {
		return "", nil, it.where, it.err
	}
	switch k {
	case Customers:
		id, rec, err = toCustomer(it)
	case Orders:
		return toOrder(it)
	case Products:
		return toProduct(it)
	default:
		err = fmt.Errorf("unknown kind %q", k)
	}
	return id, rec, it.where, err
}

// toCustomer converts a customer record. Without a name, the first and
// last names make one.
func toCustomer(it item) (string, commerce.Customer, error) {
	v := values{f: it.top}
	c := commerce.Customer{
		ID:       v.id("id"),
		Name:     v.str("name"),
		Email:    v.str("email"),
		Phone:    v.str("phone"),
		Postcode: v.str("postcode"),
		Country:  strings.ToUpper(v.str("country")),
		Language: v.str("language"),
	}
	first, last := v.str("first_name"), v.str("last_name")
	if c.Name == "" {
		c.Name = strings.TrimSpace(first + " " + last)
	}
	return c.ID, c, v.err
}

// currencyCode is the shape of an ISO 4217 code.
var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// toOrder converts an order with its lines. Without a subtotal it is the
// sum of the lines; without a total, subtotal plus shipping; without a
// status, the shipping and delivery dates decide it.
func toOrder(it item) (string, any, string, error) {
	v := values{f: it.top}
	o := commerce.Order{
		ID:               v.id("id"),
		CustomerID:       v.str("customer_id"),
		Email:            v.str("email"),
		Phone:            v.str("phone"),
		ShippedAt:        v.time("shipped_at"),
		DeliveredAt:      v.time("delivered_at"),
		Carrier:          v.str("carrier"),
		TrackingNumber:   v.str("tracking_number"),
		Currency:         strings.ToUpper(v.str("currency")),
		ShippingPostcode: v.str("shipping_postcode"),
		Lines:            []commerce.OrderLine{},
	}
	status := v.str("status")
	if placed := v.time("placed_at"); placed != nil {
		o.PlacedAt = *placed
	} else if v.err == nil {
		v.fail("placed_at", "missing")
	}
	subtotal, hasSubtotal := v.amount("subtotal")
	o.Shipping, _ = v.amount("shipping")
	total, hasTotal := v.amount("total")
	if o.Currency != "" && !currencyCode.MatchString(o.Currency) && v.err == nil {
		v.fail("currency", "%s is not a three-letter currency code", quote(o.Currency))
	}
	if v.err != nil {
		return o.ID, nil, it.where, v.err
	}
	o.Status = orderStatus(status, o.ShippedAt, o.DeliveredAt)
	sum := 0.0
	for _, s := range it.subs {
		lv := values{f: s.f, prefix: label(s)}
		l := commerce.OrderLine{SKU: lv.str("sku"), Name: lv.str("name")}
		qty, hasQty := lv.count("qty")
		l.Qty = qty
		l.UnitPrice, _ = lv.amount("unit_price")
		switch {
		case lv.err != nil:
		case l.SKU == "":
			lv.fail("sku", "missing")
		case !hasQty:
			lv.fail("qty", "missing")
		}
		if lv.err != nil {
			return o.ID, nil, whereOf(it, s), lv.err
		}
		sum += float64(l.Qty) * l.UnitPrice
		o.Lines = append(o.Lines, l)
	}
	o.Subtotal, o.Total = subtotal, total
	if !hasSubtotal {
		o.Subtotal = cents(sum)
	}
	if !hasTotal {
		o.Total = cents(o.Subtotal + o.Shipping)
	}
	if math.IsInf(o.Subtotal, 0) || math.IsInf(o.Total, 0) || o.Subtotal > 1e12 || o.Total > 1e12 {
		return o.ID, nil, it.where, fmt.Errorf("the order's amounts are out of range")
	}
	return o.ID, o, it.where, nil
}

// cents rounds an amount to two decimals.
func cents(x float64) float64 { return math.Round(x*100) / 100 }

// label is the prefix naming a nested record in messages: "lines[2]." in
// JSON, nothing in CSV, where the row says it.
func label(s subItem) string {
	if s.label == "" {
		return ""
	}
	return s.label + "."
}

// whereOf is where a problem in s is reported: its CSV row, else the
// item's place.
func whereOf(it item, s subItem) string {
	if s.where != "" {
		return s.where
	}
	return it.where
}

// toProduct converts a product with its variants. Negative stock
// (oversold) counts as none; without a stock figure a product's stock is
// the sum of its variants'; without a returnable flag it is
// returnable unless it is a final sale.
func toProduct(it item) (string, any, string, error) {
	v := values{f: it.top}
	p := commerce.Product{
		SKU:           v.id("sku"),
		Name:          v.str("name"),
		NameZh:        v.str("name_zh"),
		Category:      v.str("category"),
		Brand:         v.str("brand"),
		Description:   v.str("description"),
		DescriptionZh: v.str("description_zh"),
		PriceUSD:      v.optAmount("price_usd"),
		PriceCNY:      v.optAmount("price_cny"),
		Materials:     v.str("materials"),
		Care:          v.str("care"),
		Warranty:      v.str("warranty"),
		Tags:          v.list("tags"),
		Related:       v.list("related"),
		URL:           v.str("url"),
	}
	_, hasStock := v.f["stock"]
	stock := v.stock("stock")
	p.FinalSale, _ = v.boolean("final_sale")
	returnable, hasReturnable := v.boolean("returnable")
	if v.err != nil {
		return p.SKU, nil, it.where, v.err
	}
	p.Returnable = returnable || !hasReturnable && !p.FinalSale
	sum, seen := 0, map[string]bool{}
	for _, s := range it.subs {
		vv := values{f: s.f, prefix: label(s)}
		x := commerce.Variant{SKU: vv.str("sku"), Color: vv.str("color"), Size: vv.str("size"),
			PriceUSD: vv.optAmount("price_usd"), PriceCNY: vv.optAmount("price_cny")}
		x.Stock = vv.stock("stock")
		switch {
		case vv.err != nil:
		case x.SKU == "":
			vv.fail("sku", "missing")
		case seen[x.SKU]:
			vv.fail("sku", "%s appears twice in the product", x.SKU)
		}
		if vv.err != nil {
			return p.SKU, nil, whereOf(it, s), vv.err
		}
		seen[x.SKU] = true
		sum += x.Stock
		p.Variants = append(p.Variants, x)
	}
	p.Stock = stock
	if !hasStock {
		p.Stock = sum
	}
	return p.SKU, p, it.where, nil
}
