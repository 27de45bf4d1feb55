package handoff

import (
	"regexp"
	"slices"
	"strings"
)

// The words and phrases Detect looks for. English patterns use the
// syntax of pat: "|" separates alternatives, a trailing * matches a
// prefix, "~" skips up to four words.

// riskTopics in order of precedence; guarded topics ignore hypothetical
// clauses.
var riskTopics = []struct {
	topic   string
	guarded bool
	en      []pattern
	zh      []zhPhrase
}{
	{TopicSafety, true, pats(
		"injur*",
		"got|get|gets|was|were|been|is|badly|seriously hurt",
		"hurt himself|herself|myself|themselves|ourselves",
		"got|get|gets|was|were|been burn*|burnt",
		"burned|burnt|scalded my|his|her|their|our|me|him|us",
		"caught|catch|catches|catching fire|alight|flames",
		"on fire", "burst into flames", "set fire",
		"explod*", "blew up",
		"smoking", "smoke came|coming|pouring|everywhere", "smell*|smelt smoke|burning", "burning smell",
		"spark*",
		"electric shock*", "shocked me|him|her|us", "got|get shocked", "got|get a|an shock", "electrocut*",
		"allergic reaction*", "broke|break out in", "rash", "hives", "swollen", "swelling", "anaphyla*",
		"hospital*", "emergency room", "see|saw|seeing a|the doctor", "to the|a doctor",
		"choked", "choking",
		"bleed*", "blood",
		"cut her|his|my|their|our finger*|hand*|foot|feet|leg*|arm*|face|lip*",
		"cut himself|herself|myself|themselves",
		"poison*",
		"made|make|makes ~ sick|ill", "got|get|getting sick", "fell ill",
		"vomit*", "threw up", "throwing up", "diarrh*",
		"overheat*", "safety hazard", "fire hazard",
		"swallow*", "ingest*", "ambulance", "a&e", "concussion", "stitches", "scald*", "a burn|burns on",
		"broke|broken his|her|my|their arm|leg|wrist|nose|tooth",
	), zhs(
		"受伤", "伤到", "弄伤", "划伤", "割伤", "烫伤", "烧伤", "砸伤", "摔伤", "夹伤", "咬伤",
		"起火", "着火", "失火", "自燃", "冒烟", "冒火", "火花", "烧焦", "爆炸|爆炸款", "炸了|心态炸了",
		"烧化", "误食", "误吞", "吞了", "吞下", "在医院", "看医生", "就医", "救护车", "红疹", "疹子", "皮疹",
		"发炎", "溃烂", "灼伤", "擦伤", "骨折", "晕倒", "呼吸困难", "窒息",
		"漏电|防漏电", "触电", "电到", "被电",
		"过敏了", "过敏反应", "引起过敏", "导致过敏", "起疹子", "起红疹", "红肿",
		"住院", "去医院", "进医院", "送医", "急诊", "流血", "出血",
		"中毒", "拉肚子", "腹泻", "呕吐", "噎住", "卡喉咙", "有毒", "甲醛超标",
	)},
	{TopicLegal, false, pats(
		"my|our lawyer*|attorney*|solicitor*",
		"get|getting|hire|hiring|contact|contacting|call|calling|consult|consulting|involve|involving a|an|my lawyer*|attorney*|solicitor*",
		"lawyer up",
		"i'll|i|we|we'll|will|to|gonna|and|or|would|shall sue|suing",
		"sue you|your|the",
		"lawsuit*", "legal action|proceedings|steps",
		"take|taking|taken you|this|it to court",
		"see you in court", "small claims", "class action",
		"report you|your",
		"consumer protection|rights",
		"trading standards", "attorney general", "ftc", "bbb", "better business bureau",
		"police", "the authorities",
	), zhs(
		"律师|律师事务所", "起诉", "法院", "诉讼", "打官司", "告你", "告到", "法律途径", "法律手段", "法律责任",
		"12315", "消费者协会", "消协", "工商局", "市场监管", "维权",
		"报警", "警察", "法律",
	)},
	{TopicChargeback, false, pats(
		"chargeback*", "charge back", "charging back",
		"dispute|disputing|disputed the|this|that|a|my charge|charges|payment|transaction",
		"dispute|disputes|disputing|disputed with|through paypal|my|the bank|card|credit|visa|mastercard|amex",
		"open*|file*|filing|raise*|start* a|an dispute",
		"paypal claim|dispute",
		"call|calling|contact|contacting|tell|telling|phone|phoning my bank",
		"credit card company|issuer", "card issuer", "card company",
		"reverse|reversing|reversed the|this|that charge|payment|transaction",
		"unauthori*|unauthorised charge*|transaction*|payment*",
		"didn't|never authori*", "did not authori*",
		"fraudulent charge*|transaction*", "stolen card", "card was|got|is stolen",
		"used|using|charged my card|account ~ without",
	), zhs(
		"拒付", "拒绝付款", "信用卡争议", "发起争议", "提起争议", "提出争议", "银行争议",
		"盗刷", "撤销交易", "撤销付款", "撤回付款", "追回款", "找银行", "联系银行", "打电话给银行",
		"向银行", "信用卡公司", "发卡行", "未经授权", "未经我授权",
		"信用卡中心", "盗用", "不是我本人", "没有授权", "没授权",
	)},
}

// zhRequest are Chinese ways of asking for a person.
var zhRequest = zhs(
	"转人工", "人工客服", "人工服务", "找人工", "要人工", "接人工", "人工呢", "人工在吗", "人工在不在",
	"真人客服", "找真人", "要真人", "找个真人", "和真人", "跟真人", "真人说", "真人聊",
	"叫你们经理", "找你们经理", "找经理", "叫经理", "你们经理", "找你们领导", "找领导", "叫领导", "你们领导",
	"负责人", "你们主管", "找主管", "你们店长", "找店长", "你们老板", "找老板", "工作人员联系",
	"转一下人工", "转个人工", "转到人工", "转给人工", "转接人工", "帮我转人工", "有人工|有人工合成|有人工智能|有人工皮|有人工费", "有没有人工|有没有人工合成|有没有人工智能|有没有人工皮|有没有人工费",
	"客服主管", "叫主管", "我要找人", "我想找人", "找个人跟我", "找活人", "要活人",
	"不要机器人", "别用机器人", "不想跟机器人", "不想和机器人", "受够了机器人", "机器人别",
)

// zhPersons are the Chinese words for a person to talk to, with the
// compounds in which they are not one.
var zhPersons = zhs(
	"人工|人工合成|人工智能|人工皮|人工革|人工费|人工成本|人工草|人工湖|人工宝石|人工钻",
	"真人|真人秀|真人版|真人尺寸", "客服", "活人",
)

// enRequest are English requests for a person that are not a verb and a
// person: turning down the bot, asking for a call.
var enRequest = pats(
	"don't|dont|doesn't|not want|wanna|need|like ~ bot|bots|robot|robots|chatbot|machine|ai",
	"stop|enough|quit ~ bot|bots|robot|robots|chatbot",
	"no more bot|bots|robot|robots|chatbot",
	"tired|sick of ~ bot|bots|robot|robots|chatbot",
	"call|ring|phone me|us",
)

// Words of the English request rules.
var (
	// strongVerbs ask for whatever follows ("need a human"); with them only
	// a strong target counts, so "need someone to fix it" is not a request.
	strongVerbs = []string{"want", "need", "get", "give", "prefer", "request", "send"}
	// talkVerbs are ways of reaching a person; "someone" counts after them.
	talkVerbs     = []string{"talk", "speak", "chat", "connect", "transfer", "put", "forward", "escalate", "reach", "contact"}
	strongTargets = []string{"human", "humans", "person", "people", "agent", "agents", "representative", "representatives", "rep", "manager", "supervisor", "operator", "staff", "employee", "boss"}
	weakTargets   = []string{"someone", "somebody", "anyone", "anybody"}
	// shortTargets alone make a request in a clause of up to three words
	// ("Agent", "human please"); "nice people" does not.
	shortTargets = []string{"human", "humans", "person", "agent", "representative", "operator", "manager", "supervisor"}
	fillers      = []string{"to", "with", "a", "an", "the", "your", "some", "one", "of", "me", "us", "through", "real", "live", "actual", "customer", "service", "support", "care", "please", "pls", "directly", "now", "immediately", "right", "away", "another", "different", "proper", "living", "breathing", "in", "this", "over"}
	// compoundHeads follow a target word used as a modifier ("human hair").
	compoundHeads   = []string{"size", "sized", "hair", "readable", "resources", "rights", "body", "error", "made"}
	requestNegators = []string{"don't", "dont", "not", "no", "never", "doesn't", "won't", "didn't", "without", "nobody"}
	yesNoOpeners    = []string{"is", "are", "am", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should", "has", "have", "may", "might"}
	enHypothetical  = []string{"if", "whether", "unless", "risk", "prevent", "prevents", "avoid", "retardant", "resistant", "proof", "fireproof"}
	zhHypothetical  = []string{"如果", "万一", "假如", "要是", "假设", "会不会", "是否", "防止", "预防", "避免", "以防", "防火", "阻燃", "防烫"}
	// zhNegators cancel a Chinese phrase found just after them.
	zhNegators = []string{"不要", "不用", "不需要", "不必", "不想", "不会", "别", "无需", "没必要", "用不着", "没有", "没"}
	// zhRefusals turn down a person named just after them ("不用人工了").
	zhRefusals = []string{"不用", "不需要", "不要", "无需", "没必要", "用不着", "不找", "不转", "不必", "不想", "别转", "别找", "别叫", "别给我转"}
	// refusalVerbs after a negator turn down the person that follows
	// ("don't want", "don't transfer me to"); refusalTails after "no" and
	// a person ("no agent please").
	refusalVerbs = []string{"need", "want", "talk", "speak", "chat", "transfer", "connect", "put", "forward", "escalate"}
	refusalTails = []string{"please", "pls", "needed", "necessary", "required", "thanks", "thank", "thx"}
	// handoffWords name someone to be handed to, a way of reaching them or
	// the bot a shopper wants to get away from; an English learned request
	// with none of them is dropped (namesSomeone).
	handoffWords = append(slices.Concat(strongTargets, weakTargets), "persons", "reps", "managers", "supervisors",
		"operators", "employees", "colleague", "colleagues", "whoever", "team", "member", "members", "service",
		"services", "support", "care", "advisor", "advisors", "adviser", "specialist", "specialists", "real", "live",
		"call", "phone", "telephone", "ring", "callback", "hotline", "helpdesk", "charge", "bot", "bots",
		"robot", "robots", "chatbot", "machine", "ai", "automated", "management", "owner", "ceo", "superior",
		"department", "consultant", "associate", "cs")
	// handoffPhrases name someone with words that alone often mean
	// something else ("post office", "go through", "sales tax").
	handoffPhrases = regexp.MustCompile(`\b(put|patch) (me|us) through\b|\bhead office\b|\bhelp desk\b|\bconnect (me|us)\b|\b(sales|tech|technical) (team|support|department|rep|person)\b|\b(talk|speak) to (a|the) (man|woman|lady|guy)\b|\bnot a computer\b`)
	// handoffPrefixes start words that name a way of being handed on
	// ("transfer me", "get this escalated").
	handoffPrefixes = []string{"transfer", "escalat", "hooman"}
	// zhNotNegation are question forms that contain a negator.
	zhNotNegation = []string{"有没有", "是不是", "能不能", "会不会", "要不要", "可不可以"}
)

func pats(s ...string) []pattern {
	out := make([]pattern, len(s))
	for i, p := range s {
		out[i] = pat(p)
	}
	return out
}

// zhs builds phrases from "phrase|exception|exception…".
func zhs(s ...string) []zhPhrase {
	out := make([]zhPhrase, len(s))
	for i, p := range s {
		parts := strings.Split(p, "|")
		out[i] = zhPhrase{s: parts[0], except: parts[1:], negative: containsAny(parts[0], zhNegators)}
	}
	return out
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
