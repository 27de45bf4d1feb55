package sentiment

import (
	"strings"
	"unicode/utf8"
)

// The lexicon. Weights are on a -3…3 scale (VADER's): about ±2 for a
// clear word ("angry", "满意"), ±1 for a mild one or a domain cue of
// trouble ("late", "还没"). A weight of 0 is a stop entry: it consumes its
// text so that a shorter entry inside it does not match ("不好意思" is not
// 不 + 好, "快递" is not 快). Entries are separated by "|"; English entries
// may be phrases of several words, matched on lower-cased word tokens,
// longest first; Chinese entries are matched by substring, longest first.

var enSentiment = []struct {
	w     float64
	words string
}{
	{-3, "worst|terrible|awful|horrible|scam|scammed|scammers|fraud|furious|disgusting|pathetic|never again|rip off|ripoff|piece of junk|wtf|appalling|atrocious|abysmal|dreadful|nightmare|outrageous|shameful|disgraceful"},
	{-2.5, "angry|useless|garbage|junk|trash|rubbish|crap|hate|sucks|unacceptable|ridiculous|cheated|liar|lied to me|horrendous|injured|caught fire|caught on fire|ruined|burst into flames|electric shock|rude|incompetent|dead on arrival|misled|lousy|shocking"},
	{-2, "bad|upset|annoyed|annoying|frustrated|frustrating|disappointed|disappointing|disappointment|unhappy|broken|damaged|defective|faulty|misleading|fed up|sick of|tired of|waste|waste of money|not worth|mad|ruin|flimsy|cheaply made|poorly made|poor quality|low quality|falling apart|fell apart|came apart|shattered|smashed|crushed|leaking|leaks|leaked|mouldy|moldy|expired|spoiled|rotten|unprofessional|unhelpful|overcharged|hidden fee|hidden fees|legal action|regret|waste of time|no help|not helping|isn't helping|doesn't help|without permission|without my permission|swallowed|stolen|lost my|stopped working|doesn't work|does not work|don't work|didn't work|not working|isn't working|won't turn on|never received|never arrived|never came|never got|hasn't arrived|has not arrived|didn't arrive|haven't received|have not received|didn't receive|not as described|charged me twice|charged twice|don't like|do not like|didn't like|sue|suing|lawsuit|report you|burned|burnt|chargeback|didn't authorize|did not authorize|unauthorized|allergic reaction|vomiting|injury|explode|exploded|electrocuted|bleeding|stinks|worse"},
	{-1.8, "expected better|nothing like|not what i ordered|isn't what i ordered|isn't what was described|not what was described|poor"},
	{-1.5, "late|delayed|slow|missing|wrong|cracked|torn|ripped|scratched|dented|broke|snapped|crashing|crashes|ugh|complaint|complain|ignored|ignoring|overpriced|uncomfortable|hurt|hurts|peeling|peeled|faded|fading|shrunk|shrank|stained|dirty|rusty|rusted|bent|warped|chipped|squashed|wobbly|stale|smelly|glitchy|buggy|failed|fails|failure|careless|sloppy|hassle|mediocre|subpar|meh|inconvenient|inconvenience|nothing has arrived|nothing arrived|nothing came|way off|overheated|overheating|reporting this|trading standards|reverse this payment|reverse the charge|reverse the payment|can't believe|cannot believe|i was promised|we were promised|still waiting|nobody answers|no one answers|nobody replied|no reply|no response|haven't heard back|taking so long|takes so long|taking forever|not understanding me|don't understand me|doesn't understand|fake|swollen|sparked|melted|collapsed|sick|sharp edge|sharp edges|small claims|take you to court|smaller than i expected|smaller than expected|not what i expected|not as expected"},
	{-1.2, "12315|delay|delays|still no|still not|still haven't|can't find|cannot find|no update|dispute|soaked|smoking|smoke|unfortunately|money back|refund now|third time|second time|fourth time|again and again|confusing|confused|error|errors|noisy|loose|holes|lost"},
	{-1, "problem|problems|lawyer|attorney|itchy"},
	{-0.6, "issue|issues"},
	{1, "fine|fast|quick|worth|fixed|recommend|thx"},
	{1.5, "solved|resolved|better|glad|cool|i like|worth it|well done|appreciate|appreciated|cheers|sorted|sturdy|cosy|cozy|neat|yay|kudos|spot on|works perfectly|good value|great value|value for money|on time|as described"},
	{1.9, "good|nice|helpful|pleased|satisfied|comfortable|lovely|well made|high quality|smooth|friendly|polite|recommended|exactly what i needed|exactly what i wanted"},
	{2, "thanks|thank|thank you|happy|love|loved|loves|great|perfect|perfectly|impressed|beautiful|cute|five stars|loving|gorgeous|stunning|adore|delighted|thrilled|fabulous|fab|lifesaver|pleasure|worth every penny|highly recommend"},
	{3, "awesome|amazing|excellent|wonderful|fantastic|brilliant|superb|outstanding|incredible|top notch|exceeded my expectations|beyond my expectations"},
	// Stops: neutral phrases that contain a sentiment word.
	{0, "no problem|no problems|not a problem|no thanks|no thank you|quick question|how fast|how quickly|best regards|kind regards|good morning|good afternoon|good evening|good night|thank you in advance|thanks in advance|feel free"},
}

var enNegators = "not|no|never|don't|dont|doesn't|doesnt|didn't|didnt|isn't|isnt|wasn't|wasnt|aren't|arent|weren't|won't|wont|can't|cant|cannot|couldn't|wouldn't|shouldn't|hasn't|haven't|hadn't|nothing|nobody|without|neither|nor|ain't"

var enBoosters = []struct {
	w     float64
	words string
}{
	{0.5, "extremely|incredibly|absolutely|completely|utterly|totally"},
	{0.3, "very|so|really|super|truly|such|too|highly|seriously|damn"},
	{0.15, "quite|pretty"},
	{-0.5, "a bit|a little|a little bit|slightly|somewhat|kinda|kind of|sort of|marginally|fairly|a tad"},
}

var enContrast = "but|however|yet"

// enYesNo are the words that open a yes/no question ("Is this safe?"),
// whose sentiment words describe what is asked about, not the shopper.
var enYesNo = "is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|might|has|have"

// enConditional mark a hypothetical ("what if it catches fire?").
var enConditional = "if|whether|unless"

var zhSentiment = []struct {
	w     float64
	words string
}{
	{-3, "骗子|诈骗|欺诈|欺骗|黑店|最差|气死|垃圾|坑爹|差劲|太烂|烂透|恶劣|无良|智商税|宰客|奸商|气愤|劣质"},
	{-2.5, "太差|很差|生气|愤怒|恶心|糟糕|上当|假货|崩溃|好差|起火|着火|漏电|烫伤|烧伤|盗刷|骗人|太失望|差评|再也不|报警|答非所问|火大|恼火|窝火|闹心|次品|残次品|不负责任|态度差|做工差"},
	{-2, "失望|坑|被坑|坑人|无语|烦死|好烦|很烦|气人|离谱|忽悠|敷衍|不满|不靠谱|后悔|郁闷|伤心|受不了|过分|难闻|难用|难看|难吃|发错|损坏|破损|坏了|没用|太慢|慢死|起诉|律师函|拒付|冒烟|烧焦|流血|划伤|割伤|受伤|红肿|又红又肿|过敏了|过敏反应|拉肚子|中毒|被电|触电|爆炸|不满意|不怎么样|不值|恶劣|差|不爽|坑钱|不专业|爱答不理|踢皮球|推卸|推脱|浪费钱|浪费时间|白等|缩水|变质|发霉|过期|馊|刺鼻|异味|压扁|变形|死机|闪退|失灵|粗糙|廉价感|被拆过|二手|缺件|少件|丢件|弄丢|跟没说一样|法律程序|红疹|疹子|误食|吞了|医院|救护车|不舒服|难受"},
	{-1.8, "不符|不行|不好用|臭|太贵"},
	{-1.5, "投诉|退钱|延迟|迟迟|好慢|很慢|慢|错|坏|碎|裂|开裂|断了|起球|掉色|褪色|脱线|开胶|磨脚|划痕|少发|漏发|漏水|不回复|没人回|没人理|听不懂|笨|很麻烦|太麻烦|遗憾|嫌弃|嫌|消费者协会|去医院|住院|不能用|用不了|不工作|开不了机|破|掉漆|生锈|脏|污渍|破洞|开线|漏气|松动|卡顿|充不进电|连不上|不灵敏|噪音大|太吵|不更新|没动静|石沉大海|拖延|折腾|怎么又|差距|头疼|吐槽|不如|不要了|烧化"},
	{-1.2, "失败|不亮|色差|超时|烂|晚了|少了|律师|法院|争议|看不懂|拖|质量一般|很一般|太一般|一般般|比较一般|感觉一般|凑合|警察"},
	{-1, "还没|还没有|一直没|一直不|没收到|没有收到|有问题|质量问题|可惜|假"},
	{0.8, "合适|还行|正好|刚好"},
	{1.2, "很快|挺快|放心|专业|耐心|实惠|划算|推荐|回购|值得|解决了|好"},
	{1.5, "真快|好快|速度快|发货快|物流快|用心|辛苦了|舒服|可爱|靠谱|很正|周到|及时|迅速|顺利|暖心|良心|便宜|下次还来|还会再来|还会买|哈哈|嘻嘻|还原度高"},
	{1.8, "不错|满意|喜欢|漂亮|好看|好用|好吃|开心|高兴|优秀|给力|贴心|感谢|谢谢|多谢|点赞|赞|棒|满分|神速|开森|性价比高|性价比很高|高性价比|么么哒|正品|结实|耐用"},
	{2.5, "太好了|太棒了|完美|好评|五星|惊喜|超值|超赞|非常好|爱了|物超所值|超出预期|惊艳|好评如潮"},
	// Stops: neutral words that contain a sentiment character.
	{0, "你好|您好|好的|好吗|好久|好几|好像|好多|好不好|好友|好处|只好|最好|还好|说好|好了吗|不好意思|不用|不客气|不知道|不知|不要紧|不然|不一定|不同|不少|不必|没问题|没关系|没事|没错|差不多|差价|差额|出差|相差|真皮|真人|真假|真货|真丝|超过|超市|超重|太太|太阳|太空|别的|别人|区别|类别|性别|分别|级别|错过|填错|写错|选错|拍错|麻烦|快递|尽快|快点|多快|赶快|问题|破解|突破|假期|请假|放假|坏处|碎片|裂缝|没用过|时差|误差|慢慢|慢走|好奇|爱好|什么|怎么|医院地址|拖鞋|拖把|脏衣|不如说"},
}

var zhNegators = "不|没|没有|别|未|不是|并不|并没有|从不|从没|从来没|毫不|无|不太"

var zhBoosters = []struct {
	w     float64
	words string
}{
	{0.5, "非常|极其|特别|超级|十分|简直|实在是|太"},
	{0.3, "真|真的|超|很|最|根本|完全|实在|确实|这么|那么"},
	{0.15, "挺|蛮|比较"},
	{-0.5, "有点|有点儿|有些|稍微|稍稍|略|一点|一点点|还算"},
}

var zhContrast = "但是|但|可是|不过|然而|却"

// zhQuestion mark a yes/no question; zhConditional a hypothetical.
var (
	zhQuestion    = "吗|是不是|能不能|可不可以|有没有|是否|要不要|行不行|对不对"
	zhConditional = "会不会|如果|万一|假如|要是|假设|的话"
)

// emoji weights, by rune. Variation selectors and joiners are skipped.
var emoji = map[rune]float64{
	'😡': -2.5, '🤬': -3, '😠': -2.5, '😞': -2, '😢': -2, '😭': -2, '👎': -2, '😤': -2, '🙄': -1.5,
	'😒': -1.5, '😔': -1.5, '😩': -2, '😫': -2, '☹': -2, '🙁': -1.5, '💩': -2, '😑': -1, '😣': -1.5,
	'😊': 2, '🙂': 1.5, '😀': 2, '😃': 2, '😄': 2, '😁': 2, '👍': 2, '❤': 2.5, '🙏': 1.5, '😍': 2.5,
	'🥰': 2.5, '👌': 1.5, '🎉': 2, '💯': 2, '⭐': 1.5, '🌟': 1.5, '💖': 2.5, '💕': 2, '😘': 2, '🤗': 2,
}

type role uint8

const (
	roleSentiment role = iota // w is the word's weight; 0 for a stop entry
	roleNegator
	roleBooster     // w scales the next sentiment word by 1+w
	roleContrast    // "but": what came before counts half
	roleYesNo       // opens (English) or marks (Chinese) a yes/no question
	roleConditional // "if", "如果"
)

type entry struct {
	role role
	w    float64
}

// phrase is an English lexicon entry of several words, keyed by its first.
type phrase struct {
	rest []string
	e    entry
}

var (
	enWords   = map[string]entry{}
	enPhrases = map[string][]phrase{} // longest first
	zhEntries = map[string]entry{}
	zhMaxLen  int // in runes
)

func init() {
	for _, l := range enSentiment {
		addEN(l.words, entry{roleSentiment, l.w})
	}
	for _, l := range enBoosters {
		addEN(l.words, entry{roleBooster, l.w})
	}
	addEN(enNegators, entry{role: roleNegator})
	addEN(enContrast, entry{role: roleContrast})
	addEN(enYesNo, entry{role: roleYesNo})
	addEN(enConditional, entry{role: roleConditional})
	for _, ps := range enPhrases {
		// Longest first; equal lengths keep declaration order.
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j].rest) > len(ps[j-1].rest); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
	}

	for _, l := range zhSentiment {
		addZH(l.words, entry{roleSentiment, l.w})
	}
	for _, l := range zhBoosters {
		addZH(l.words, entry{roleBooster, l.w})
	}
	addZH(zhNegators, entry{role: roleNegator})
	addZH(zhContrast, entry{role: roleContrast})
	addZH(zhQuestion, entry{role: roleYesNo})
	addZH(zhConditional, entry{role: roleConditional})
}

// addEN adds English entries; a word listed twice keeps its first entry,
// so sentiment beats the grammatical roles ("no" in "no problem" aside).
func addEN(list string, e entry) {
	for _, w := range strings.Split(list, "|") {
		words := strings.Fields(w)
		if len(words) == 1 {
			if _, dup := enWords[words[0]]; !dup {
				enWords[words[0]] = e
			}
			continue
		}
		enPhrases[words[0]] = append(enPhrases[words[0]], phrase{words[1:], e})
	}
}

func addZH(list string, e entry) {
	for _, w := range strings.Split(list, "|") {
		if _, dup := zhEntries[w]; dup {
			continue
		}
		zhEntries[w] = e
		zhMaxLen = max(zhMaxLen, utf8.RuneCountInString(w))
	}
}
