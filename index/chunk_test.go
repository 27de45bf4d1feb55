package index

import (
	"github.com/shopdesk/shopdesk/lang"
	"strings"
	"testing"
	"unicode"
)

func TestSplitKeepsRecordsWhole(t *testing.T) {
	long := strings.Repeat("This answer is long on purpose. ", 60)
	for _, doc := range []Document{
		{ID: "f1", Title: "How long do I have to return?", Text: long, Kind: KindFAQ},
		{ID: "p1", Title: "Storm Shell Jacket", Text: long, Kind: KindProduct},
		{ID: "r1", Title: "Anything", Text: long, Whole: true},
	} {
		chunks := Split(&doc, ChunkOptions{MaxTokens: 50})
		if len(chunks) != 1 || chunks[0].Text != strings.TrimSpace(long) {
			t.Errorf("%s: %d chunks; a %s stays one chunk", doc.ID, len(chunks), doc.Kind)
		}
	}
	huge := Document{ID: "f2", Title: "q", Text: strings.Repeat("word ", 5000), Kind: KindFAQ}
	if n := len(Split(&huge, ChunkOptions{MaxTokens: 200})); n < 2 {
		t.Errorf("a record past WholeLimit stayed whole")
	}
}

func TestSplitFollowsStructure(t *testing.T) {
	doc := Document{ID: "returns", Title: "Returns policy", URL: "https://shop.example/returns", Kind: KindPolicy, Blocks: []Block{
		{Kind: Heading, Level: 1, Text: "Returns policy"},
		{Kind: Paragraph, Text: "We accept returns within 30 days."},
		{Kind: Heading, Level: 2, Text: "Condition"},
		{Kind: Paragraph, Text: "Items must be unworn."},
		{Kind: ListItem, Level: 1, Text: "Tags attached"},
		{Kind: ListItem, Level: 2, Text: "Original box"},
		{Kind: Heading, Level: 3, Text: "Footwear"},
		{Kind: Paragraph, Text: "Boots must be clean."},
		{Kind: Heading, Level: 2, Text: "Refunds"},
		{Kind: Paragraph, Text: "Refunds take 5 days."},
	}}
	chunks := Split(&doc, ChunkOptions{})
	want := []struct{ heading, text string }{
		{"", "We accept returns within 30 days."},
		{"Condition", "Items must be unworn.\n- Tags attached\n  - Original box"},
		{"Condition › Footwear", "Boots must be clean."},
		{"Refunds", "Refunds take 5 days."},
	}
	if len(chunks) != len(want) {
		t.Fatalf("%d chunks: %+v", len(chunks), chunks)
	}
	for i, w := range want {
		c := chunks[i]
		if c.Heading != w.heading || c.Text != w.text || c.Position != i || c.DocID != "returns" || c.Title != "Returns policy" || c.URL != doc.URL || c.Kind != KindPolicy {
			t.Errorf("chunk %d = %+v, want heading %q text %q", i, c, w.heading, w.text)
		}
	}
}

func TestSplitPacksAndOverlaps(t *testing.T) {
	var sents []string
	for i := range 40 {
		sents = append(sents, "Sentence number "+string(rune('A'+i%26))+" tells a fact.")
	}
	doc := Document{ID: "d", Title: "t", Text: strings.Join(sents, " ")}
	chunks := Split(&doc, ChunkOptions{MaxTokens: 40, OverlapTokens: 10})
	if len(chunks) < 3 {
		t.Fatalf("%d chunks", len(chunks))
	}
	for i, c := range chunks {
		if lang.Tokens(c.Text) > 40 {
			t.Errorf("chunk %d has %d tokens, over the budget", i, lang.Tokens(c.Text))
		}
		if i > 0 {
			prevLast := sentences(chunks[i-1].Text)
			last := strings.TrimSpace(prevLast[len(prevLast)-1])
			if !strings.HasPrefix(c.Text, last) {
				t.Errorf("chunk %d does not open with the end of chunk %d (%q)", i, i-1, last)
			}
		}
	}
}

func TestSplitChineseWithoutPunctuation(t *testing.T) {
	text := strings.Repeat("退货需要保持商品完好并附带原包装", 40)
	doc := Document{ID: "zh", Title: "退货", Text: text}
	chunks := Split(&doc, ChunkOptions{MaxTokens: 100, OverlapTokens: 10})
	var total int
	for _, c := range chunks {
		if n := lang.Tokens(c.Text); n > 100 {
			t.Errorf("chunk of %d tokens", n)
		}
		total += len([]rune(c.Text))
	}
	if total < len([]rune(text)) {
		t.Errorf("text lost: %d of %d runes kept", total, len([]rune(text)))
	}
}

func TestChunkKeyRoundTrip(t *testing.T) {
	c := Chunk{Tenant: "acme", DocID: "policies/returns.md?x=1 y", Gen: 42, Position: 7}
	ref, err := ParseKey(c.Key())
	if err != nil || ref != (ChunkRef{"acme", "policies/returns.md?x=1 y", 42, 7}) {
		t.Fatalf("ParseKey(%q) = %+v, %v", c.Key(), ref, err)
	}
	for _, bad := range []string{"", "a/b/c", "a/b/x/1", "a/b/1/y", "a/%zz/1/2"} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

func FuzzSplit(f *testing.F) {
	f.Add("Returns\n\nWe accept returns within 30 days. Items must be unworn!", 30, 5)
	f.Add("退货需要保持商品完好。请联系客服！Refund in 5 days.", 8, 2)
	f.Add(strings.Repeat("x", 500), 10, 3)
	f.Fuzz(func(t *testing.T, text string, budget, overlap int) {
		if budget < 4 || budget > 2000 {
			return
		}
		doc := Document{ID: "d", Title: "t", Text: text}
		chunks := Split(&doc, ChunkOptions{MaxTokens: budget, OverlapTokens: overlap})
		var all strings.Builder
		for i, c := range chunks {
			if c.Position != i {
				t.Fatalf("positions out of order")
			}
			if n := lang.Tokens(c.Text); n > budget {
				t.Fatalf("chunk %d has %d tokens over budget %d: %q", i, n, budget, c.Text)
			}
			all.WriteString(c.Text)
		}
		// Overlap repeats text, so the chunks hold at least every letter.
		if got, want := letters(all.String()), letters(text); got < want {
			t.Fatalf("chunks hold %d letters of %d", got, want)
		}
	})
}
