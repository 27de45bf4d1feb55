package eval

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := `{"id":"a","lang":"en","messages":[{"role":"user","content":"How long do I have to return an item?"}],"expect":{"sources":["faq-en-return-window"],"facts":["30 days",["Jan 31","January 31"]]}}

{"id":"b","lang":"zh","customer_id":"C007","messages":[{"role":"user","content":"我的订单到哪了？"},{"role":"assistant","content":"请提供邮箱"},{"role":"user","content":"chen.siyuan@example.cn"}],"expect":{"intent":"order_status","outcome":"action"}}
{"id":"c","lang":"en","messages":[{"role":"user","content":"What is the capital of France?"}],"expect":{"refuse":true}}
`
	items, err := Parse(strings.NewReader(good), "golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[1].CustomerID != "C007" || len(items[0].Expect.Facts[1]) != 2 || !items[2].Expect.Refuse {
		t.Fatalf("parsed %+v", items)
	}

	for _, tc := range []struct{ name, line, want string }{
		{"unknown field", `{"id":"a","lang":"en","messages":[{"role":"user","content":"x"}],"expect":{"source":["x"]}}`, `golden.jsonl:2: json: unknown field "source"`},
		{"customer in expect", `{"id":"a","lang":"en","messages":[{"role":"user","content":"x"}],"expect":{"customer_id":"C1"}}`, "beside messages"},
		{"no id", `{"lang":"en","messages":[{"role":"user","content":"x"}],"expect":{}}`, `golden.jsonl:2: id ""`},
		{"bad lang", `{"id":"x","lang":"fr","messages":[{"role":"user","content":"x"}],"expect":{}}`, `lang "fr"`},
		{"no messages", `{"id":"x","lang":"en","messages":[],"expect":{}}`, "no messages"},
		{"bad role", `{"id":"x","lang":"en","messages":[{"role":"system","content":"x"}],"expect":{}}`, `role "system"`},
		{"empty content", `{"id":"x","lang":"en","messages":[{"role":"user","content":"  "}],"expect":{}}`, "content is empty"},
		{"last not user", `{"id":"x","lang":"en","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"expect":{}}`, "last message"},
		{"fact type", `{"id":"x","lang":"en","messages":[{"role":"user","content":"a"}],"expect":{"facts":[3]}}`, "a fact is a string or a list"},
		{"empty fact", `{"id":"x","lang":"en","messages":[{"role":"user","content":"a"}],"expect":{"facts":[[]]}}`, "empty list"},
		{"blank fact", `{"id":"x","lang":"en","messages":[{"role":"user","content":"a"}],"expect":{"facts":[" "]}}`, "empty string"},
		{"refuse with facts", `{"id":"x","lang":"en","messages":[{"role":"user","content":"a"}],"expect":{"refuse":true,"facts":["x"]}}`, "no sources or facts"},
		{"bad outcome", `{"id":"x","lang":"en","messages":[{"role":"user","content":"a"}],"expect":{"outcome":"maybe"}}`, `outcome "maybe"`},
		{"bad intent", `{"id":"x","lang":"en","messages":[{"role":"user","content":"a"}],"expect":{"intent":"Order Status"}}`, `intent "Order Status"`},
		{"duplicate", `{"id":"first","lang":"en","messages":[{"role":"user","content":"a"}],"expect":{}}`, `golden.jsonl:2: id "first" is used twice`},
		{"not json", `{"id":`, "golden.jsonl:2:"},
		{"two values", `{"id":"y","lang":"en","messages":[{"role":"user","content":"a"}],"expect":{}} {}`, "more than one JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := `{"id":"first","lang":"en","messages":[{"role":"user","content":"a"}],"expect":{}}` + "\n" + tc.line + "\n"
			_, err := Parse(strings.NewReader(in), "golden.jsonl")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if _, err := Parse(strings.NewReader("\n\n"), "empty.jsonl"); err == nil || !strings.Contains(err.Error(), "empty.jsonl: no items") {
		t.Fatalf("empty set: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.jsonl")); err == nil || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Fatalf("missing file: %v", err)
	}
}

// The shipped golden sets parse, and each has the coverage the README
// promises.
func TestDemoGoldenSets(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		items, err := Load(filepath.Join("..", "..", "deploy", "demo", "eval", "golden."+lang+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if len(items) < 25 {
			t.Errorf("%s: %d items, want at least 25", lang, len(items))
		}
		count := map[string]int{}
		for _, it := range items {
			if it.Lang != lang {
				t.Errorf("%s: item %s has lang %s", lang, it.ID, it.Lang)
			}
			e := it.Expect
			switch {
			case e.Refuse:
				count["refuse"]++
			case e.Outcome == "handoff":
				count["handoff"]++
			case e.Intent != "":
				count[e.Intent]++
			case len(e.Sources) > 0:
				count["knowledge"]++
			}
		}
		for _, kind := range []string{"refuse", "handoff", "order_status", "start_return", "product_lookup", "knowledge"} {
			if count[kind] == 0 {
				t.Errorf("%s: no %s items (%v)", lang, kind, count)
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"30 Days":  "30days",
		"３０ 天":     "30天",
		"ＳＦ快递":     "sf快递",
		"a\u3000b": "ab",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`{"id":"a","lang":"en","messages":[{"role":"user","content":"hi"}],"expect":{"facts":["x",["y","z"]],"sources":["s"]}}`)
	f.Add(`{"id":"a","lang":"zh","messages":[{"role":"assistant","content":"hi"},{"role":"user","content":"好"}],"expect":{"refuse":true,"outcome":"handoff"}}`)
	f.Add("{\"id\":\"a\"}\n{\"id\":\"a\"}")
	f.Add(`{"id":"a","lang":"en","messages":[{"role":"user","content":"\xff"}],"expect":{"facts":[["\u3000"]]}}`)
	f.Fuzz(func(t *testing.T, in string) {
		items, err := Parse(strings.NewReader(in), "f.jsonl")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.jsonl:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		ids := map[string]bool{}
		for _, it := range items {
			if err := it.validate(); err != nil {
				t.Fatalf("accepted an invalid item: %v", err)
			}
			if ids[it.ID] {
				t.Fatalf("accepted id %q twice", it.ID)
			}
			ids[it.ID] = true
			if it.Messages[len(it.Messages)-1].Role != "user" {
				t.Fatal("accepted a set whose last message is not the shopper's")
			}
		}
	})
}
