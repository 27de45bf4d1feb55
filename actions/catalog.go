package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/recommend"
)

// findProduct reads which product req's message means, and the colour
// and size it asks for (catalog.Snapshot.Lookup): by SKU, by name in
// either language, partly or misspelt, by kind, or the conversation's
// product for "it" and "这件", with the knowledge index's product
// documents as a second opinion on ambiguous kinds when
// Options.ProductSearch is set. A failed search is no error: the
// catalog's reading serves.
func (a *Actions) findProduct(ctx context.Context, snap *catalog.Snapshot, req Request) catalog.Match {
	var search catalog.Searcher
	if a.opts.ProductSearch != nil {
		search = func(ctx context.Context, query string, k int) ([]catalog.SearchHit, error) {
			return a.opts.ProductSearch(ctx, req.Tenant, query, k)
		}
	}
	m, _ := snap.Lookup(ctx, req.Message, req.Conv.Details.Product, search)
	return m
}

func (a *Actions) productLookup(ctx context.Context, req Request) (Result, bool, error) {
	snap, err := a.opts.Catalog(ctx, req.Tenant)
	if err != nil {
		return Result{}, false, err
	}
	m := a.findProduct(ctx, snap, req)
	if !m.Found {
		return Result{}, false, nil // not about a product we know: the knowledge base answers
	}
	if m.Ambiguous {
		return whichOne(req.Language, m), true, nil
	}
	p := m.Product
	// The snapshot says which product; its price and stock are read now,
	// since they change more often than the snapshot is refreshed.
	switch fresh, err := a.opts.Shop.Product(ctx, req.Tenant, p.SKU); {
	case err == nil:
		p = fresh
	case !errors.Is(err, commerce.ErrNotFound):
		return Result{}, false, err
	}
	req.Conv.Details.Product = p.Name
	fact := productFact(p)
	name := nameIn(req.Language, p)
	var text string
	colors, sizes := inStockOptions(p)
	price := priceText(req.Language, p)
	if p.Stock <= 0 {
		text = say(req.Language, fmt.Sprintf("%s (%s) is out of stock right now; %s [1].", name, p.SKU, price),
			fmt.Sprintf("%s（%s）目前缺货；%s [1]。", name, p.SKU, price))
	} else {
		text = say(req.Language, fmt.Sprintf("%s (%s): %s, %d in stock [1].", name, p.SKU, price, p.Stock),
			fmt.Sprintf("%s（%s）：%s，库存 %d 件 [1]。", name, p.SKU, price, p.Stock))
		asked, listed := variantText(req.Language, p, m)
		text += asked
		if !listed && len(colors) > 0 {
			text += say(req.Language, " In stock in "+strings.Join(colors, ", ")+".", " 有货颜色："+strings.Join(colors, "、")+"。")
		}
		if !listed && len(sizes) > 0 {
			text += say(req.Language, " Sizes in stock: "+strings.Join(sizes, ", ")+".", " 有货尺码："+strings.Join(sizes, "、")+"。")
		}
	}
	if p.Warranty != "" {
		text += say(req.Language, " Warranty: "+p.Warranty+".", " 保修："+p.Warranty+"。")
	}
	return Result{Intent: ProductLookup, Facts: []Fact{fact}, Text: text}, true, nil
}

func priceText(lang string, p commerce.Product) string {
	var parts []string
	if p.PriceUSD != nil {
		parts = append(parts, fmt.Sprintf("$%.2f", *p.PriceUSD))
	}
	if p.PriceCNY != nil {
		parts = append(parts, fmt.Sprintf("¥%.2f", *p.PriceCNY))
	}
	if len(parts) == 0 {
		return say(lang, "price on request", "价格请咨询")
	}
	return say(lang, "price "+strings.Join(parts, " / "), "价格 "+strings.Join(parts, " / "))
}

// inStockOptions lists the colors and sizes with at least one variant in
// stock.
func inStockOptions(p commerce.Product) (colors, sizes []string) {
	add := func(list []string, v string) []string {
		for _, x := range list {
			if x == v {
				return list
			}
		}
		return append(list, v)
	}
	for _, v := range p.Variants {
		if v.Stock <= 0 {
			continue
		}
		if v.Color != "" {
			colors = add(colors, v.Color)
		}
		if v.Size != "" {
			sizes = add(sizes, v.Size)
		}
	}
	return colors, sizes
}

func productFact(p commerce.Product) Fact {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (SKU %s", p.Name, p.SKU)
	if p.NameZh != "" {
		fmt.Fprintf(&b, ", %s", p.NameZh)
	}
	fmt.Fprintf(&b, "). %s", priceText("en", p))
	fmt.Fprintf(&b, ". Stock: %d.", p.Stock)
	for _, v := range p.Variants {
		fmt.Fprintf(&b, " Variant %s: %s %s, stock %d", v.SKU, v.Color, v.Size, v.Stock)
		if v.PriceUSD != nil {
			fmt.Fprintf(&b, ", $%.2f", *v.PriceUSD)
		}
		if v.PriceCNY != nil {
			fmt.Fprintf(&b, ", ¥%.2f", *v.PriceCNY)
		}
		b.WriteString(".")
	}
	if p.Materials != "" {
		fmt.Fprintf(&b, " Materials: %s.", p.Materials)
	}
	if p.Warranty != "" {
		fmt.Fprintf(&b, " Warranty: %s.", p.Warranty)
	}
	if p.FinalSale {
		b.WriteString(" Final sale: not returnable.")
	} else if !p.Returnable {
		b.WriteString(" Not returnable.")
	}
	if p.Description != "" {
		fmt.Fprintf(&b, " %s", p.Description)
	}
	return Fact{ID: "product:" + p.SKU, Title: p.Name, Text: b.String()}
}

func (a *Actions) recommend(ctx context.Context, req Request) (Result, bool, error) {
	snap, err := a.opts.Catalog(ctx, req.Tenant)
	if err != nil {
		return Result{}, false, err
	}
	var history []commerce.Order
	if c := req.Conv.CustomerID; c != "" {
		if history, err = a.opts.Shop.Orders(ctx, req.Tenant, c); err != nil {
			return Result{}, false, err
		}
	}
	var interests []string
	if m := snap.Match(req.Message, req.Conv.Details.Product); m.Found {
		interests = append(interests, m.Product.SKU)
		for _, p := range m.Alternatives {
			interests = append(interests, p.SKU)
		}
	}
	interests = append(interests, strings.Fields(req.Message)...)
	shop, err := a.opts.Recommender(ctx, req.Tenant)
	if err != nil {
		return Result{}, false, err
	}
	recs := shop.Recommend(recommend.Query{History: history, Interests: interests, Language: req.Language, K: 5})
	return recommendationsResult(req.Language, shop.Snapshot(), recs), true, nil
}

// RecommenderLoader returns a loader of a tenant's recommendation
// statistics, for Options.Recommender (through a catalog.Cache): the
// catalog snapshot and every order of the tenant when shop lists them
// (commerce.OrderLister). Without that, recommendations rest on the
// catalog and the shopper's own orders alone.
func RecommenderLoader(shop commerce.Connector, snapshot func(ctx context.Context, tenant string) (*catalog.Snapshot, error)) func(context.Context, string) (*recommend.Shop, error) {
	return func(ctx context.Context, tenant string) (*recommend.Shop, error) {
		snap, err := snapshot(ctx, tenant)
		if err != nil {
			return nil, err
		}
		var all []commerce.Order
		if l, ok := shop.(commerce.OrderLister); ok {
			if all, err = l.AllOrders(ctx, tenant); err != nil {
				return nil, err
			}
		}
		return recommend.Prepare(snap, all), nil
	}
}

// ForCustomer recommends up to k in-stock products to a customer, from
// their purchase history and the whole shop's, each with a one-line
// reason in lang.
func (a *Actions) ForCustomer(ctx context.Context, tenant, customerID, lang string, k int) ([]recommend.Recommendation, error) {
	if _, err := a.opts.Shop.Customer(ctx, tenant, customerID); err != nil {
		return nil, err
	}
	history, err := a.opts.Shop.Orders(ctx, tenant, customerID)
	if err != nil {
		return nil, err
	}
	shop, err := a.opts.Recommender(ctx, tenant)
	if err != nil {
		return nil, err
	}
	recs := shop.Recommend(recommend.Query{History: history, Language: lang, K: k})
	if recs == nil {
		recs = []recommend.Recommendation{}
	}
	return recs, nil
}

func recommendationsResult(lang string, snap *catalog.Snapshot, recs []recommend.Recommendation) Result {
	if len(recs) == 0 {
		return Result{Intent: Recommend, Text: say(lang, "I don't have a suggestion in stock for that right now.", "目前没有合适的有货商品可以推荐。")}
	}
	var lines []string
	var facts []Fact
	for i, r := range recs {
		p, _ := snap.Resolve(r.SKU)
		facts = append(facts, productFact(p))
		lines = append(lines, fmt.Sprintf("- %s (%s): %s [%d]", nameIn(lang, p), priceText(lang, p), r.Reason, i+1))
	}
	return Result{Intent: Recommend, Facts: facts, Text: say(lang, "You might like:", "为您推荐：") + "\n" + strings.Join(lines, "\n")}
}
