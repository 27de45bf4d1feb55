package catalog

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/commerce"
)

func TestMatch(t *testing.T) {
	snap := demoSnapshot(t)
	for _, c := range []struct {
		msg, current string
		want         string // SKU, "" for no product
		via          Via
		ambiguous    bool
		alts         []string
	}{
		{msg: "Is the Cove tent still available?", want: "HL-TNT-001", via: ViaName},
		{msg: "羽绒服多少钱", want: "HL-JKT-002", via: ViaKind},
		{msg: "Is hl-jkt-001-blk-m in stock?", want: "HL-JKT-001", via: ViaSKU},
		{msg: "ridgline down jaket price", want: "HL-JKT-002", via: ViaName},
		// Kinds several products share: the likeliest, and the others to ask about.
		{msg: "Do you have the rain jacket in green?", want: "HL-JKT-005", via: ViaKind, ambiguous: true, alts: []string{"HL-JKT-001", "HL-KID-001"}},
		{msg: "头灯多少钱", want: "HL-HLM-001", via: ViaKind, ambiguous: true, alts: []string{"HL-HLM-002"}},
		// A colour only one of them has decides.
		{msg: "抓绒衣有橙色的吗", want: "HL-FLC-001", via: ViaKind},
		// The conversation's product: pointed back at, asked about alone,
		// or the one of a kind being discussed.
		{msg: "do you have it in black?", current: "Storm Shell Waterproof Jacket", want: "HL-JKT-001", via: ViaConversation},
		{msg: "有绿色吗", current: "HL-BPK-001", want: "HL-BPK-001", via: ViaConversation},
		{msg: "is the headlamp waterproof?", current: "Glow 200 Headlamp", want: "HL-HLM-002", via: ViaKind},
		{msg: "Actually, is the Basecamp one bigger?", current: "Cove 2 Backpacking Tent", want: "HL-TNT-002", via: ViaName},
		// No product.
		{msg: "How long is shipping?"},
		{msg: "do you ship to Canada", current: "Cove 2 Backpacking Tent"},
		{msg: "I want to talk to someone"},
		{msg: "Does Harbor Lane ship internationally?"},
		{msg: "my card was declined"},
		{msg: "Do you have a store in Seattle?"}, // "store" is not a misspelt "Storm"
		{msg: "I paid 200 for it"},               // a number alone
		{msg: "is it possible to get an invoice?", current: "Cove 2 Backpacking Tent"},
		{msg: ""},
	} {
		m := snap.Match(c.msg, c.current)
		if m.Found != (c.want != "") || m.Product.SKU != c.want && c.want != "" {
			t.Errorf("Match(%q, %q) = %s (found %v), want %q", c.msg, c.current, m.Product.SKU, m.Found, c.want)
			continue
		}
		if !m.Found {
			continue
		}
		var alts []string
		for _, p := range m.Alternatives {
			alts = append(alts, p.SKU)
		}
		if m.Via != c.via || m.Ambiguous != c.ambiguous || !slices.Equal(alts, c.alts) {
			t.Errorf("Match(%q) via %s, ambiguous %v, alternatives %v; want %s, %v, %v", c.msg, m.Via, m.Ambiguous, alts, c.via, c.ambiguous, c.alts)
		}
		if m.Confidence <= 0 || m.Confidence > 1 || m.Ambiguous && m.Confidence > 0.5 {
			t.Errorf("Match(%q) confidence %.2f", c.msg, m.Confidence)
		}
	}
}

func TestMatchConstraint(t *testing.T) {
	snap := demoSnapshot(t)
	m := snap.Match("Do you have the Ridgeline 800 Down Jacket in red size M?", "")
	if m.Constraint.Color != "red" || !slices.Equal(m.Constraint.Size.Letters, []string{"M"}) {
		t.Fatalf("constraint %+v", m.Constraint)
	}
	vs := Matching(m.Product, m.Constraint, commerce.Variant{})
	if len(vs) != 1 || vs[0].SKU != "HL-JKT-002-RED-M" || vs[0].Stock != 0 {
		t.Errorf("red M of the down jacket: %+v (it is out of stock)", vs)
	}
	m = snap.Match("Is HL-BOT-001-BRN-M10 in stock?", "")
	if m.Variant.SKU != "HL-BOT-001-BRN-M10" || m.Constraint.Color != "brown" || m.Constraint.Size.Number != 10 {
		t.Errorf("a variant SKU's own colour and size: %+v %+v", m.Variant, m.Constraint)
	}
}

func TestMatchEmptyCatalog(t *testing.T) {
	for _, snap := range []*Snapshot{New(nil), New([]commerce.Product{{SKU: "X-1"}})} {
		if m := snap.Match("do you have the rain jacket in green?", "X-1"); m.Found && m.Via != ViaConversation {
			t.Errorf("%d products: %+v", snap.Len(), m)
		}
	}
}

// FuzzResolve checks that Match never panics and returns a product of
// the catalog, with a confidence in [0, 1], whatever the message.
func FuzzResolve(f *testing.F) {
	snap := demoSnapshot(f)
	for _, s := range []string{"Is the Cove tent still available?", "羽绒服多少钱", "大一码 EU 42 女款", "hl-jkt-001-blk-m",
		"\xff\xfe 绿", "it", "ＳＫＵ－１２３", "tnet tnet tnet", "'s's'", "3-pack 55l 20°f", "北面北面的羽绒服", "not not the kids North Face",
		"JKT-003-", "-JKT-003", "What about the Tidewind?", "不是给孩子的儿童", "can I return the"} {
		f.Add(s, "")
		f.Add(s, "Cove 2 Backpacking Tent")
	}
	f.Fuzz(func(t *testing.T, msg, current string) {
		m := snap.Match(msg, current)
		if m.Found && !snap.Has(m.Product.SKU) {
			t.Fatalf("Match(%q) returned %q, not in the catalog", msg, m.Product.SKU)
		}
		if m.Confidence < 0 || m.Confidence > 1 {
			t.Fatalf("Match(%q) confidence %v", msg, m.Confidence)
		}
		if len(m.Alternatives) > maxAlternatives || m.Ambiguous != (len(m.Alternatives) > 0) {
			t.Fatalf("Match(%q): ambiguous %v with %d alternatives", msg, m.Ambiguous, len(m.Alternatives))
		}
		if utf8.ValidString(msg) {
			ReadConstraint(msg)
		}
	})
}

// TestMatchLargeCatalog: among 20,000 products whose names share their
// words, the one a message names by its number, whole name or Chinese
// name is found, and a kind alone is asked about.
func TestMatchLargeCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20,000-product index")
	}
	snap := bigCatalog(t)
	for _, c := range []struct {
		msg, want string
		ambiguous bool
	}{
		{"Do you have the " + bigName(12345) + " in stock?", "P-12345", false},
		{"is the " + bigWords[1][12345/15%15] + " 12345 waterproof", "P-12345", false},
		{"港湾小径777号商品有货吗", "P-00777", false},
		{"how much is the warm jacket", "", true},
		{"How long is shipping?", "", false},
	} {
		m := snap.Match(c.msg, "")
		switch {
		case c.want != "" && m.Product.SKU != c.want:
			t.Errorf("%q: %s (found %v), want %s", c.msg, m.Product.SKU, m.Found, c.want)
		case c.ambiguous != m.Ambiguous:
			t.Errorf("%q: ambiguous %v, want %v", c.msg, m.Ambiguous, c.ambiguous)
		case c.want == "" && !c.ambiguous && m.Found:
			t.Errorf("%q: found %s, want none", c.msg, m.Product.SKU)
		}
	}
}

// TestMatchNotOurs covers the readings that keep a kind from naming one
// of the shop's products, and the ones that must still name it.
func TestMatchNotOurs(t *testing.T) {
	snap := demoSnapshot(t)
	for _, c := range []struct {
		msg, current, want string
	}{
		{"Is my North Face down jacket warmer than yours?", "", ""},
		// Bought elsewhere, or said not to be the shop's.
		{"the tent I bought at REI leaks at the seams", "", ""},
		{"got my rain jacket from Amazon, how do I reproof it?", "", ""},
		{"在迪卡侬买的帐篷杆子断了", "", ""},
		{"淘宝买的冲锋衣怎么洗", "", ""},
		{"家里的睡袋是十年前买的（不是你家的），拉链坏了能修吗", "", ""},
		{"抓绒衣起球吗 之前买的别家的穿两次就起球了", "", "HL-FLC-001"},
		{"I'm heading to Decathlon, is your tent cheaper?", "", "HL-TNT-001"},
		// A shop to walk into, a pack of things, a summit of a mountain.
		{"Do you have a physical store in Seattle where I could try on boots?", "", ""},
		{"你们有线下门店吗 想去试鞋", "", ""},
		{"is the Summit boot in stock in your store?", "", "HL-BOT-001"},
		{"The summit of Rainier is calling, wish me luck lol", "", ""},
		// Children by age; not a thing's age.
		{"velcro hiking boots so my 6 year old can put them on by himself", "", "HL-KID-002"},
		{"my 2 year old boots are falling apart, do you sell new ones?", "", "HL-BOT-001"},
		// Readings a review found wrong in the first version.
		{"my 65 year old dad needs a warm jacket", "", "HL-JKT-002"},
		{"a down jacket for a 40 year old man", "", "HL-JKT-002"},
		{"my 9 year old needs a rain jacket", "", "HL-KID-001"},
		{"其他店员说帐篷有货", "", "HL-TNT-001"},
		{"这个帐篷是不是你们的", "", "HL-TNT-001"},
		{"冲锋衣湿了不是你们的问题 是我没拉好拉链", "", "HL-JKT-001"},
		{"I ordered the headlamp two weeks ago but I didn't get it from you yet", "", "HL-HLM-001"},
		{"I saw the down jacket cheaper at another store, can you price match?", "", "HL-JKT-002"},
		{"the down jacket isn't from you, how do I wash it?", "", ""},
		{"my local store is out of headlamps, can you ship one?", "", "HL-HLM-001"},
		{"门店有羽绒服吗", "", "HL-JKT-002"},
		{"我要 tts", "", ""},
		// A kind not sold, asked for first: the others say what it is for.
		{"Do you sell a stove that works with those gas canisters?", "", ""},
		{"my stove won't light with your gas canister", "", "HL-CMP-001"},
		{"有没有炉头 配气罐用的", "", ""},
		{"气罐有吗 我有炉头", "", "HL-CMP-001"},
		{"我有个炉头，你们的气罐能用吗", "", "HL-CMP-001"},
		{"I have a stove, do your gas canisters fit it?", "", "HL-CMP-001"},
		// Kinds in pinyin.
		{"yrf有红色的吗", "", "HL-JKT-002"},
		{"chongfengyi防水吗", "", "HL-JKT-001"},
		{"北面的羽绒服你们能修吗", "", ""},
		{"do you sell down jackets from other brands?", "", ""},
		{"does the Ridgeline beat my North Face?", "", "HL-JKT-002"},
		{"does the squishy flask fit in a Salomon vest pocket?", "", "HL-BTL-002"},
		{"do you sell camp stoves?", "", ""},
		{"有手套卖吗 保暖防水的", "", ""},
		{"any waterproof stuff?", "", ""},
		{"JKT-003 restock date?", "", "HL-JKT-003"},
		{"is JKT-003-BLK-M in stock", "", "HL-JKT-003"},
		{"can I return boots I've worn outside?", "", ""},
		{"鞋子能七天无理由退吗", "", ""},
		{"can I return the rain pants if they don't fit?", "", "HL-PNT-002"},
		{"hiking boots for my daughter, purple", "", "HL-KID-002"},
		{"what about the Tidewind, would that do?", "HL-JKT-001", "HL-JKT-004"},
		{"那个四个人住的帐篷多重", "", "HL-TNT-002"},
		{"jkt005 还有货吗", "", "HL-JKT-005"},
		{"一家四口住的帐篷有吗", "", "HL-TNT-002"},
		{"两人帐篷多重", "", "HL-TNT-001"},
		{"I usually wear Salomon shoes in 9, what size in your trail runners?", "", "HL-TRS-001"},
		{"北面的羽绒服太贵了，有便宜点的羽绒服吗", "", "HL-JKT-002"},
		{"你们的冲锋衣是北面的吗", "", "HL-JKT-001"},
		{"what size in your trail runners? I wear Salomon in 9", "", "HL-TRS-001"},
		{"I like Salomon a lot. Do you sell Salomon shoes?", "", ""},
		{"There's a big storm forecast here Thursday. Will that delay my delivery?", "", ""},
		{"I'm a beacon of patience but this order is two weeks late", "", ""},
		{"你们logo是个灯塔吗 还挺好看", "", ""},
		{"我的快递跟漂流瓶似的 十天了还在路上", "", ""},
		{"is the beacon rechargeable?", "", "HL-HLM-001"},
		{"how long does the Beacon last on high?", "", "HL-HLM-001"},
		{"登顶 男款US9 有货不", "", "HL-BOT-001"},
		{"Do you ship to PO boxes?", "", ""},
		{"hlhlm001充满要多久", "", "HL-HLM-001"},
		{"Does the gas canister fit a Jetboil?", "", "HL-CMP-001"},
		{"Do you sell kayaks? Or paddles?", "", ""},
		{"I forgot my password and the reset email never shows up", "", ""},
		{"do you carry sleeping pads? my back can't take the bare ground anymore", "", ""},
		{"帽子能套头盔的那件硬壳，洗了还防水吗", "", "HL-JKT-001"},
		{"潮线偏小吗？我平时穿42", "", "HL-TRS-001"},
		{"算了这个有点贵 微光那个怎么样", "HL-HLM-001", "HL-HLM-002"},
		{"how do I wash my old North Face down jacket?", "", ""},
		{"北面1996羽绒服你们有卖吗", "", ""},
		{"羽绒服是北面的吗", "", ""},
		{"the headlamp that charges over usb-c, how long does a full charge take?", "", "HL-HLM-001"},
		{"If I wore a jacket once, can I still send it back?", "", ""},
	} {
		m := snap.Match(c.msg, c.current)
		got := ""
		if m.Found {
			got = m.Product.SKU
		}
		if got != c.want {
			t.Errorf("%q (current %q): got %q (%s), want %q", c.msg, c.current, got, m.Via, c.want)
		}
	}
	// Readings that must still find a product (or a kind) of the shop's.
	for _, msg := range []string{
		"Hi, I'm Gregory, looking for a 2 person tent",
		"I'm in British Columbia, do you have rain jackets?",
		"is your down jacket warmer than a Canada Goose?",
		"I want a rain jacket like my old Patagonia one",
		"Why is your rain jacket more expensive than other brands?",
		"a darn tough wind up there, which jacket?",
		"帐篷放在北面还是南面",
		"头灯的电池能换吗？",
		"羽绒服保暖性能退化了吗",
		"heading to Patagonia, boots or trail runners?",
		"下个月去哥伦比亚 徒步鞋推荐哪双",
		"my son loves Osprey, which daypack for him?",
		"does the rain jacket have a hood?",
		"北面的冲锋衣和你们的冲锋衣哪个好",
	} {
		if m := snap.Match(msg, ""); !m.Found {
			t.Errorf("%q: no product", msg)
		}
	}
	for _, c := range []struct{ msg, not string }{
		{"我们两个人去徒步，背包选哪个", "HL-TNT-001"},
		{"一家四口的睡袋怎么选", "HL-TNT-002"},
		{"娃娃领的外套有吗", "HL-KID-001"},
		{"do you have convertible mittens?", "HL-PNT-003"},
		{"does the rain jacket have a hood?", "HL-FLC-001"},
		{"which boots grip best?", "HL-FLC-001"},
		{"the boxer briefs, do they ride up on long hiking days?", "HL-BOT-001"},
		{"the 3-layer one with pit zips and the helmet-compatible hood, are all the seams taped?", "HL-FLC-003"},
	} {
		if m := snap.Match(c.msg, ""); m.Found && m.Product.SKU == c.not {
			t.Errorf("%q: read as %s", c.msg, c.not)
		}
	}
	// Children turned down: an adult bag, whichever of the two.
	if m := snap.Match("is the sleeping bag machine washable? it's for me, not the kids", ""); !m.Found || m.Product.SKU == "HL-KID-003" {
		t.Errorf("not the kids: got %s (found %v)", m.Product.SKU, m.Found)
	}
}
