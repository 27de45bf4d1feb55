// Package grounding checks that a generated answer states only what its
// sources state. Check finds the checkable facts in an answer (prices,
// order numbers, catalog product names and citation markers such as [2])
// and reports those no source supports; Repair removes the sentences that
// hold them, so the caller can send what is left or fall back to an
// honest "I don't know".
//
// The checks are lexical. A claim is found by its surface form in English
// or Chinese text and is supported when the same value appears in some
// source: an amount in any price notation, an identifier as a token, a
// product name as a case-insensitive substring. They catch invented
// values, not wrong reasoning over true ones: a total the model computed
// from two true prices is reported as unsupported, and a true price
// quoted for the wrong product passes.
//
// Everything here is pure and safe for concurrent use. No function panics
// on any input, invalid UTF-8 included.
package grounding

import (
	"cmp"
	"slices"

	"github.com/shopdesk/shopdesk/mention"
)

// The kinds of Claim.
const (
	kindPrice    = "price"
	kindOrder    = "order"
	kindProduct  = "product"
	kindCitation = "citation"
)

// Source is one passage the answer may rely on, numbered from 1 as cited.
// Tool results are sources too, with Text holding their JSON or
// "key: value" lines. Title is searched along with Text.
type Source struct {
	Title string
	Text  string
}

// Claim is a checkable fact found in an answer. Kind is "price", "order",
// "product" or "citation". Start and End are byte offsets in the answer,
// 0 <= Start <= End <= len(answer).
//
// Text is the claim as written, answer[Start:End], except for citations:
// a citation's Text is the canonical marker "[n]" for its one source
// number, and Start:End spans the whole marker it appears in, so
// "[1, 7]" yields two claims, "[1]" and "[7]", with the same span.
type Claim struct {
	Kind  string `json:"kind"`
	Text  string `json:"text"`
	Start int    `json:"-"`
	End   int    `json:"-"`
}

// Options holds the tenant data Check needs besides the sources.
type Options struct {
	// Products are the names of the tenant's catalog products (any
	// language); a mention of one that appears in no source is
	// unsupported. Names shorter than two characters or without a letter
	// are ignored.
	Products []string
	// Given are the order numbers the shopper stated (as package mention
	// reads them): repeating one back invents nothing, so a claim of one
	// is supported whatever the sources say.
	Given []string
}

// Report is the outcome of Check. Claims lists every claim found, in order
// of Start; Unsupported lists, in the same order, those no source
// supports.
type Report struct {
	Claims      []Claim
	Unsupported []Claim
}

// OK reports whether every claim is supported.
func (r Report) OK() bool { return len(r.Unsupported) == 0 }

// Check finds the prices, order numbers, product names and citation
// markers in answer and reports which are not supported by sources:
//
//   - a price ("$12.99", "US$ 45", "199元", "人民币199", "€20", ...) is
//     supported when a source states the same amount, compared
//     numerically, in a compatible currency ("$" matches any dollar, "¥"
//     yuan or yen, an unstated currency anything): in any price notation,
//     or as a number right after a price key or currency word, as in
//     "unit_price": 299.0, "售价：299" or "USD: 45";
//   - an order number ("order 1002", "#1002", "订单号HL-100101", or a
//     standalone letters-hyphen-digits identifier such as "SO-55321" not
//     introduced as a SKU, tracking number or code) is supported when a
//     source holds the same identifier as a token, ignoring case and a
//     leading '#', or when it is one of opts.Given;
//   - a product, a case-insensitive mention of a name in opts.Products
//     (on word boundaries for Latin text; longest names first), is
//     supported when a source contains the name or the name without its
//     trailing variant (" — Green / One Size", " (2-person)"); a mention
//     of that shorter name alone counts as a mention of the product when
//     it has two or more words or is CJK;
//   - a citation [n] is supported when 1 <= n <= len(sources).
//
// Percentages, dates, sizes, durations, phone numbers and postcodes carry
// no currency or order cue and are not claims.
func Check(answer string, sources []Source, opts Options) Report {
	idx := &sourceIndex{sources: sources}
	type checked struct {
		Claim
		ok bool
	}
	var all []checked
	add := func(kind string, start, end int, ok bool) {
		all = append(all, checked{Claim{Kind: kind, Text: answer[start:end], Start: start, End: end}, ok})
	}
	for _, p := range findPrices(answer) {
		add(kindPrice, p.start, p.end, idx.hasAmount(p.amount))
	}
	var given map[string]bool
	for _, g := range opts.Given {
		if given == nil {
			given = make(map[string]bool, len(opts.Given))
		}
		given[asciiLower(mention.NormalizeOrder(g))] = true
	}
	for _, o := range findOrders(answer) {
		add(kindOrder, o.start, o.end, given[o.id] || idx.hasID(o.id))
	}
	for _, p := range findProducts(answer, opts.Products) {
		add(kindProduct, p.start, p.end, idx.hasName(p.name, p.base))
	}
	for _, g := range scanCitations(answer) {
		for _, n := range g.nums {
			all = append(all, checked{
				Claim{Kind: kindCitation, Text: citationText(n.n), Start: g.start, End: g.end},
				n.n >= 1 && n.n <= len(sources),
			})
		}
	}
	slices.SortStableFunc(all, func(a, b checked) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	var r Report
	for _, c := range all {
		r.Claims = append(r.Claims, c.Claim)
		if !c.ok {
			r.Unsupported = append(r.Unsupported, c.Claim)
		}
	}
	return r
}
