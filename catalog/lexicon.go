package catalog

import (
	"regexp"
	"strings"
)

// concept is a kind of product shoppers name without its name ("the rain
// jacket", "羽绒服", "a head torch"), in the words of either language.
// A product is of a concept when its names, category or tags say one of
// the concept's forms; it is then also of the concept's parents.
type concept struct {
	id      string
	parents []string
	en, zh  []string
	// qualifier marks a concept that narrows an audience (children's
	// things): a product of it is ranked down when the message does not
	// say it.
	qualifier bool
}

// concepts is general outdoor and apparel vocabulary, not any one
// shop's names. English forms are matched as whole words after the
// message's words are singularised; Chinese forms as substrings.
var concepts = []concept{
	{id: "tent", en: []string{"tent"}, zh: []string{"帐篷"}},
	{id: "jacket", en: []string{"jacket", "coat", "outerwear"}, zh: []string{"夹克", "外套"}},
	{id: "rain-jacket", parents: []string{"jacket"}, en: []string{"rain jacket", "raincoat", "rain coat", "rain shell", "waterproof jacket", "waterproof coat"},
		zh: []string{"雨衣", "防雨夹克", "防水夹克", "防雨外套", "防水外套"}},
	{id: "shell-jacket", parents: []string{"jacket"}, en: []string{"shell jacket", "hardshell", "hard shell"}, zh: []string{"冲锋衣", "硬壳"}},
	{id: "softshell", parents: []string{"jacket"}, en: []string{"softshell", "soft shell"}, zh: []string{"软壳"}},
	{id: "down-jacket", parents: []string{"jacket"}, en: []string{"down jacket", "down coat", "puffer", "puffer jacket", "puffy", "puffy jacket"},
		zh: []string{"羽绒服", "羽绒外套", "轻羽绒", "羽绒夹克"}},
	{id: "parka", parents: []string{"jacket"}, en: []string{"parka"}, zh: []string{"派克", "大衣"}},
	{id: "fleece", en: []string{"fleece"}, zh: []string{"抓绒", "摇粒绒"}},
	{id: "sherpa", parents: []string{"fleece"}, en: []string{"sherpa", "teddy", "teddy bear", "teddy fleece", "teddy bear fleece", "teddy jacket", "teddy coat"},
		zh: []string{"羊羔绒", "泰迪绒", "羊羔毛"}},
	{id: "quarter-zip", en: []string{"quarter zip", "quarterzip", "1/4 zip", "half zip", "pullover"}, zh: []string{"半拉链", "套头衫", "套头抓绒"}},
	{id: "hoodie", en: []string{"hoodie", "hoody"}, zh: []string{"连帽衫", "卫衣"}},
	{id: "base-layer", en: []string{"base layer", "baselayer", "thermal", "thermal underwear", "long underwear"}, zh: []string{"打底", "保暖内衣"}},
	{id: "base-top", parents: []string{"base-layer"}, en: []string{"base layer top", "thermal top"}, zh: []string{"打底衣", "打底衫", "秋衣"}},
	{id: "base-bottom", parents: []string{"base-layer"}, en: []string{"base layer bottom", "long john", "thermal pant", "thermal legging", "legging"},
		zh: []string{"打底裤", "秋裤"}},
	{id: "tee", en: []string{"tee", "t-shirt", "t shirt", "tshirt"}, zh: []string{"t恤", "短袖"}},
	{id: "underwear", en: []string{"underwear", "boxer", "boxer brief", "undie", "brief"}, zh: []string{"内裤"}},
	{id: "pants", en: []string{"pant", "trouser"}, zh: []string{"裤子", "长裤", "裤"}},
	{id: "convertible-pants", parents: []string{"pants"}, en: []string{"convertible pant", "zip off pant", "zip-off pant", "zipoff pant", "zip off leg"},
		zh: []string{"两截裤", "可拆卸裤", "裤腿拆", "裤腿可拆", "拆下来变短裤", "变短裤"}},
	{id: "rain-pants", parents: []string{"pants"}, en: []string{"rain pant", "waterproof pant", "rain trouser", "overtrouser"}, zh: []string{"雨裤", "防水裤", "防雨裤"}},
	{id: "footwear", en: []string{"footwear"}, zh: []string{"鞋子", "鞋"}},
	{id: "shoe", parents: []string{"footwear"}, en: []string{"shoe", "sneaker", "trainer"}, zh: []string{"鞋子", "鞋"}},
	{id: "boot", parents: []string{"footwear"}, en: []string{"boot"}, zh: []string{"靴子", "靴"}},
	{id: "hiking-boot", parents: []string{"boot"}, en: []string{"hiking boot", "walking boot"}, zh: []string{"徒步靴", "登山靴"}},
	{id: "winter-boot", parents: []string{"boot"}, en: []string{"winter boot", "snow boot"}, zh: []string{"雪地靴"}},
	{id: "hiking-shoe", parents: []string{"shoe"}, en: []string{"hiking shoe", "walking shoe"}, zh: []string{"徒步鞋", "登山鞋"}},
	{id: "trail-runner", parents: []string{"shoe"}, en: []string{"trail runner", "trail running shoe", "running shoe", "runner"}, zh: []string{"跑鞋", "越野跑鞋"}},
	{id: "approach-shoe", parents: []string{"shoe"}, en: []string{"approach shoe"}, zh: []string{"接近鞋"}},
	{id: "sandal", parents: []string{"footwear"}, en: []string{"sandal"}, zh: []string{"凉鞋"}},
	{id: "sock", en: []string{"sock"}, zh: []string{"袜子", "袜"}},
	{id: "heavy-sock", parents: []string{"sock"}, en: []string{"heavyweight sock", "heavy sock", "thick sock", "winter sock", "over the calf sock", "over the calf", "otc sock", "expedition sock"},
		zh: []string{"厚袜子", "厚袜", "加厚袜", "过膝袜", "长筒袜", "羊毛厚袜"}},
	{id: "backpack", en: []string{"backpack", "rucksack", "pack", "backpacking pack", "bookbag", "school bag"}, zh: []string{"背包", "双肩包", "登山包", "书包"}},
	{id: "daypack", parents: []string{"backpack"}, en: []string{"daypack", "day pack"}, zh: []string{"日行背包", "小背包"}},
	{id: "sleeping-bag", en: []string{"sleeping bag", "sleepingbag", "sleep bag", "down bag", "synthetic bag", "mummy bag"}, zh: []string{"睡袋"}},
	{id: "headlamp", en: []string{"headlamp", "head lamp", "head torch", "headtorch", "headlight"}, zh: []string{"头灯"}},
	{id: "bottle", en: []string{"bottle", "water bottle", "flask", "thermos", "tumbler"}, zh: []string{"水壶", "水杯", "保温杯", "水瓶", "保温壶", "杯子", "保冷杯", "不锈钢杯", "保温瓶", "水袋"}},
	{id: "soft-flask", parents: []string{"bottle"}, en: []string{"soft flask", "water pouch", "hydration pouch", "collapsible bottle", "squeeze bottle"}, zh: []string{"软水壶", "折叠水壶", "软壶"}},
	{id: "gift-card", en: []string{"gift card", "giftcard", "e-gift card", "egift card", "gift voucher", "gift certificate"}, zh: []string{"礼品卡", "购物卡"}},
	{id: "fuel", en: []string{"fuel", "gas canister", "fuel canister", "stove gas", "camp gas", "gas"}, zh: []string{"气罐", "燃气罐", "燃料"}},
	// Kinds outdoor shops often sell: a message naming one means none of
	// a catalog without it.
	{id: "stove", en: []string{"stove", "camp stove", "backpacking stove", "burner"}, zh: []string{"炉头", "炉具", "气炉", "卡式炉"}},
	{id: "sleeping-pad", en: []string{"sleeping pad", "sleeping mat", "camping mat", "camp mat", "air mattress", "foam pad", "camp bed"},
		zh: []string{"防潮垫", "睡垫", "充气垫", "蛋巢垫"}},
	{id: "trekking-pole", en: []string{"trekking pole", "hiking pole", "walking pole", "walking stick"}, zh: []string{"登山杖", "徒步杖", "手杖"}},
	{id: "gloves", en: []string{"glove", "mitten", "mitt"}, zh: []string{"手套"}},
	{id: "hat", en: []string{"hat", "beanie", "sun hat", "baseball cap", "trucker cap", "wool cap"}, zh: []string{"帽子", "毛线帽", "遮阳帽", "渔夫帽"}},
	{id: "dry-bag", en: []string{"dry bag", "dry sack", "phone pouch", "waterproof pouch"}, zh: []string{"防水袋", "手机袋", "干袋"}},
	{id: "goggles", en: []string{"goggle", "sunglass", "sunglasses"}, zh: []string{"护目镜", "墨镜", "太阳镜", "雪镜"}},
	{id: "paddling", en: []string{"kayak", "paddle", "canoe", "paddle board", "paddleboard", "sup board", "life jacket", "life vest", "pfd"},
		zh: []string{"皮划艇", "桨板", "划桨", "救生衣"}},
	// Phrases that only look like a kind: they are read as nothing.
	{en: []string{"battery pack", "power pack", "ice pack", "value pack", "multipack", "six pack",
		"tent footprint", "rain fly", "pack cover", "rain cover", "bottle cage", "shoe polish", "boot polish", "shoe lace",
		"boot lace", "sock liner", "bear canister", "bear spray", "jacket potato", "down payment"},
		zh: []string{"帐篷地布", "帐篷地垫", "地垫", "地布", "天幕", "鞋油", "鞋带", "鞋垫", "背包客", "包邮", "包裹"}},
	{id: "kids", qualifier: true, en: []string{"kid", "child", "children", "youth", "toddler", "son", "daughter", "boy", "girl"},
		zh: []string{"儿童", "小孩", "孩子", "童装", "宝宝", "小朋友", "童", "娃穿", "给娃", "我家娃", "小娃", "儿子", "女儿", "闺女"}},
}

// otherBrands are outdoor and apparel brands a shopper may name, and
// words that say "another brand". A kind named next to one the catalog
// does not carry is none of its products ("Arc'teryx jackets",
// "北面的羽绒服"); a product named by its own name still is. English
// forms are whole words (singular), Chinese ones substrings. Brands that
// are also names of people or places (Columbia, Gregory) or everyday
// phrases are left out.
var otherBrands = []string{
	"patagonia", "north face", "northface", "arc'teryx", "arcteryx", "salomon", "merrell", "hoka",
	"altra", "mammut", "osprey", "deuter", "petzl", "msr", "jetboil", "big agnes",
	"therm-a-rest", "thermarest", "rei", "decathlon", "quechua", "uniqlo", "nike", "adidas", "canada goose", "marmot",
	"mountain hardwear", "outdoor research", "fjallraven", "fjällräven", "smartwool", "icebreaker",
	"hydro flask", "hydroflask", "nalgene", "camelbak", "timberland", "lowa", "scarpa", "la sportiva", "vasque",
	"helly hansen", "berghaus", "jack wolfskin", "montbell", "sea to summit",
	// What says so without a name.
	"other brand", "another brand", "different brand", "other make", "other company", "其他品牌", "别的品牌", "其他牌子", "别的牌子",
	"北面", "始祖鸟", "哥伦比亚", "萨洛蒙", "迈乐", "猛犸象", "凯乐石", "探路者", "骆驼牌", "迪卡侬", "优衣库", "耐克",
	"阿迪达斯", "阿迪", "加拿大鹅", "狼爪", "伯希和", "骆驼的", "土拨鼠", "奥索卡", "添柏岚", "大黄靴", "波司登",
	"李宁", "安踏", "特步", "牧高笛", "火枫", "挪客", "蛇牌", "骆驼",
	// Other places to buy: a kind bought there is not the shop's.
	"amazon", "ebay", "aliexpress", "temu", "shein", "walmart", "costco", "taobao",
	"淘宝", "天猫", "京东", "拼多多", "闲鱼", "亚马逊", "抖音", "某宝", "某东", "1688",
}

// everydayNames are everyday words that outdoor products are named with
// ("Storm Shell", "Beacon 400", "灯塔400流明充电头灯"): one alone, used as
// a word, names no product.
var everydayNames = setOf(`storm beacon layer glow drift ember summit ridge harbor harbour cove canyon tide coast
trail basecamp expedition explorer puddle campfire alpine switchback grid crew quarter shell wave peak river
forest sky star sun moon rock stone wind thunder fog mist frost snow ice bear wolf fox eagle hawk pine cedar oak
maple birch lake island valley meadow horizon compass anchor lantern spark flame blaze glacier
灯塔 漂流 风暴 微光 港湾 海湾 峡谷 高山 小径 山脊 篝火 探险 大本营 登顶 雪松 浮木 海岸 水坑 格纹`)

// variantWritings are common other writings of product words, in
// traditional characters or misspelt, rewritten before a text is read.
var variantWritings = strings.NewReplacer(
	"帐蓬", "帐篷", "冲峰", "冲锋", "美丽奴", "美利奴", "羽绒衣", "羽绒服", "沖鋒", "冲锋",
	"頂", "顶", "貨", "货", "夾", "夹", "帳", "帐", "襪", "袜", "褲", "裤", "燈", "灯", "壺", "壶",
	"絨", "绒", "鋒", "锋", "兒", "儿", "價", "价", "錢", "钱", "顏", "颜", "綠", "绿", "藍", "蓝",
	"紅", "红", "黃", "黄", "號", "号", "碼", "码", "頭", "头", "電", "电", "禮", "礼",
	"揹", "背", "長", "长", "雙", "双", "營", "营",
)

// headCounts are how many people a tent sleeps, written as tents' names
// write them; they are rewritten only in a text about tents ("两个人去徒步"
// is not a tent).
var headCounts = strings.NewReplacer(
	"一个人", "单人", "两个人", "双人", "两人", "双人", "2人", "双人", "三个人", "三人", "3人", "三人", "四个人", "四人", "4人", "四人",
	"五个人", "五人", "六个人", "六人", "一家三口", "三人家庭", "一家四口", "四人家庭",
)

// numberWords are English number words read as digits ("a two person
// tent").
var numberWords = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
	"seven": "7", "eight": "8", "nine": "9", "ten": "10", "single": "1", "double": "2"}

// IsStopWord reports whether w (a lower-case word) carries nothing about
// which product is meant, such as "can", "the" or "price".
func IsStopWord(w string) bool { return stopWords[w] }

// stopWords carry nothing about which product is meant: they are not
// read at all.
var stopWords = setOf(`a an the this that these those it its it's is are was were be been am do does did done
have has had having i me my mine we our us you your yours u ur he she they them their his her
and or but if so to of in on at by for with from as into about than then there here what which who whom
whose when where why how can could would should will shall may might must not no yes ok okay please pls
thanks thank hi hello hey any some all one ones thing things stuff item items product products
also just still again too very really much many more most less lot lots get got give want wanna need
like looking look see tell know let make sure ask asking question available availability stock
price cost costs priced how's what's whats i'm im i'd id i've ive don't dont doesn't isn't aren't
can't cant won't wont didn't didnt wasn't wasnt couldn't couldnt wouldn't wouldnt shouldn't shouldnt
size sizes sized color colors colour colours`)

// commonWords are everyday words, English and Chinese, and the words of
// what a product is like rather than which it is ("waterproof", "户外",
// "速干"). They count when they are part
// of a product's name, but one alone never makes a mention, and a
// misspelt word is never corrected into one: "store" is not "Storm",
// "my card was declined" is not about the gift card.
var commonWords = setOf(`order orders ordered ship shipping shipped shipment delivery deliver delivered package parcel
return returns returned refund refunds exchange exchanged cancel cancelled cancellation invoice receipt
address account password login email phone number code coupon discount sale sales deal offer
pay paid payment card credit debit paypal charge charged charges bill billing money cash
store shop shops online website site app call talk speak someone somebody person human agent manager
help support service customer team policy policies time times day days week weeks month months year
long short fast slow soon today tomorrow yesterday late early new old good great best better bad worse
big small large little tall wide narrow heavy light warm cold hot cool dry wet soft hard top bottom
name names family friend friends gift gifts digital plus pro max mini ultra classic original standard
home house work office travel trip city country world open close closed hours opening weather
down up out over under off back front side left right inside outside high low mid middle
first last next other another same different own free extra pair set kit case box bag bags
man men woman women lady ladies boy girl kids kid baby child children youth adult adults unisex
water fire air sun rain snow wind ice night day morning evening summer winter spring autumn fall
red blue green black white grey gray brown pink purple orange yellow navy silver gold
use used using wear wearing wash washing fit fits fitting run runs running walk walking hike hiking
go going come coming take taking put keep keeps find found buy bought buying sell selling sold
try trying change changed check checking track tracking wait waiting arrive arrived arrival
reset update sign register member membership point points reward rewards
international internationally overseas abroad canada seattle australia china usa uk europe
possible problem problems issue issues wrong broken damaged missing late full fill half empty
waterproof water-resistant windproof breathable insulated lightweight ultralight packable rechargeable
synthetic heavyweight midweight convertible quick quickdry durable comfortable cheap expensive clearance
户外 徒步 登山 爬山 露营 野营 旅行 旅游 出差 通勤 日常 防水 防雨 防风 保暖 保温 速干 透气 轻便 轻薄 轻量
加厚 耐磨 舒服 便宜 清仓 特价 男款 女款 新款 款式 男士 女士 夏天 冬天 春秋 秋冬 冬季 夏季
拉链 口袋 帽檐 袖子 鞋底 面料 颜色 尺码 价格
zip zips zipper zippers hood hoods pocket pockets seam seams sleeve sleeves collar cuff cuffs strap straps lid hem lining
show shows boat boats book books tend rent sent went spent past lock locks rock rocks sick soak`)

func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

var (
	// pointsBack are words that point back at the product being discussed.
	pointsBack = regexp.MustCompile(`\b(it|its|this|that|these|those|them|they|the same)\b|它|这个|那个|这件|那件|这款|那款|这双|那双|这顶|那顶|这只|那只|这条|那条|这把|那把|这种|那种|这些|那些|该商品|该款|这东西`)
	// asksAttribute are questions about a product's price, stock,
	// colours, sizes or make.
	asksAttribute = regexp.MustCompile(`\b(how much|price|cost|in stock|available|availability|come in|comes in|warranty|made of|material|weigh|weight|waterproof|warm|colou?rs?|sizes?|fit|run small|run large|what about)\b|多少钱|价格|价钱|有货|库存|颜色|尺码|码|保修|材质|多重|重量|防水|保暖|什么色|还有吗|有吗|偏小|偏大|合脚|合身`)
	// asksPrice and asksWarranty are the facets a question about a kind
	// can be answered with for each of its products (Match.Asks).
	asksPrice    = regexp.MustCompile(`\b(how much|prices?|costs?|pricing)\b|多少钱|价格|价钱|几块钱|什么价`)
	asksWarranty = regexp.MustCompile(`\b(warrant(?:y|ies|ied)|guarantee[sd]?)\b|保修|质保|保固`)
	// aboutOther are the topics of messages that are not about a product
	// even when one is being discussed.
	aboutOther = regexp.MustCompile(`\b(ship|ships|shipping|shipped|deliver|delivery|delivered|order|orders|refund|return|returns|invoice|address|password|account|payment|pay|paypal|store|human|agent|someone|somebody|person|manager|complain|complaint)\b|运费|发货|快递|物流|退货|退款|订单|发票|地址|密码|账号|支付|人工|客服|投诉`)
	// asksPolicy are questions about returns and exchanges, which about
	// a bare kind ("can I return boots I've worn?", "鞋子能七天无理由退吗")
	// are about the shop's policy, not a product.
	asksPolicy = regexp.MustCompile(`\b(return|returns|returned|returning|returnable|refund|refunds|refundable|exchange|exchanges|exchanged)\b|\b(send|take|bring) (it |them )?back\b|退货|退换|换货|退款|无理由|能退吗|能退货|能退款|能退换|能不能退|可以退|可退|包退|退吗|换码|换尺码|换个码`)
	// asksStore asks about a shop to walk into: a bare kind in it ("a
	// physical store where I could try on boots") names no product.
	// Only the shop itself: "my local store is out of headlamps" and
	// "门店有羽绒服吗" still ask about a product.
	asksStore = regexp.MustCompile(`\b(have|got|is there|are there|any|where is|where's|where are|visit|open) (a |an |your |any )?(physical|retail|brick and mortar|bricks and mortar) (store|shop|location)s?\b|\bshowrooms?\b|\btry (it |them |one |some |\w+ )?on in (the |your |a )?(store|shop)\b|(有|开)(没有)?(线下|实体)(门店|店)|线下门店|实体店在|门店在哪|有门店吗|有没有门店`)
	// dummyIt is "it" that points at nothing: "is it possible", "it's been".
	dummyIt = regexp.MustCompile(`\b(is|was|will) it (possible|ok|okay|true|normal|too late|free)\b|\bit(?:'s| is| has) been\b`)
)
