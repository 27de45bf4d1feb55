package actions

import (
	"regexp"

	"github.com/shopdesk/shopdesk/intent"
)

// Intent is what a shopper's message asks the shop to do: one of the
// intent package's labels.
type Intent string

// The intents the actions answer, and None for the rest, which the
// knowledge base answers.
const (
	None          = Intent(intent.None)
	OrderStatus   = Intent(intent.OrderStatus)
	ListOrders    = Intent(intent.ListOrders)
	StartReturn   = Intent(intent.StartReturn)
	ProductLookup = Intent(intent.ProductLookup)
	Recommend     = Intent(intent.Recommend)
	CancelOrder   = Intent(intent.CancelOrder)
	ChangeAddress = Intent(intent.ChangeAddress)
	RefundStatus  = Intent(intent.RefundStatus)
	Invoice       = Intent(intent.Invoice)
)

// startReturnRule is the one intent rule kept beside the learned model:
// it speaks only when the model reads None. On the intent dev split it
// fired once and was right (the model alone missed it); every other
// pattern of the former rule set lost as many messages as it won, or
// more, and was removed (README, "What the rules still do").
var startReturnRule = regexp.MustCompile(`(?i)\b(i\s*(?:'d| would)?\s*(?:want|like|need)\s+to\s+(?:return|exchange|send\s+back|swap)|start\s+an?\s+(?:return|exchange)|return\s+(?:my|this|these)\b|exchange\s+(?:my|this|these|the|it|for)\b|refund\s+(?:my|for)\b)|我要退|我想退|申请退|帮我退|要退货|想退货|我要换|我想换|申请换货|想换货|换个尺码|换一个`)

var (
	yesWords = regexp.MustCompile(`(?i)^\s*(y|yes|yeah|yep|sure|ok(?:ay)?|confirm(?:ed)?|correct|please do|go ahead|是|是的|对|确认|好的?|可以|没问题)\b|^\s*(是|是的|对|确认|好的?|可以|没问题)`)
	noWords  = regexp.MustCompile(`(?i)^\s*((?:n|no|nope|cancel|stop|never\s*mind)\b|不|取消|算了)`)
)

// cancelWords stop a flow at any step; a plain "no" or "不…" may be an
// answer (a reason, say) and does not.
var cancelWords = regexp.MustCompile(`(?i)^\s*(cancel|stop|never\s*mind|forget\s+it|取消|算了|不退了|不换了|不用了)`)

// keepWords stop the cancellation flow, where "cancel" is the request
// itself and cannot mean "stop".
var keepWords = regexp.MustCompile(`(?i)^\s*(stop|never\s*mind|forget\s+it|don'?t\s+cancel|keep\s+(?:it|the\s+order)|算了|不用了|不取消|别取消|先不)`)

// stops reports whether msg ends the flow of kind.
func stops(kind, msg string) bool {
	if kind == flowCancel {
		return keepWords.MatchString(msg)
	}
	return cancelWords.MatchString(msg)
}

// isYes and isNo read a yes/no answer; a message that is neither (or
// both) is asked again.
func isYes(s string) bool { return yesWords.MatchString(s) }
func isNo(s string) bool  { return noWords.MatchString(s) }
