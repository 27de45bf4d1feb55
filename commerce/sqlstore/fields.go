package sqlstore

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
)

// This file says which fields each kind of record has, under which names
// a file may hold them, and turns a file's record into one keyed by our
// names. Names are compared exactly first, then "normalized": lower case
// with everything but letters and digits dropped, so "E-mail", "e_mail"
// and "Email" are one name, as are "Variant SKU" and "variant_sku".

// field is one of our fields and the names it is looked for under when
// the Mapping does not name it: its own name first, then the synonyms.
// For the fields of lines and variants, flat lists the names used in a
// CSV row, where they sit beside the order's or product's columns.
type field struct {
	name     string
	synonyms []string
	flat     []string
}

// kindSpec describes one Kind: its fields, the name of its nested list
// (lines or variants, if any) and that list's fields, and the names the
// Mapping accepts for its id besides "id"/"sku".
type kindSpec struct {
	fields  []field
	sub     field // name "" when the kind has no nested list
	subs    []field
	aliases map[string]string
}

var kinds = map[Kind]kindSpec{
	Customers: {
		fields: []field{
			{name: "id", synonyms: []string{"customer_id", "customer_number", "customer_no", "customer"}},
			{name: "name", synonyms: []string{"full_name", "customer_name", "display_name"}},
			{name: "first_name", synonyms: []string{"firstname", "given_name"}},
			{name: "last_name", synonyms: []string{"lastname", "surname", "family_name"}},
			{name: "email", synonyms: []string{"e-mail", "email_address", "mail"}},
			{name: "phone", synonyms: []string{"telephone", "phone_number", "mobile", "tel"}},
			{name: "postcode", synonyms: []string{"zip", "zip_code", "postal_code", "post_code", "default_address_zip"}},
			{name: "country", synonyms: []string{"country_code", "default_address_country_code"}},
			{name: "language", synonyms: []string{"lang", "locale"}},
		},
		aliases: map[string]string{"customer_id": "id"},
	},
	Orders: {
		fields: []field{
			{name: "id", synonyms: []string{"order_id", "order_number", "order_no", "number"}},
			{name: "customer_id", synonyms: []string{"customer", "customer_number"}},
			{name: "email", synonyms: []string{"e-mail", "customer_email"}},
			{name: "phone", synonyms: []string{"customer_phone", "phone_number", "telephone"}},
			{name: "status", synonyms: []string{"order_status", "fulfillment_status"}},
			{name: "placed_at", synonyms: []string{"created_at", "order_date", "ordered_at", "date"}},
			{name: "shipped_at", synonyms: []string{"fulfilled_at", "shipped_date", "ship_date"}},
			{name: "delivered_at", synonyms: []string{"delivered_date", "delivery_date"}},
			{name: "carrier", synonyms: []string{"shipping_carrier", "tracking_company"}},
			{name: "tracking_number", synonyms: []string{"tracking", "tracking_no", "tracking_code"}},
			{name: "currency", synonyms: []string{"currency_code"}},
			{name: "shipping_postcode", synonyms: []string{"shipping_zip", "shipping_postal_code", "postcode", "zip"}},
			{name: "subtotal", synonyms: []string{"subtotal_price", "sub_total"}},
			{name: "shipping", synonyms: []string{"shipping_cost", "shipping_price", "shipping_total"}},
			{name: "total", synonyms: []string{"total_price", "grand_total", "order_total"}},
		},
		sub: field{name: "lines", synonyms: []string{"line_items", "items", "order_lines"}},
		subs: []field{
			{name: "sku", synonyms: []string{"variant_sku", "product_sku"},
				flat: []string{"lines.sku", "sku", "line_sku", "lineitem_sku", "item_sku", "variant_sku", "product_sku"}},
			{name: "name", synonyms: []string{"title", "product_name", "description"},
				flat: []string{"lines.name", "name", "line_name", "lineitem_name", "item_name", "product_name", "title"}},
			{name: "qty", synonyms: []string{"quantity", "count"},
				flat: []string{"lines.qty", "qty", "quantity", "line_qty", "lineitem_quantity", "item_quantity"}},
			{name: "unit_price", synonyms: []string{"price", "unit_price_usd"},
				flat: []string{"lines.unit_price", "unit_price", "price", "line_price", "lineitem_price", "item_price"}},
		},
		aliases: map[string]string{"order_id": "id"},
	},
	Products: {
		fields: []field{
			{name: "sku", synonyms: []string{"id", "product_id", "handle"}},
			{name: "name", synonyms: []string{"title", "product_name"}},
			{name: "name_zh"},
			{name: "category", synonyms: []string{"type", "product_type", "product_category"}},
			{name: "brand", synonyms: []string{"vendor", "manufacturer"}},
			{name: "description", synonyms: []string{"body", "body_html", "body_(html)"}},
			{name: "description_zh"},
			{name: "price_usd", synonyms: []string{"price", "variant_price"}},
			{name: "price_cny"},
			{name: "stock", synonyms: []string{"inventory", "inventory_qty", "inventory_quantity", "quantity"}},
			{name: "materials", synonyms: []string{"material"}},
			{name: "care", synonyms: []string{"care_instructions"}},
			{name: "warranty"},
			{name: "returnable"},
			{name: "final_sale"},
			{name: "tags", synonyms: []string{"keywords"}},
			{name: "related", synonyms: []string{"related_skus"}},
			{name: "url", synonyms: []string{"link", "product_url"}},
		},
		sub: field{name: "variants"},
		subs: []field{
			{name: "sku", synonyms: []string{"variant_sku", "id"},
				flat: []string{"variants.sku", "variant_sku"}},
			{name: "color", synonyms: []string{"colour", "option1"},
				flat: []string{"variants.color", "variant_color", "variant_colour", "option1_value"}},
			{name: "size", synonyms: []string{"option2"},
				flat: []string{"variants.size", "variant_size", "option2_value"}},
			{name: "stock", synonyms: []string{"inventory_quantity", "inventory_qty", "inventory", "quantity"},
				flat: []string{"variants.stock", "variant_stock", "variant_inventory_qty", "variant_inventory_quantity"}},
			{name: "price_usd", flat: []string{"variants.price_usd"}},
			{name: "price_cny", flat: []string{"variants.price_cny"}},
		},
	},
}

// idField is our name of a kind's identifying field.
func idField(k Kind) string {
	if k == Products {
		return "sku"
	}
	return "id"
}

// normalize folds a field name for loose comparison.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// names is a resolved Mapping: for each of our names (sub-fields as
// "lines.sku"), the file names to try in order; "-" drops the field.
type names map[string][]string

// resolve checks m against spec and returns the names to look for.
func resolve(spec kindSpec, m Mapping) (names, error) {
	out := names{}
	known := []string{}
	for _, f := range spec.fields {
		out[f.name] = append([]string{f.name}, f.synonyms...)
		known = append(known, f.name)
	}
	if spec.sub.name != "" {
		out[spec.sub.name] = append([]string{spec.sub.name}, spec.sub.synonyms...)
		known = append(known, spec.sub.name)
		for _, f := range spec.subs {
			key := spec.sub.name + "." + f.name
			out[key] = append([]string{f.name}, f.synonyms...)
			out["flat:"+key] = f.flat
			known = append(known, key)
		}
	}
	for _, ours := range slices.Sorted(maps.Keys(m)) {
		theirs := strings.TrimSpace(m[ours])
		key := strings.TrimSpace(ours)
		if alias, ok := spec.aliases[key]; ok {
			key = alias
		}
		if _, ok := out[key]; !ok || strings.HasPrefix(key, "flat:") {
			return nil, fmt.Errorf("mapping: %q is not a field here; use one of %s", ours, strings.Join(known, ", "))
		}
		if theirs == "" {
			return nil, fmt.Errorf("mapping: %q maps to nothing; use \"-\" to ignore the field", ours)
		}
		out[key] = []string{theirs}
		if _, sub := out["flat:"+key]; sub {
			out["flat:"+key] = []string{theirs}
		}
	}
	return out, nil
}

// lookup finds the first of candidates in rec: exactly, as a dotted path
// through nested objects, then by normalized name (norm maps normalized
// names to rec's keys; built on first use).
func lookup(rec map[string]any, norm *map[string]string, candidates []string) (any, bool) {
	if len(candidates) == 1 && candidates[0] == "-" {
		return nil, false
	}
	for _, c := range candidates {
		if v, ok := rec[c]; ok {
			return v, true
		}
		if v, ok := dotted(rec, c); ok {
			return v, true
		}
	}
	if *norm == nil {
		*norm = make(map[string]string, len(rec))
		for _, k := range slices.Sorted(maps.Keys(rec)) {
			if n := normalize(k); n != "" {
				if _, dup := (*norm)[n]; !dup {
					(*norm)[n] = k
				}
			}
		}
	}
	for _, c := range candidates {
		if k, ok := (*norm)[normalize(c)]; ok {
			return rec[k], true
		}
	}
	return nil, false
}

// dotted follows a path like "shipping_address.zip" through nested
// objects.
func dotted(rec map[string]any, path string) (any, bool) {
	head, rest, ok := strings.Cut(path, ".")
	if !ok {
		return nil, false
	}
	inner, isMap := rec[head].(map[string]any)
	if !isMap {
		return nil, false
	}
	if v, found := inner[rest]; found {
		return v, true
	}
	return dotted(inner, rest)
}

// canonical returns rec's fields of fs under our names, looked up with n;
// prefix is "lines." for a nested record. Absent and null fields are left
// out.
func canonical(rec map[string]any, fs []field, n names, prefix string) map[string]any {
	out := make(map[string]any, len(fs))
	var norm map[string]string
	for _, f := range fs {
		if v, ok := lookup(rec, &norm, n[prefix+f.name]); ok && v != nil {
			out[f.name] = v
		}
	}
	return out
}
