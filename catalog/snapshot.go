// Package catalog is a tenant's product catalog in memory, indexed for
// what every turn asks of it: which product a product or variant SKU
// belongs to, the products' names in both languages, and which product a
// message means (Match: by SKU, by name whole, partly or misspelt, by
// kind, or the conversation's), with the colour and size it asks for
// normalised onto the catalog's variants (Colour, ReadSize, Matching).
// A Snapshot is built once from commerce.Connector's Products and never
// changes; Cache keeps one per tenant (or anything else built from the
// shop, such as recommendation statistics), so a turn does not load the
// catalog.
package catalog

import (
	"context"
	"strings"
	"sync"

	"github.com/shopdesk/shopdesk/commerce"
)

// Snapshot is an immutable, indexed catalog. It is safe for concurrent
// use; the products it returns are shared and must not be modified.
type Snapshot struct {
	products []commerce.Product
	// bySKU maps upper-cased product and variant SKUs to a position in
	// products; a product's own SKU wins over another's variant with the
	// same SKU.
	bySKU map[string]int
	// bySuffix maps the tails of product SKUs a shopper may type
	// without the shop's prefix ("JKT-003" of "HL-JKT-003", and without
	// hyphens, "JKT003") to a position in products, or to -1 when two
	// products share one.
	bySuffix map[string]int

	namesOnce sync.Once
	names     nameIndex // built on the first lookup by name

	matchOnce sync.Once
	match     *productIndex // built by Load, or on the first Match
}

// New indexes products. Products without a SKU are dropped, and of two
// products with the same SKU (compared case-insensitively) the first
// wins, so every SKU names exactly one product.
func New(products []commerce.Product) *Snapshot {
	variants := 0
	for _, p := range products {
		variants += len(p.Variants)
	}
	s := &Snapshot{
		products: make([]commerce.Product, 0, len(products)),
		bySKU:    make(map[string]int, len(products)+variants),
	}
	for _, p := range products {
		key := skuKey(p.SKU)
		if _, dup := s.bySKU[key]; key == "" || dup {
			continue
		}
		s.bySKU[key] = len(s.products)
		s.products = append(s.products, p)
	}
	for i, p := range s.products {
		for _, v := range p.Variants {
			if k := skuKey(v.SKU); k != "" {
				if _, taken := s.bySKU[k]; !taken {
					s.bySKU[k] = i
				}
			}
		}
	}
	s.bySuffix = make(map[string]int)
	for i, p := range s.products {
		k := skuKey(p.SKU)
		// The whole SKU without hyphens ("hljkt003"), and each tail
		// ("JKT-003"), also without them ("jkt003"), of four characters
		// or more.
		var tails []string
		if t := strings.ReplaceAll(k, "-", ""); t != k && len(t) >= 4 {
			tails = append(tails, t)
		}
		for j := 1; j < len(k); j++ {
			if k[j-1] == '-' && skuTail(k[j:]) {
				tails = append(tails, k[j:])
				if t := strings.ReplaceAll(k[j:], "-", ""); len(t) >= 4 {
					tails = append(tails, t)
				}
			}
		}
		for _, t := range tails {
			at := i
			if prev, seen := s.bySuffix[t]; seen && prev != i {
				at = -1
			}
			s.bySuffix[t] = at
		}
	}
	return s
}

// skuTail reports whether the end of a SKU says enough to stand for it:
// two or more hyphen-separated parts, with a letter and a digit.
func skuTail(t string) bool {
	return strings.Contains(t, "-") && strings.ContainsAny(t, "0123456789") &&
		strings.IndexFunc(t, func(r rune) bool { return r >= 'A' && r <= 'Z' }) >= 0
}

// byTail returns the product whose SKU ends with sku after a hyphen
// ("JKT-003"), or with sku without a variant part ("JKT-003-BLK-M"), when
// only one does.
func (s *Snapshot) byTail(sku string) (int, bool) {
	for k := skuKey(sku); k != ""; {
		if i, ok := s.bySuffix[k]; ok {
			return i, i >= 0
		}
		j := strings.LastIndexByte(k, '-')
		if j < 0 {
			break
		}
		k = k[:j]
	}
	return 0, false
}

// nameIndex returns the index of the products' names, building it once.
func (s *Snapshot) nameIndex() *nameIndex {
	s.namesOnce.Do(func() { s.names = newNameIndex(s.products) })
	return &s.names
}

// productIndex returns the index Match reads, building it once.
func (s *Snapshot) productIndex() *productIndex {
	s.matchOnce.Do(func() { s.match = newProductIndex(s.products) })
	return s.match
}

// Load returns a loader of snapshots over products, a
// commerce.Connector's Products method, for CacheOptions.Load. It builds
// the snapshot's indexes by name and for Match as it loads (about half a
// second of CPU for 20,000 products), so no turn waits for them.
func Load(products func(ctx context.Context, tenant string) ([]commerce.Product, error)) func(context.Context, string) (*Snapshot, error) {
	return func(ctx context.Context, tenant string) (*Snapshot, error) {
		ps, err := products(ctx, tenant)
		if err != nil {
			return nil, err
		}
		s := New(ps)
		s.nameIndex()
		s.productIndex()
		return s, nil
	}
}

func skuKey(sku string) string { return strings.ToUpper(strings.TrimSpace(sku)) }

// Len is the number of products.
func (s *Snapshot) Len() int { return len(s.products) }

// Products lists the products in catalog order; a product's position is
// what Index returns.
func (s *Snapshot) Products() []commerce.Product { return s.products }

// Has reports whether sku is exactly a product's or a variant's SKU,
// ignoring case and surrounding space.
func (s *Snapshot) Has(sku string) bool {
	_, ok := s.bySKU[skuKey(sku)]
	return ok
}

// Index returns the position in Products of the product sku belongs to,
// case-insensitively: an exact product or variant SKU first, then the
// longest product or variant SKU that prefixes sku and ends at a '-'
// ("HL-JKT-001-GRN-XL" → "HL-JKT-001"), for variants the catalog does
// not list. It reports false for SKUs of no product.
func (s *Snapshot) Index(sku string) (int, bool) {
	if i, ok := s.bySKU[sku]; ok {
		return i, true // the common case: an exact, already upper-case SKU
	}
	k := skuKey(sku)
	if k == "" {
		return 0, false
	}
	for {
		if i, ok := s.bySKU[k]; ok {
			return i, true
		}
		cut := strings.LastIndexByte(k, '-')
		if cut <= 0 {
			return 0, false
		}
		k = k[:cut]
	}
}

// Resolve returns the product sku belongs to, as Index finds it.
func (s *Snapshot) Resolve(sku string) (commerce.Product, bool) {
	i, ok := s.Index(sku)
	if !ok {
		return commerce.Product{}, false
	}
	return s.products[i], true
}

// Names lists every product's English and Chinese names, in catalog
// order, for the grounding check. The list is shared: do not modify it.
func (s *Snapshot) Names() []string { return s.nameIndex().list }

// Named returns the product called name (in either language, ignoring
// case, with or without its variant part) or with that SKU: how a
// product remembered from an earlier turn is found again.
func (s *Snapshot) Named(name string) (commerce.Product, bool) {
	if i, ok := s.nameIndex().exact[strings.ToLower(strings.TrimSpace(name))]; ok {
		return s.products[i], true
	}
	if i, ok := s.bySKU[skuKey(name)]; ok {
		return s.products[i], true
	}
	return commerce.Product{}, false
}

// InText returns the product text names: the first word shaped like a
// SKU that Resolve knows, else the product with the longest name (or
// name without its variant part, when that has two or more words or is
// Chinese) that text mentions, ignoring case, as whole words in Latin
// script. Names shorter than three characters are not looked for.
func (s *Snapshot) InText(text string) (commerce.Product, bool) {
	for _, tok := range skuTokens(text) {
		if i, ok := s.Index(tok); ok {
			return s.products[i], true
		}
	}
	if i, ok := s.nameIndex().longestIn(text); ok {
		return s.products[i], true
	}
	return commerce.Product{}, false
}

// skuTokens splits text into the words that could be SKUs: runs of ASCII
// letters, digits, '-', '_', '.' and '/' with a digit or a hyphen, without
// trailing punctuation.
func skuTokens(text string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		tok := strings.TrimRight(text[start:end], "-_./")
		start = -1
		if len(tok) >= 2 && strings.ContainsAny(tok, "0123456789-") {
			out = append(out, tok)
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z' || strings.IndexByte("-_./", c) >= 0 {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
}
