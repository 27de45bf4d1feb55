package sqlstore

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
)

// The demo shop's files, imported with the default mapping.
const (
	demoCustomers = "../../deploy/demo/commerce/customers.csv"
	demoOrders    = "../../deploy/demo/commerce/orders.json"
	demoProducts  = "../../deploy/demo/knowledge/catalog/products.json"
)

func TestImportDemo(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, tc := range []struct {
		kind Kind
		path string
		want int
	}{{Customers, demoCustomers, 12}, {Orders, demoOrders, 30}, {Products, demoProducts, 40}} {
		res := importFile(t, s, "default", tc.kind, tc.path, nil)
		if res.Added != tc.want || res.Updated+res.Unchanged != 0 || len(res.Problems) != 0 {
			t.Errorf("%s: %+v, want %d added", tc.kind, res, tc.want)
		}
		res = importFile(t, s, "default", tc.kind, tc.path, nil)
		if res.Unchanged != tc.want || res.Added+res.Updated != 0 {
			t.Errorf("%s again: %+v, want %d unchanged", tc.kind, res, tc.want)
		}
	}

	c, err := s.Customer(ctx, "default", "C007")
	want := commerce.Customer{ID: "C007", Name: "陈思远", Email: "chen.siyuan@example.cn", Phone: "+86 139 1234 5601",
		Postcode: "200031", Country: "CN", Language: "zh"}
	if err != nil || c != want {
		t.Errorf("Customer(C007) = %+v, %v; want %+v", c, err, want)
	}

	o, err := s.Order(ctx, "default", "HL-100101")
	if err != nil {
		t.Fatal(err)
	}
	// The demo's dates are written for 2026-11-21 and move to the import's
	// day, ten days later here.
	delivered := time.Date(2026, 8, 16, 18, 41, 0, 0, time.UTC)
	if o.CustomerID != "C001" || o.Status != commerce.StatusDelivered || o.Total != 348 || len(o.Lines) != 2 ||
		o.Lines[0] != (commerce.OrderLine{SKU: "HL-TNT-001-GRN-OS", Name: "Cove 2 Backpacking Tent — Green / One Size", Qty: 1, UnitPrice: 299}) ||
		o.DeliveredAt == nil || !o.DeliveredAt.Equal(delivered) || o.Carrier != "UPS" {
		t.Errorf("Order(HL-100101) = %+v", o)
	}
	o, err = s.Order(ctx, "default", "HL-100104")
	if err != nil || o.Shipping != 7.95 || o.Total != 73.95 || o.Lines[0].Qty != 3 {
		t.Errorf("Order(HL-100104) = %+v, %v", o, err)
	}
	o, err = s.Order(ctx, "default", "HL-100124")
	if err != nil || o.Status != commerce.StatusCancelled || o.ShippedAt != nil || o.DeliveredAt != nil {
		t.Errorf("Order(HL-100124) = %+v, %v; want cancelled, never shipped", o, err)
	}

	list, err := s.Orders(ctx, "default", "C002")
	if err != nil || len(list) != 4 {
		t.Fatalf("Orders(C002) = %d, %v; want 4", len(list), err)
	}
	for i := 1; i < len(list); i++ {
		if list[i].PlacedAt.After(list[i-1].PlacedAt) {
			t.Errorf("Orders(C002) not newest first: %v before %v", list[i-1].PlacedAt, list[i].PlacedAt)
		}
	}
	for _, o := range list {
		full, err := s.Order(ctx, "default", o.ID)
		if err != nil || !reflect.DeepEqual(full, o) {
			t.Errorf("Orders entry %s differs from Order: %+v vs %+v (%v)", o.ID, o, full, err)
		}
	}
	if all, err := s.AllOrders(ctx, "default"); err != nil || len(all) != 30 {
		t.Errorf("AllOrders = %d, %v; want 30", len(all), err)
	}

	p, err := s.Product(ctx, "default", "HL-JKT-001")
	if err != nil || p.Name != "Storm Shell Waterproof Jacket" || p.NameZh != "风暴硬壳防水冲锋衣" || p.Stock != 62 ||
		len(p.Variants) != 12 || p.PriceUSD == nil || *p.PriceUSD != 189 || p.PriceCNY == nil || *p.PriceCNY != 1299 ||
		!p.Returnable || p.FinalSale || len(p.Tags) != 4 || len(p.Related) != 3 {
		t.Errorf("Product(HL-JKT-001) = %+v, %v", p, err)
	}
	if v := p.Variants[0]; v != (commerce.Variant{SKU: "HL-JKT-001-BLU-S", Color: "blue", Size: "S", Stock: 3}) {
		t.Errorf("first variant = %+v", v)
	}
	gift, err := s.Product(ctx, "default", "HL-GFT-001")
	if err != nil || len(gift.Variants) != 7 || gift.PriceUSD == nil || *gift.PriceUSD != 25 {
		t.Errorf("Product(HL-GFT-001) = %+v, %v", gift, err)
	}
	if v := gift.Variants[1]; v.PriceUSD == nil || *v.PriceUSD != 50 || v.PriceCNY != nil {
		t.Errorf("gift card variant %+v: want its own price $50 and no CNY price", v)
	}
	all, err := s.Products(ctx, "default")
	if err != nil || len(all) != 40 {
		t.Errorf("Products = %d, %v; want 40", len(all), err)
	}
}

func TestProductNullPrices(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	res := importString(t, s, "t1", Products, "p.json", `{"products": [
		{"sku": "GC", "name": "Gift card", "price_usd": null, "price_cny": 200, "final_sale": true,
		 "variants": [{"sku": "GC-25", "size": "$25", "stock": 5, "price_usd": 25, "price_cny": null},
		              {"sku": "GC-50", "size": "$50", "stock": "7"}]}]}`, nil)
	if res.Added != 1 || len(res.Problems) != 0 {
		t.Fatalf("import = %+v", res)
	}
	p, err := s.Product(ctx, "t1", "GC")
	if err != nil || p.PriceUSD != nil || p.PriceCNY == nil || *p.PriceCNY != 200 || p.Stock != 12 || p.Returnable {
		t.Errorf("Product = %+v, %v; want no USD price, stock 12, not returnable", p, err)
	}
}

func TestShopifyProductsCSV(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	m := Mapping{"sku": "Handle", "name": "Title", "description": "Body (HTML)", "brand": "Vendor",
		"category": "Type", "tags": "Tags", "price_usd": "Variant Price", "variants.sku": "Variant SKU",
		"variants.stock": "Variant Inventory Qty", "variants.color": "Option1 Value", "variants.size": "Option2 Value"}
	res := importFile(t, s, "t1", Products, "testdata/shopify_products.csv", m)
	if res.Added != 2 || len(res.Problems) != 0 {
		t.Fatalf("import = %+v, want 2 added", res)
	}
	p, err := s.Product(ctx, "t1", "trail-runner")
	if err != nil {
		t.Fatal(err)
	}
	wantVariants := []commerce.Variant{{SKU: "TR-BLU-9", Color: "Blue", Size: "9", Stock: 4},
		{SKU: "TR-BLU-10", Color: "Blue", Size: "10"}, {SKU: "TR-RED-9", Color: "Red", Size: "9"}}
	if p.Name != "Trail Runner Shoe" || p.Brand != "Harbor Lane" || p.Category != "shoes" || p.PriceUSD == nil ||
		*p.PriceUSD != 120 || p.Stock != 4 || !reflect.DeepEqual(p.Tags, []string{"running", "trail"}) ||
		!reflect.DeepEqual(p.Variants, wantVariants) || !p.Returnable {
		t.Errorf("trail-runner = %+v", p)
	}
	if res := importFile(t, s, "t1", Products, "testdata/shopify_products.csv", m); res.Unchanged != 2 {
		t.Errorf("re-import = %+v, want 2 unchanged", res)
	}
	// Shopify's column names are among the default synonyms, so the
	// export reads the same without a mapping.
	if res := importFile(t, s, "t1", Products, "testdata/shopify_products.csv", nil); res.Unchanged != 2 {
		t.Errorf("import without mapping = %+v, want 2 unchanged", res)
	}
}
