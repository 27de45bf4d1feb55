package actions

import (
	"fmt"
	"strings"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
)

// whichOne asks which of the products an ambiguous message may mean
// ("the rain jacket"), each with its colours in stock and cited; when a
// colour was asked, it says which come in it. A question of price or
// warranty and nothing else is answered for each (eachOne) instead.
func whichOne(lang string, m catalog.Match) Result {
	cands := append([]commerce.Product{m.Product}, m.Alternatives...)
	if (m.Asks.Price || m.Asks.Warranty) && m.Constraint.IsZero() {
		return eachOne(lang, m.Asks, cands)
	}
	var names []string
	var facts []Fact
	hasColour := 0
	for i, p := range cands {
		colours, _ := inStockOptions(p)
		label := nameIn(lang, p)
		if len(colours) > 0 {
			label += say(lang, " ("+strings.Join(colours, ", ")+")", "（"+strings.Join(colours, "、")+"）")
		}
		names = append(names, fmt.Sprintf("%s [%d]", label, i+1))
		facts = append(facts, productFact(p))
		if m.Constraint.Color != "" && len(catalog.Matching(p, catalog.Constraint{Color: m.Constraint.Color}, commerce.Variant{})) > 0 {
			hasColour++
		}
	}
	last := len(names) - 1
	text := say(lang, "Which one do you mean: "+strings.Join(names[:last], ", ")+" or "+names[last]+"?",
		"请问您指的是哪一款："+strings.Join(names[:last], "、")+" 还是 "+names[last]+"？")
	if c := m.Constraint.Color; c != "" && hasColour == 0 {
		text += say(lang, fmt.Sprintf(" None of them comes in %s.", c), fmt.Sprintf("这几款都没有%s。", catalog.ColourName(c, "zh")))
	}
	return Result{Intent: ProductLookup, Facts: facts, Text: text}
}

// eachOne answers a price or warranty question about a kind for each of
// its products, cited, and offers more on any one of them: "How long is
// the warranty on backpacks?" needs no "which one?" first. A warranty all
// of them share is said once.
func eachOne(lang string, asks catalog.Facets, cands []commerce.Product) Result {
	var facts []Fact
	var names, items []string
	sameWarranty := asks.Warranty && !asks.Price
	for i, p := range cands {
		facts = append(facts, productFact(p))
		name := fmt.Sprintf("%s [%d]", nameIn(lang, p), i+1)
		names = append(names, name)
		if p.Warranty == "" || p.Warranty != cands[0].Warranty {
			sameWarranty = false
		}
		var parts []string
		if asks.Price {
			parts = append(parts, priceText(lang, p))
		}
		if asks.Warranty {
			w := p.Warranty
			if w == "" {
				w = say(lang, "no warranty stated", "未标明保修")
			}
			parts = append(parts, say(lang, "warranty: "+w, "保修："+w))
		}
		items = append(items, name+say(lang, ": ", "：")+strings.Join(parts, say(lang, ", ", "，")))
	}
	if sameWarranty {
		last := len(names) - 1
		return Result{Intent: ProductLookup, Facts: facts, Text: say(lang,
			fmt.Sprintf("All %d have the same warranty, %s: %s and %s. Tell me which one for its stock, colours and sizes.", len(names), strings.TrimSuffix(cands[0].Warranty, "."), strings.Join(names[:last], ", "), names[last]),
			fmt.Sprintf("这%d款的保修都是 %s：%s 和 %s。想了解哪一款的库存、颜色和尺码，请告诉我。", len(names), cands[0].Warranty, strings.Join(names[:last], "、"), names[last]))}
	}
	return Result{Intent: ProductLookup, Facts: facts, Text: say(lang,
		strings.Join(items, "; ")+". Tell me which one for its stock, colours and sizes.",
		strings.Join(items, "；")+"。想了解哪一款的库存、颜色和尺码，请告诉我。")}
}

// variantText answers the colour and size m asks of p (fresh from the
// shop): whether that variant is in stock, or the sizes in stock in the
// colour asked, or the colours in the size asked, or that p does not
// come in it. It is "" when m asks for neither or p has no variants;
// listed says it named what is in stock, so the reply need not list p's
// colours and sizes as well.
func variantText(lang string, p commerce.Product, m catalog.Match) (text string, listed bool) {
	if m.Constraint.IsZero() || len(p.Variants) == 0 {
		return "", false
	}
	var vs []commerce.Variant
	if m.Variant.SKU != "" {
		for _, v := range p.Variants {
			if v.SKU == m.Variant.SKU {
				vs = append(vs, v) // the variant named by its SKU, with its fresh stock
			}
		}
	} else {
		vs = catalog.Matching(p, m.Constraint, commerce.Variant{})
	}
	c := m.Constraint
	if len(vs) == 0 {
		return say(lang, fmt.Sprintf(" It doesn't come in %s.", askedText("en", c)), fmt.Sprintf(" 没有%s。", askedText("zh", c))), false
	}
	if got := catalog.Colour(vs[0].Color); c.Color != "" && got != "" && got != c.Color {
		text = say(lang, fmt.Sprintf(" Not in %s; the nearest is %s.", c.Color, vs[0].Color),
			fmt.Sprintf(" 没有%s，最接近的是%s。", catalog.ColourName(c.Color, "zh"), colourWord("zh", vs[0].Color)))
	}
	onlyColour := c.Size.IsZero() && m.Variant.SKU == ""
	onlySize := c.Color == "" && m.Variant.SKU == ""
	var inStock []string
	for _, v := range vs {
		if v.Stock <= 0 {
			continue
		}
		switch {
		case onlyColour:
			inStock = append(inStock, v.Size)
		case onlySize:
			inStock = append(inStock, v.Color)
		}
	}
	v := vs[0]
	label := strings.TrimSpace(strings.Join(strings.Fields(v.Color+" "+v.Size), " / "))
	switch {
	case onlyColour && len(inStock) > 0:
		return text + say(lang, fmt.Sprintf(" In %s, sizes in stock: %s.", v.Color, strings.Join(inStock, ", ")),
			fmt.Sprintf(" %s有货尺码：%s。", colourWord("zh", v.Color), strings.Join(inStock, "、"))), true
	case onlySize && len(inStock) > 0:
		return text + say(lang, fmt.Sprintf(" In size %s, colours in stock: %s.", v.Size, strings.Join(inStock, ", ")),
			fmt.Sprintf(" %s码有货颜色：%s。", v.Size, strings.Join(colourWords("zh", inStock), "、"))), true
	case onlyColour || onlySize:
		return text + say(lang, fmt.Sprintf(" %s is out of stock right now.", askedText("en", c)), fmt.Sprintf(" %s目前缺货。", askedText("zh", c))), false
	case v.Stock > 0:
		return text + say(lang, fmt.Sprintf(" %s (%s): %d in stock.", label, v.SKU, v.Stock), fmt.Sprintf(" %s（%s）：库存 %d 件。", label, v.SKU, v.Stock)), true
	}
	return text + say(lang, fmt.Sprintf(" %s (%s) is out of stock right now.", label, v.SKU), fmt.Sprintf(" %s（%s）目前缺货。", label, v.SKU)), false
}

// askedText says a colour and size as asked: "green, size EU 42",
// "绿色、EU 42码".
func askedText(lang string, c catalog.Constraint) string {
	var parts []string
	if c.Color != "" {
		parts = append(parts, catalog.ColourName(c.Color, lang))
	}
	s := c.Size
	var size string
	switch {
	case len(s.Letters) > 0:
		size = s.Letters[0]
	case s.Word != "":
		size = s.Word
	case s.Number != 0:
		size = strings.TrimSpace(fmt.Sprintf("%s %g", s.System, s.Number))
		if s.Gender == "W" {
			size = say(lang, "women's ", "女款") + size
		}
	}
	if size != "" {
		parts = append(parts, say(lang, "size "+size, size+"码"))
	}
	return strings.Join(parts, say(lang, ", ", "、"))
}

// colourWord is a catalog's colour in lang: Chinese for the colours the
// colour table knows, as written otherwise.
func colourWord(lang, raw string) string {
	if c := catalog.Colour(raw); c != "" && lang == "zh" {
		return catalog.ColourName(c, lang)
	}
	return raw
}

func colourWords(lang string, raw []string) []string {
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = colourWord(lang, r)
	}
	return out
}
