package formats

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// repo returns a path under the repository root; shared, one under the
// shared data folder beside it (skipping the test if it is missing).
func repo(t *testing.T, parts ...string) string {
	t.Helper()
	return filepath.Join(append([]string{"..", ".."}, parts...)...)
}

func shared(t *testing.T, parts ...string) string {
	t.Helper()
	dir := os.Getenv("SHOPDESK_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	p := filepath.Join(append([]string{dir}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		ollamatest.Skip(t, "needs the shared data folder "+dir+" (set SHOPDESK_SHARED)")
	}
	return p
}

func read(t *testing.T, name, content string, opts Options) Result {
	t.Helper()
	opts.Name = name
	res, err := Read(strings.NewReader(content), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byID(docs []index.Document) map[string]index.Document {
	out := map[string]index.Document{}
	for _, d := range docs {
		out[d.ID] = d
	}
	return out
}

func TestDemoFAQ(t *testing.T) {
	for _, file := range []string{"faq.en.jsonl", "faq.zh.jsonl"} {
		res, err := ReadFile(repo(t, "deploy", "demo", "knowledge", file), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) > 0 || len(res.Docs) < 30 {
			t.Fatalf("%s: %d docs, problems %v", file, len(res.Docs), res.Problems)
		}
		wantLang := file[4:6]
		for _, d := range res.Docs {
			if d.Kind != index.KindFAQ || d.Lang != wantLang || !d.Whole || d.Title == "" || d.Text == "" || len(d.Tags) == 0 {
				t.Fatalf("%s: %+v", file, d)
			}
			if strings.Contains(d.Text, "Kind:") || strings.Contains(d.Text, "Tags:") {
				t.Fatalf("mapped fields leaked into the text: %q", d.Text)
			}
		}
	}
}

func TestJSONLProblems(t *testing.T) {
	res := read(t, "faq.jsonl", `{"id":"a","title":"Returns?","text":"30 days"}
{"id":"b","title":
{"title":"","text":""}
{"id":"a","title":"Dup","text":"x"}

["not","an","object"]
{"id":"c","question":"Shipping?","answer":"3 days"}
`, Options{})
	if len(res.Docs) != 2 || res.Docs[1].ID != "c" || res.Docs[1].Title != "Shipping?" || res.Docs[1].Text != "3 days" || res.Docs[1].Kind != index.KindFAQ {
		t.Fatalf("docs = %+v", res.Docs)
	}
	want := []string{"faq.jsonl:2: invalid JSON", "faq.jsonl:3: no id", "faq.jsonl:4: id \"a\" repeats the record at faq.jsonl:1", "faq.jsonl:6: invalid JSON"}
	if len(res.Problems) != len(want) {
		t.Fatalf("problems = %v", res.Problems)
	}
	for i, w := range want {
		if !strings.HasPrefix(res.Problems[i].String(), w) {
			t.Errorf("problem %d = %q, want %q...", i, res.Problems[i], w)
		}
	}
}

func TestDummyJSONCatalog(t *testing.T) {
	res, err := ReadFile(shared(t, "data", "dummyjson", "products.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Docs) != 194 || len(res.Problems) != 0 {
		t.Fatalf("%d docs, problems %v", len(res.Docs), res.Problems)
	}
	d := byID(res.Docs)["1"]
	for _, want := range []string{"The Essence Mascara Lash Princess is a popular mascara", "price: 9.99", "warranty information: 1 week warranty", "return policy:", "dimensions: depth: 22.99", "brand: Essence"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("product text lacks %q:\n%s", want, d.Text)
		}
	}
	for _, bad := range []string{"@x.dummyjson.com", "thumbnail", ".png", "barcode"} {
		if strings.Contains(d.Text, bad) {
			t.Errorf("product text holds %q:\n%s", bad, d.Text)
		}
	}
	if d.Title != "Essence Mascara Lash Princess" || d.Kind != index.KindProduct || !d.Whole || strings.Join(d.Tags, ",") != "beauty,mascara" || d.Lang != "en" {
		t.Errorf("product = %+v", d)
	}
}

func TestDemoCatalogUsesSKU(t *testing.T) {
	res, err := ReadFile(repo(t, "deploy", "demo", "knowledge", "catalog", "products.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Docs) != 40 || len(res.Problems) > 0 {
		t.Fatalf("%d docs, problems %v", len(res.Docs), res.Problems)
	}
	d := res.Docs[0]
	if !strings.HasPrefix(d.ID, "HL-") || d.Kind != index.KindProduct || !strings.Contains(d.Text, "name zh:") || !strings.Contains(d.Text, "variants:") {
		t.Fatalf("first product = %+v", d)
	}
}

func TestKeyedJSON(t *testing.T) {
	res, err := ReadFile(shared(t, "data", "abcd", "guidelines.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs := byID(res.Docs)
	d, ok := docs["Shipping Issue"]
	if len(res.Problems) > 0 || !ok || d.Title != "Shipping Issue" || len(d.Text) < 200 {
		t.Fatalf("docs %d, problems %v, shipping doc %+v", len(res.Docs), res.Problems, d)
	}
	texts := read(t, "faq.json", `{"returns": "30 days to return", "shipping": "Ships in 2 days"}`, Options{})
	if got := byID(texts.Docs)["shipping"]; got.Text != "Ships in 2 days" || got.Title != "shipping" {
		t.Fatalf("keyed texts = %+v", texts.Docs)
	}
}

func TestJSONErrors(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		opts          Options
		want          string
	}{
		{"syntax", `[{"id":1,}]`, Options{}, "at byte"},
		{"two values", `{"id":1} {"id":2}`, Options{}, "name it .jsonl"},
		{"no path", `{"data":{"items":[]}}`, Options{Mapping: Mapping{Records: "data.rows"}}, `no key "rows"`},
		{"path not array", `{"data":{"items":3}}`, Options{Mapping: Mapping{Records: "data.items"}}, "does not lead to an array"},
		{"two arrays", `{"a":[{"id":1}],"b":[{"id":2}]}`, Options{}, "several arrays"},
		{"scalar", `42`, Options{}, "neither an array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Name = "x.json"
			_, err := Read(strings.NewReader(tc.content), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "x.json") {
				t.Fatalf("err = %v, want %q naming the file", err, tc.want)
			}
		})
	}
	res := read(t, "x.json", `{"items":[{"id":1,"title":"a"},"oops",{"title":"no id"}]}`, Options{Mapping: Mapping{ID: "id"}})
	if len(res.Docs) != 1 || len(res.Problems) != 2 || !strings.HasPrefix(res.Problems[0].Where, "x.json: items[1]") {
		t.Fatalf("docs %v problems %v", res.Docs, res.Problems)
	}
}

func TestCSV(t *testing.T) {
	faq := read(t, "help/faq.csv", "\ufeffQuestion,Answer,Category\n\"How long do returns take?\",\"Refunds arrive in 5-7 days, once we receive it.\",returns\n,,\n\"Do you ship to Canada?\",\"Yes, in 5 days.\",shipping\n", Options{})
	if len(faq.Docs) != 2 || len(faq.Problems) > 0 {
		t.Fatalf("docs %+v problems %v", faq.Docs, faq.Problems)
	}
	d := faq.Docs[0]
	if d.ID != "help/faq.csv#how-long-do-returns-take" || d.Kind != index.KindFAQ || d.Text != "Refunds arrive in 5-7 days, once we receive it.\ncategory: returns" {
		t.Fatalf("faq row = %+v", d)
	}

	semi := read(t, "p.csv", "sku;name;price\nA1;Boot;99,50\n", Options{})
	if len(semi.Docs) != 1 || !strings.Contains(semi.Docs[0].Text, "price: 99,50") {
		t.Fatalf("semicolons: %+v %v", semi.Docs, semi.Problems)
	}

	bad := read(t, "bad.csv", "id,title,text\n1,a,b\n2,\"unclosed,c\n", Options{})
	if len(bad.Docs) != 1 || len(bad.Problems) != 1 || !strings.HasPrefix(bad.Problems[0].Where, "bad.csv:3") {
		t.Fatalf("docs %v problems %v", bad.Docs, bad.Problems)
	}
	wide := read(t, "wide.csv", "id,title\n1,a\n2,b,extra\n", Options{})
	if len(wide.Docs) != 1 || len(wide.Problems) != 1 || !strings.Contains(wide.Problems[0].Err, "3 columns") {
		t.Fatalf("docs %v problems %v", wide.Docs, wide.Problems)
	}

	mapped := read(t, "chats.csv", "instruction,response,intent\nwhere is my order,Let me check,track_order\n", Options{Kind: index.KindTranscript,
		Mapping: Mapping{Title: "instruction", Text: []string{"response"}, Tags: "intent"}})
	if d := mapped.Docs[0]; d.Title != "where is my order" || d.Text != "Let me check" || d.Kind != index.KindTranscript || d.Tags[0] != "track_order" {
		t.Fatalf("mapped = %+v %v", mapped.Docs, mapped.Problems)
	}
}

func TestShopifyExport(t *testing.T) {
	csv := "Handle,Title,Body (HTML),Vendor,Type,Tags,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty\n" +
		"storm-jacket,Storm Jacket,\"<p>Waterproof <b>shell</b>.</p><ul><li>3 layers</li></ul>\",Harbor Lane,Jackets,\"rain, hiking\",Size,M,SJ-M,189.00,5\n" +
		"storm-jacket,,,,,,,L,SJ-L,189.00,0\n" +
		"trail-sock,Trail Sock,<p>Merino.</p>,Harbor Lane,Socks,,Title,Default Title,TS-1,19.00,40\n"
	res := read(t, "products_export.csv", csv, Options{})
	if len(res.Docs) != 2 || len(res.Problems) > 0 {
		t.Fatalf("docs %+v problems %v", res.Docs, res.Problems)
	}
	d := res.Docs[0]
	for _, want := range []string{"Waterproof shell.", "- 3 layers", "vendor: Harbor Lane", "Size M, SKU SJ-M, Price 189.00, Inventory Qty 5", "Size L, SKU SJ-L, Price 189.00, Inventory Qty 0"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("product text lacks %q:\n%s", want, d.Text)
		}
	}
	if d.ID != "storm-jacket" || d.Title != "Storm Jacket" || d.Kind != index.KindProduct || strings.Join(d.Tags, "|") != "rain|hiking" {
		t.Errorf("product = %+v", d)
	}
	if strings.Contains(res.Docs[1].Text, "Default Title") {
		t.Errorf("Shopify's placeholder option leaked: %s", res.Docs[1].Text)
	}
}

func TestMarkdown(t *testing.T) {
	res, err := ReadFile(repo(t, "deploy", "demo", "knowledge", "policies", "returns.en.md"), Options{Kind: index.KindPolicy})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Docs[0]
	if d.ID != "../../deploy/demo/knowledge/policies/returns.en.md" || d.Title != "Returns, Exchanges and Refunds" || d.Kind != index.KindPolicy || d.Lang != "en" {
		t.Fatalf("doc = %+v", d)
	}
	chunks := index.Split(&d, index.ChunkOptions{})
	var sawWindow bool
	for _, c := range chunks {
		if c.Heading == "Return window" && strings.Contains(c.Text, "- You can return most items within 30 days") {
			sawWindow = true
		}
		if strings.Contains(c.Text, "**") || strings.Contains(c.Text, "](") {
			t.Errorf("Markdown syntax left in chunk text: %q", c.Text)
		}
	}
	if !sawWindow {
		t.Fatalf("no chunk under the Return window heading: %+v", chunks)
	}

	table := read(t, "sizes.md", "# Sizes\n\n| Size | Chest |\n| --- | --- |\n| M | 96 cm |\n\n```\ncode block\n```\n\n1. first\n   - nested\n", Options{})
	blocks := table.Docs[0].Blocks
	var kinds []index.BlockKind
	for _, b := range blocks {
		kinds = append(kinds, b.Kind)
	}
	if len(blocks) != 6 || blocks[2].Text != "M | 96 cm" || blocks[3].Text != "code block" || blocks[5].Level != 2 {
		t.Fatalf("blocks = %+v", blocks)
	}
}

func TestHTMLMainText(t *testing.T) {
	page := `<!doctype html><html><head><title>Shipping | Harbor Lane</title><script>var x = "tracking";</script><style>.a{}</style></head>
<body><header><nav><a href="/">Home</a><a href="/shop">Shop</a></nav></header>
<div class="cookie-banner">We use cookies</div>
<main><h1>Shipping</h1><p>Orders ship from Reno, <b>NV</b> within 1 business day.</p>
<h2>Costs</h2><ul><li>Standard: $7.95</li><li>Free over $99</li></ul>
<table><tr><th>Zone</th><th>Days</th></tr><tr><td>West</td><td>2</td></tr></table>
<div hidden>secret draft</div><img src="x.png" alt="delivery map"></main>
<footer>© 2026 Harbor Lane · Privacy</footer></body></html>`
	res := read(t, "shipping.html", page, Options{})
	d := res.Docs[0]
	if d.Title != "Shipping" {
		t.Errorf("title = %q", d.Title)
	}
	for _, want := range []string{"Orders ship from Reno, NV within 1 business day.", "- Standard: $7.95", "Zone | Days", "West | 2", "delivery map"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, d.Text)
		}
	}
	for _, bad := range []string{"Home", "cookies", "tracking", "Privacy", "secret draft", ".a{}"} {
		if strings.Contains(d.Text, bad) {
			t.Errorf("text holds page furniture %q:\n%s", bad, d.Text)
		}
	}
}

func TestTextAndEncodings(t *testing.T) {
	res := read(t, "notes/care.txt", "Caring for your jacket\n\nWash cold.\n\nHang dry.", Options{})
	d := res.Docs[0]
	if d.Title != "Caring for your jacket" || len(d.Blocks) != 2 || d.ID != "notes/care.txt" {
		t.Fatalf("doc = %+v", d)
	}

	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("问题,答案\n怎么退货？,三十天内可以退货。\n")
	zh := read(t, "faq-gbk.csv", gbk, Options{})
	if len(zh.Docs) != 1 || zh.Docs[0].Title != "怎么退货？" || zh.Docs[0].Lang != "zh" {
		t.Fatalf("GBK CSV: %+v %v", zh.Docs, zh.Problems)
	}
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("Title\n\nBody text here.")
	if d := read(t, "u.txt", utf16, Options{}).Docs[0]; d.Title != "Title" {
		t.Fatalf("UTF-16: %+v", d)
	}
	if _, err := Read(strings.NewReader("\xff\xfe\xfd\x80\x81"), Options{Name: "bad.txt"}); err == nil {
		// UTF-16 with a BOM may decode anything; a file that is neither is refused
	}
	if _, err := Read(strings.NewReader("ok \x80\x80\x80\xff"), Options{Name: "bad.txt"}); err == nil || !strings.Contains(err.Error(), "bad.txt: the text is neither UTF-8 nor GB18030") {
		t.Fatalf("invalid bytes: %v", err)
	}
	if _, err := Read(strings.NewReader("x"), Options{Name: "file.docx"}); err == nil || !strings.Contains(err.Error(), "unknown file type") {
		t.Fatalf("unknown type: %v", err)
	}
}

func FuzzRead(f *testing.F) {
	for _, seed := range []struct{ format, content string }{
		{"jsonl", `{"id":"a","title":"t","text":"x"}`},
		{"json", `{"products":[{"sku":"A","name":"B","price":1,"variants":[{"sku":"A-1"}]}]}`},
		{"csv", "Handle,Title,Body (HTML)\nh,T,<p>x</p>\n"},
		{"md", "# T\n\n- a\n  - b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n"},
		{"html", "<main><h2>x</h2><ul><li>y</li></ul></main>"},
		{"txt", "Title\n\nBody"},
	} {
		f.Add(seed.format, []byte(seed.content))
	}
	f.Fuzz(func(t *testing.T, format string, data []byte) {
		switch format {
		case "jsonl", "json", "csv", "tsv", "md", "html", "txt":
		default:
			return
		}
		res, err := Read(strings.NewReader(string(data)), Options{Name: "fuzz." + format, Format: format})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, d := range res.Docs {
			if err := d.Validate(); err != nil {
				t.Fatalf("invalid document accepted: %v (%+v)", err, d)
			}
			index.Split(&d, index.ChunkOptions{})
		}
	})
}

func TestPDF(t *testing.T) {
	for _, tc := range []struct {
		file, title string
		want        []string
		headings    []string
	}{
		{"english.pdf", "Store Policy Manual", []string{"Customers may return any unused item within 30 days of delivery for a full refund.", "- Express shipping: 1-2 business days, $15.99 flat rate."}, []string{"1. Returns and Refunds", "3. Warranty"}},
		{"chinese.pdf", "退货与退款政策", []string{"标记为“Final Sale”的特价商品不支持退换。", "订单满99元包邮"}, []string{"一、退货条件"}},
		{"nospace.pdf", "", []string{"Free returns within 30 days."}, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res, err := ReadFile(filepath.Join("testdata", "pdf", tc.file), Options{Kind: index.KindPolicy, Name: "manuals/" + tc.file})
			if err != nil {
				t.Fatal(err)
			}
			d := res.Docs[0]
			if tc.title != "" && d.Title != tc.title {
				t.Errorf("title = %q", d.Title)
			}
			for _, w := range tc.want {
				if !strings.Contains(d.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, d.Text)
				}
			}
			var heads []string
			for _, b := range d.Blocks {
				if b.Kind == index.Heading {
					heads = append(heads, b.Text)
				}
			}
			for _, h := range tc.headings {
				if !strings.Contains(strings.Join(heads, "|"), h) {
					t.Errorf("headings %q lack %q", heads, h)
				}
			}
			if d.ID != "manuals/"+tc.file || d.Kind != index.KindPolicy {
				t.Errorf("doc = %+v", d)
			}
		})
	}
}

func TestPDFErrors(t *testing.T) {
	for file, want := range map[string]string{
		"notext.pdf":              "no text layer",
		"corrupt_trunc_half.pdf":  "cannot read this PDF",
		"corrupt_garbage.pdf":     "cannot read this PDF",
		"bomb_pagetree_cycle.pdf": "",
		"bomb_ref_loop.pdf":       "",
		"bomb_flate.pdf":          "",
	} {
		t.Run(file, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := ReadFile(filepath.Join("testdata", "pdf", file), Options{})
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil && !strings.HasPrefix(err.Error(), filepath.Join("testdata", "pdf", file)) {
					t.Fatalf("error does not name the file: %v", err)
				}
				if want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
					t.Fatalf("err = %v, want %q", err, want)
				}
				if err != nil && strings.Count(err.Error(), "\n") > 0 {
					t.Fatalf("multi-line error: %q", err)
				}
			case <-time.After(60 * time.Second):
				t.Fatal("a hostile PDF hung the reader")
			}
		})
	}
}
