package recommend

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
)

func product(sku, category string, stock int) commerce.Product {
	return commerce.Product{SKU: sku, Name: "Product " + sku, NameZh: "商品" + sku, Category: category, Stock: stock}
}

func lines(skus ...string) []commerce.OrderLine {
	var ls []commerce.OrderLine
	for _, s := range skus {
		ls = append(ls, commerce.OrderLine{SKU: s, Qty: 1})
	}
	return ls
}

func order(id, customer string, day int, skus ...string) commerce.Order {
	return commerce.Order{ID: id, CustomerID: customer, Status: commerce.StatusDelivered,
		PlacedAt: time.Date(2026, 3, day, 12, 0, 0, 0, time.UTC), Lines: lines(skus...)}
}

func skus(recs []Recommendation) []string {
	out := []string{}
	for _, r := range recs {
		out = append(out, r.SKU)
	}
	return out
}

// shop is a small outdoor shop: a tent with a curated related list, its
// alternatives, and complements with and without stock.
func shop() []commerce.Product {
	tent := product("TNT-1", "tents", 5)
	tent.Name, tent.NameZh = "Cove 2 Backpacking Tent", "海湾双人徒步帐篷"
	tent.Tags = []string{"tent", "backpacking"}
	tent.Related = []string{"BAG-1", "LMP-1", "GONE-404", "LMP-1-RED"}
	tent.Variants = []commerce.Variant{{SKU: "TNT-1-GRN", Stock: 5}, {SKU: "TNT-1-TAN", Stock: 0}}

	family := product("TNT-2", "tents", 3)
	family.Name, family.NameZh, family.Tags = "Basecamp 4 Family Tent", "大本营四人家庭帐篷", []string{"tent", "family"}

	bag := product("BAG-1", "sleeping-bags", 4)
	bag.Name, bag.NameZh, bag.Tags = "Ember Down Sleeping Bag", "余烬羽绒睡袋", []string{"sleeping-bag", "down"}

	lamp := product("LMP-1", "headlamps", 9)
	lamp.Name, lamp.NameZh, lamp.Tags = "Beacon Headlamp", "灯塔头灯", []string{"headlamp"}
	lamp.Variants = []commerce.Variant{{SKU: "LMP-1-RED", Stock: 0}, {SKU: "LMP-1-BLK", Stock: 2}}

	soldOut := product("STV-1", "stoves", 10)
	soldOut.Name, soldOut.Tags = "Pocket Stove", []string{"stove"}
	soldOut.Variants = []commerce.Variant{{SKU: "STV-1-OS", Stock: 0}}

	jacket := product("JKT-1", "jackets", 7)
	jacket.Name, jacket.NameZh, jacket.Tags = "Storm Shell Waterproof Jacket", "风暴硬壳防水冲锋衣", []string{"waterproof", "rain"}
	jacket.Description = "A waterproof shell with room for a fleece underneath."

	fleece := product("FLC-1", "fleece", 0)
	fleece.Name, fleece.Tags = "Grid Fleece", []string{"fleece"}

	return []commerce.Product{tent, family, bag, lamp, soldOut, jacket, fleece}
}

func shopOrders() []commerce.Order {
	return []commerce.Order{
		order("1", "C1", 1, "TNT-1-GRN", "STV-1-OS"),
		order("2", "C2", 2, "TNT-1-GRN", "STV-1-OS", "FLC-1"),
		order("3", "C3", 3, "TNT-1-TAN", "BAG-1"),
		order("4", "C4", 4, "JKT-1"),
		order("5", "C5", 5, "JKT-1"),
		order("6", "C6", 6, "JKT-1", "GONE-404-X"),
	}
}

func TestRecommendFromPurchase(t *testing.T) {
	history := []commerce.Order{order("9", "C9", 9, "TNT-1-GRN")}
	recs := Recommend(Input{Catalog: shop(), Orders: shopOrders(), History: history})
	// STV-1 and FLC-1 are bought with the tent most but out of stock;
	// BAG-1 is both bought with it and on its related list.
	want := []string{"BAG-1", "LMP-1", "TNT-2", "JKT-1"}
	if got := skus(recs); !reflect.DeepEqual(got, want) {
		t.Fatalf("Recommend = %v, want %v", got, want)
	}
	wantReasons := []string{
		"Goes well with your Cove 2 Backpacking Tent",
		"Goes well with your Cove 2 Backpacking Tent",
		"Same kind of product as your Cove 2 Backpacking Tent",
		"Popular with other shoppers",
	}
	for i, r := range recs {
		if r.Reason != wantReasons[i] {
			t.Errorf("reason %d (%s) = %q, want %q", i, r.SKU, r.Reason, wantReasons[i])
		}
		if i > 0 && r.Score > recs[i-1].Score {
			t.Errorf("scores not descending: %v", recs)
		}
	}
}

func TestRecommendNeverInvalid(t *testing.T) {
	catalog, orders := shop(), shopOrders()
	valid := map[string]commerce.Product{}
	for _, p := range catalog {
		valid[p.SKU] = p
	}
	inputs := map[string]Input{
		"tent buyer":      {History: []commerce.Order{order("9", "C9", 9, "TNT-1-GRN")}},
		"asks about tent": {Interests: []string{"TNT-1"}},
		"asks for stoves": {Interests: []string{"stove", "fleece", "GONE-404"}},
		"anonymous":       {},
		"bought all":      {History: orders},
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			in.Catalog, in.Orders, in.K = catalog, orders, 20
			bought := map[string]bool{}
			for _, o := range in.History {
				for _, l := range o.Lines {
					bought[l.SKU[:5]] = true
				}
			}
			for _, fn := range []func(Input) []Recommendation{Recommend, Popular} {
				for _, r := range fn(in) {
					p, ok := valid[r.SKU]
					switch {
					case !ok:
						t.Errorf("%s is not in the catalog", r.SKU)
					case !inStock(p):
						t.Errorf("%s is out of stock", r.SKU)
					case bought[r.SKU]:
						t.Errorf("%s was already bought", r.SKU)
					case r.Reason == "" || strings.ContainsAny(r.Reason, "\n\r"):
						t.Errorf("%s: reason %q is not one line", r.SKU, r.Reason)
					}
				}
			}
		})
	}
}

func TestRecommendInterests(t *testing.T) {
	for _, tc := range []struct {
		name      string
		interests []string
		lang      string
		first     string
		reason    string
	}{
		{"english word", []string{"waterproof"}, "en", "JKT-1", "Matches your interest in \u201cwaterproof\u201d"},
		{"plural", []string{"tents?"}, "en", "TNT-1", "Matches your interest in \u201ctents\u201d"},
		{"chinese word", []string{"帐篷"}, "zh", "TNT-1", "符合您关注的\u201c帐篷\u201d"},
		{"chinese sentence", []string{"我想买个防水的冲锋衣"}, "zh", "JKT-1", "符合您关注的\u201c防水\u201d"},
		{"variant sku asked", []string{"do you have TNT-1-TAN?"}, "en", "BAG-1", "Goes well with the Cove 2 Backpacking Tent you asked about"},
		{"sku asked zh", []string{"TNT-1"}, "zh", "BAG-1", "与您咨询的海湾双人徒步帐篷搭配"},
		{"newest first", []string{"headlamp", "sleeping bag"}, "en", "LMP-1", "Matches your interest in \u201cheadlamp\u201d"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := Recommend(Input{Catalog: shop(), Orders: shopOrders(), Interests: tc.interests, Language: tc.lang})
			if len(recs) == 0 {
				t.Fatal("no recommendations")
			}
			if recs[0].SKU != tc.first || recs[0].Reason != tc.reason {
				t.Errorf("first = %s %q, want %s %q (all: %+v)", recs[0].SKU, recs[0].Reason, tc.first, tc.reason, recs)
			}
			for _, r := range recs {
				if strings.HasPrefix(tc.interests[0], "TNT-1") && r.SKU == "TNT-1" {
					t.Errorf("recommended the product asked about: %+v", recs)
				}
			}
		})
	}
}

func TestRecommendLanguages(t *testing.T) {
	in := Input{Catalog: shop(), Orders: shopOrders(), History: []commerce.Order{order("9", "C9", 9, "TNT-1-GRN")}}
	for _, tc := range []struct{ lang, name, reason string }{
		{"en", "Ember Down Sleeping Bag", "Goes well with your Cove 2 Backpacking Tent"},
		{"", "Ember Down Sleeping Bag", "Goes well with your Cove 2 Backpacking Tent"},
		{"fr", "Ember Down Sleeping Bag", "Goes well with your Cove 2 Backpacking Tent"},
		{"zh", "余烬羽绒睡袋", "与您购买的海湾双人徒步帐篷搭配"},
		{"zh-CN", "余烬羽绒睡袋", "与您购买的海湾双人徒步帐篷搭配"},
	} {
		in.Language = tc.lang
		recs := Recommend(in)
		if len(recs) == 0 || recs[0].Name != tc.name || recs[0].Reason != tc.reason {
			t.Errorf("lang %q: first = %+v, want %s / %s", tc.lang, recs, tc.name, tc.reason)
		}
		pop := Popular(in)
		want := map[bool]string{false: "Popular with other shoppers", true: "深受其他顾客欢迎"}[strings.HasPrefix(tc.lang, "zh")]
		if len(pop) == 0 || pop[0].Reason != want {
			t.Errorf("lang %q: Popular = %+v, want reason %q", tc.lang, pop, want)
		}
	}
}

func TestRecommendK(t *testing.T) {
	catalog := []commerce.Product{}
	var orders []commerce.Order
	for _, s := range []string{"A", "B", "C", "D", "E", "F", "G", "H"} {
		catalog = append(catalog, product(s, "gear", 1))
		orders = append(orders, order(s, "C-"+s, 1, s))
	}
	for _, tc := range []struct{ k, want int }{{0, DefaultK}, {-1, DefaultK}, {1, 1}, {3, 3}, {100, 8}} {
		for name, fn := range map[string]func(Input) []Recommendation{"Recommend": Recommend, "Popular": Popular} {
			if got := fn(Input{Catalog: catalog, Orders: orders, K: tc.k}); len(got) != tc.want {
				t.Errorf("%s K=%d: %d results, want %d", name, tc.k, len(got), tc.want)
			}
		}
	}
	// Equal scores fall back to SKU order.
	if got := skus(Popular(Input{Catalog: catalog, Orders: orders, K: 3})); !reflect.DeepEqual(got, []string{"A", "B", "C"}) {
		t.Errorf("ties: %v, want [A B C]", got)
	}
}

func TestRecommendEmpty(t *testing.T) {
	for name, in := range map[string]Input{
		"nothing":                {},
		"no catalog":             {Orders: shopOrders(), Interests: []string{"tent"}},
		"no signal":              {Catalog: shop()},
		"unknown interest":       {Catalog: shop(), Interests: []string{"", "  ", "zzzz", "的"}},
		"history not in catalog": {Catalog: shop(), History: []commerce.Order{order("1", "C", 1, "NOPE-1")}},
	} {
		if got := Recommend(in); got != nil {
			t.Errorf("%s: Recommend = %+v, want none", name, got)
		}
		if got := Popular(in); got != nil {
			t.Errorf("%s: Popular = %+v, want none", name, got)
		}
	}
}

func TestRecommendIgnoresCancelled(t *testing.T) {
	cancelled := order("9", "C9", 9, "TNT-1-GRN")
	cancelled.Status = commerce.StatusCancelled
	orders := append(shopOrders(), cancelled, cancelled, cancelled)
	recs := Recommend(Input{Catalog: shop(), Orders: orders, History: []commerce.Order{cancelled}, K: 20})
	if !reflect.DeepEqual(skus(recs), []string{"JKT-1", "TNT-1", "BAG-1"}) {
		t.Errorf("Recommend = %v, want the popular [JKT-1 TNT-1 BAG-1], the cancelled tent not counted as bought", skus(recs))
	}
}

func TestRecommendDeterministic(t *testing.T) {
	in := Input{Catalog: shop(), Orders: shopOrders(), History: []commerce.Order{order("9", "C9", 9, "JKT-1")},
		Interests: []string{"TNT-1", "sleeping bag headlamp"}, K: 10}
	first := Recommend(in)
	for range 50 {
		if got := Recommend(in); !reflect.DeepEqual(got, first) {
			t.Fatalf("Recommend changed between calls:\n%+v\n%+v", first, got)
		}
	}
}

// TestShopMatchesInput checks that a prepared Shop answers as the one-off
// call does, from several goroutines at once (the text index is built by
// the first that needs it).
func TestShopMatchesInput(t *testing.T) {
	products, orders := shop(), shopOrders()
	s := Prepare(catalog.New(products), orders)
	for _, q := range []Query{
		{Interests: []string{"TNT-1", "waterproof"}},
		{History: orders[3:4]},
		{Interests: []string{"我想买个帐篷"}, Language: "zh", K: 2},
	} {
		t.Run(strings.Join(q.Interests, " "), func(t *testing.T) {
			want := Recommend(Input{Catalog: products, Orders: orders, History: q.History, Interests: q.Interests, Language: q.Language, K: q.K})
			if len(want) == 0 {
				t.Fatal("no recommendations to compare")
			}
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					if got := s.Recommend(q); !reflect.DeepEqual(got, want) {
						t.Errorf("prepared %+v, one-off %+v", got, want)
					}
				})
			}
			wg.Wait()
			if got, want := s.Popular(q), Popular(Input{Catalog: products, Orders: orders, History: q.History, Language: q.Language, K: q.K}); !reflect.DeepEqual(got, want) {
				t.Errorf("Popular: prepared %+v, one-off %+v", got, want)
			}
		})
	}
}
