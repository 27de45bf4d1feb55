package actions

import (
	"regexp"

	"github.com/shopdesk/shopdesk/mention"
)

// Intent is what a shopper's message asks the shop to do.
type Intent string

// The intents handled without the model.
const (
	None          Intent = ""
	OrderStatus   Intent = "order_status"
	ListOrders    Intent = "list_orders"
	StartReturn   Intent = "start_return"
	ProductLookup Intent = "product_lookup"
	Recommend     Intent = "recommend"
)

var intentPatterns = []struct {
	intent Intent
	re     *regexp.Regexp
}{
	{StartReturn, regexp.MustCompile(`(?i)\b(i\s*(?:'d| would)?\s*(?:want|like|need)\s+to\s+(?:return|exchange|send\s+back|swap)|start\s+an?\s+(?:return|exchange)|return\s+(?:my|this|these)\b|exchange\s+(?:my|this|these|the|it|for)\b|refund\s+(?:my|for)\b)|我要退|我想退|申请退|帮我退|要退货|想退货|我要换|我想换|申请换货|想换货|换个尺码|换一个`)},
	{ListOrders, regexp.MustCompile(`(?i)\b(my\s+orders|list\s+(?:of\s+)?(?:my\s+)?orders|orders\s+i(?:'ve| have)\s+(?:placed|made)|order\s+history|past\s+orders)\b|我的订单有哪些|所有订单|历史订单|我买过什么|我下过的订单`)},
	{OrderStatus, regexp.MustCompile(`(?i)\b(where\s+is\s+(?:my\s+)?(?:order|package|parcel|stuff)|order\s+status|status\s+of\s+(?:my\s+)?order|track(?:ing)?\s+(?:my\s+)?(?:order|package|parcel|number)|has\s+my\s+order\s+(?:shipped|arrived)|when\s+will\s+my\s+(?:order|package)|check\s+(?:on\s+)?(?:my\s+)?order)\b|订单.{0,6}(?:状态|到哪|发货|物流)|(?:包裹|快递|货)到哪|发货了吗|物流(?:信息|到哪|怎么样)|查(?:一下)?(?:我的)?订单|我的订单`)},
	{Recommend, regexp.MustCompile(`(?i)\b(recommend|suggest(?:ion)?s?|what\s+(?:else\s+)?goes\s+(?:well\s+)?with|pair\s+(?:well\s+)?with|what\s+should\s+i\s+(?:buy|get))\b|推荐|搭配什么|配什么|还需要买什么`)},
	{ProductLookup, regexp.MustCompile(`(?i)\b(in\s+stock|come\s+in|comes\s+in|available\s+in|how\s+much\s+(?:is|are|does)|price\s+of|what\s+(?:sizes|colou?rs)|do\s+you\s+have\s+(?:the|a|an|it|this)|specs?|specifications|warranty\s+on|what\s+is\s+it\s+made\s+of)\b|有货|有没有|库存|多少钱|价格|什么颜色|哪些颜色|什么尺码|哪些尺码|有.{1,4}色|有.{1,3}码|保修多久|材质`)},
}

// Detect returns the intent of message, or None. Requests to start a
// return win over questions about returns in general ("how long do I
// have to return?" is a policy question, None).
func Detect(message string) Intent {
	for _, p := range intentPatterns {
		if p.re.MatchString(message) {
			return p.intent
		}
	}
	if len(mention.SKUs(message)) > 0 {
		return ProductLookup
	}
	return None
}

var (
	yesWords = regexp.MustCompile(`(?i)^\s*(y|yes|yeah|yep|sure|ok(?:ay)?|confirm(?:ed)?|correct|please do|go ahead|是|是的|对|确认|好的?|可以|没问题)\b|^\s*(是|是的|对|确认|好的?|可以|没问题)`)
	noWords  = regexp.MustCompile(`(?i)^\s*((?:n|no|nope|cancel|stop|never\s*mind)\b|不|取消|算了)`)
)

// cancelWords stop a flow at any step; a plain "no" or "不…" may be an
// answer (a reason, say) and does not.
var cancelWords = regexp.MustCompile(`(?i)^\s*(cancel|stop|never\s*mind|forget\s+it|取消|算了|不退了|不换了|不用了)`)

func isCancel(s string) bool { return cancelWords.MatchString(s) }

// isYes and isNo read a yes/no answer; a message that is neither (or
// both) is asked again.
func isYes(s string) bool { return yesWords.MatchString(s) }
func isNo(s string) bool  { return noWords.MatchString(s) }
