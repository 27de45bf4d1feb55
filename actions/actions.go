// Package actions answers the shopper requests that need the merchant's
// systems rather than its documents: order status, the shopper's orders,
// guided returns and exchanges, catalog facts and recommendations. They
// are reached by deterministic intent detection and slot filling, so they
// work with models too small to call tools, and their results come back
// as facts that the answer cites.
//
// Order details are only ever shown to a verified shopper (package
// identity); nothing a message says, in any language, changes that.
package actions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/mention"
	"github.com/shopdesk/shopdesk/recommend"
)

// Fact is a tool result the answer rests on; it is shown as a source.
type Fact struct {
	ID    string
	Title string
	Text  string
}

// Result is the reply to a handled message.
type Result struct {
	Intent Intent
	// Text is the reply, citing Facts as [1], [2].
	Text  string
	Facts []Fact
	// QuickReplies are answers to the question Text asks, in the
	// shopper's language, that a chat widget offers as buttons; each is
	// sent as the shopper's next message when chosen.
	QuickReplies []string
}

// Policy is the merchant's return policy.
type Policy struct {
	// WindowDays is how long after delivery items can be returned
	// (default 30).
	WindowDays int
	// Holiday, if set, extends the window for items delivered in a season.
	Holiday *Holiday
}

// Holiday extends the return window: items delivered from From to To
// (month and day, inclusive) can be returned until Until (month and day)
// of the following year, or the normal window if that is later.
type Holiday struct {
	From, To, Until MonthDay
}

// MonthDay is a day of the year.
type MonthDay struct {
	Month time.Month
	Day   int
}

// ParseHoliday reads "11-01..12-24:01-31".
func ParseHoliday(s string) (*Holiday, error) {
	var h Holiday
	var fm, fd, tm, td, um, ud int
	if _, err := fmt.Sscanf(s, "%d-%d..%d-%d:%d-%d", &fm, &fd, &tm, &td, &um, &ud); err != nil {
		return nil, fmt.Errorf("%q: want MM-DD..MM-DD:MM-DD, e.g. 11-01..12-24:01-31", s)
	}
	for _, md := range [][2]int{{fm, fd}, {tm, td}, {um, ud}} {
		if md[0] < 1 || md[0] > 12 || md[1] < 1 || md[1] > 31 {
			return nil, fmt.Errorf("%q: month or day out of range", s)
		}
	}
	h.From, h.To, h.Until = MonthDay{time.Month(fm), fd}, MonthDay{time.Month(tm), td}, MonthDay{time.Month(um), ud}
	return &h, nil
}

// deadline is the last moment items delivered at d can be returned.
func (p Policy) deadline(d time.Time) time.Time {
	end := d.AddDate(0, 0, p.WindowDays)
	if h := p.Holiday; h != nil {
		y := d.Year()
		from := time.Date(y, h.From.Month, h.From.Day, 0, 0, 0, 0, d.Location())
		to := time.Date(y, h.To.Month, h.To.Day, 23, 59, 59, 0, d.Location())
		if !d.Before(from) && !d.After(to) {
			until := time.Date(y+1, h.Until.Month, h.Until.Day, 23, 59, 59, 0, d.Location())
			if until.After(end) {
				end = until
			}
		}
	}
	return end
}

// Options configures Actions.
type Options struct {
	Shop     commerce.Connector
	Verifier *identity.Verifier
	Policy   Policy
	Now      func() time.Time
	// Catalog returns a tenant's catalog snapshot: a catalog.Cache's Get,
	// shared with the assistant, keeps one per tenant. Nil loads the
	// catalog from Shop on every turn that needs it.
	Catalog func(ctx context.Context, tenant string) (*catalog.Snapshot, error)
	// Recommender returns a tenant's catalog and order statistics
	// prepared for recommendations: a catalog.Cache over
	// RecommenderLoader keeps one per tenant. Nil prepares them on every
	// recommendation.
	Recommender func(ctx context.Context, tenant string) (*recommend.Shop, error)
}

// Actions handles commerce requests.
type Actions struct {
	opts Options
}

// New returns Actions over opts.Shop.
func New(opts Options) *Actions {
	if opts.Policy.WindowDays <= 0 {
		opts.Policy.WindowDays = 30
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Catalog == nil {
		opts.Catalog = catalog.Load(opts.Shop.Products)
	}
	if opts.Recommender == nil {
		opts.Recommender = RecommenderLoader(opts.Shop, opts.Catalog)
	}
	return &Actions{opts: opts}
}

// Request is one shopper message in its conversation.
type Request struct {
	Tenant   string
	Source   string
	Language string
	Message  string
	// Conv is the conversation; Handle and Call update its State.
	Conv *conversation.Conversation

	state *State // decoded from Conv.State for the duration of a call
	// found are the identifiers in Message, read once per call.
	found mention.Mentions
}

// withState decodes req's state and returns a function that stores it
// back into the conversation.
func (req *Request) withState() (save func(), err error) {
	st, err := StateOf(req.Conv)
	if err != nil {
		return nil, err
	}
	req.state = st
	return func() { put(req.Conv, st) }, nil
}

// Handle answers req when it is a commerce request or continues a flow
// in progress; handled is false otherwise, and the message is left to the
// knowledge base.
func (a *Actions) Handle(ctx context.Context, req Request) (res Result, handled bool, err error) {
	save, err := req.withState()
	if err != nil {
		return Result{}, false, err
	}
	defer save()
	a.read(ctx, &req)
	st := req.state
	intent := Detect(req.Message)
	if intent == None && st.Pending != "" && (req.found.First(mention.Order) != "" || proofIn(req.found) != "") {
		intent = Intent(st.Pending) // the details asked for last turn
	}
	st.Pending = ""
	if st.Flow != nil && st.Flow.Step != stepDone {
		if isCancel(req.Message) {
			st.Flow = nil
			return Result{Intent: StartReturn, Text: say(req.Language, "No problem, I've stopped the return. Anything else I can help with?", "好的，已取消退货申请。还有什么可以帮您？")}, true, nil
		}
		if intent == None || intent == StartReturn {
			return a.continueReturn(ctx, req)
		}
		st.Flow = nil // the shopper moved on
	}
	switch intent {
	case StartReturn:
		st.Flow = &Flow{Kind: "return", Step: stepOrder}
		return a.continueReturn(ctx, req)
	case OrderStatus:
		return a.orderStatus(ctx, req)
	case ListOrders:
		return a.listOrders(ctx, req)
	case ProductLookup:
		return a.productLookup(ctx, req)
	case Recommend:
		return a.recommend(ctx, req)
	}
	return Result{}, false, nil
}

// errNeedProof means the shopper must give an order number and a proof.
var errNeedProof = errors.New("verification needed")

// authorizedOrder returns the order the shopper means if they may see it:
// the integrator vouched for its customer, or it was verified earlier in
// the conversation, or the message (with what the conversation already
// knows) proves it now.
func (a *Actions) authorizedOrder(ctx context.Context, req Request) (commerce.Order, error) {
	c := req.Conv
	id := req.found.First(mention.Order)
	if id == "" {
		id = c.Details.OrderNumber
	}
	if id == "" && c.CustomerID != "" {
		orders, err := a.opts.Shop.Orders(ctx, req.Tenant, c.CustomerID)
		if err != nil {
			return commerce.Order{}, err
		}
		if len(orders) > 0 {
			return orders[0], nil
		}
	}
	if id == "" {
		return commerce.Order{}, errNeedProof
	}
	if c.CustomerID != "" || slices.Contains(req.state.VerifiedOrders, id) {
		o, err := a.opts.Shop.Order(ctx, req.Tenant, id)
		if err == nil && (slices.Contains(req.state.VerifiedOrders, o.ID) || o.CustomerID == c.CustomerID) {
			return o, nil
		}
		if err != nil && !errors.Is(err, commerce.ErrNotFound) {
			return commerce.Order{}, err
		}
	}
	proof := proofIn(req.found)
	if proof == "" {
		proof = c.Details.Email
	}
	if proof == "" {
		return commerce.Order{}, errNeedProof
	}
	o, err := a.opts.Verifier.Verify(ctx, identity.Claim{Tenant: req.Tenant, ConversationID: c.ID, Source: req.Source, OrderID: id, Proof: proof})
	if err != nil {
		if errors.Is(err, identity.ErrNotVerified) || errors.Is(err, identity.ErrLocked) {
			req.state.Failed++
		}
		return commerce.Order{}, err
	}
	req.state.VerifiedOrders = append(req.state.VerifiedOrders, o.ID)
	return o, nil
}

// needsProof marks a refusal that asks for an order number and proof.
const needsProof Intent = "needs_proof"

// refuse answers a request for an order the shopper has not proven, and
// remembers the request when it waits for details.
func (a *Actions) refuse(req Request, intent Intent, err error) (Result, bool, error) {
	res, ok, err := refusal(req.Language, err)
	if res.Intent == needsProof {
		req.state.Pending = string(intent)
	}
	res.Intent = intent
	return res, ok, err
}

// refusal tells the shopper what to do when an order cannot be shown, in
// words that say nothing about whether the order exists.
func refusal(lang string, err error) (Result, bool, error) {
	switch {
	case errors.Is(err, errNeedProof):
		return Result{Intent: needsProof, Text: say(lang,
			"I can help with that. Please tell me your order number and the email address, phone number or postcode on the order.",
			"可以帮您查询。请告诉我订单号，以及下单时填写的邮箱、手机号或邮编。")}, true, nil
	case errors.Is(err, identity.ErrNotVerified), errors.Is(err, identity.ErrLocked):
		// The same words when locked out: a guesser must not learn that
		// the limit, rather than a wrong answer, stopped them.
		return Result{Text: say(lang,
			"I couldn't match those details to an order. Please check the order number and the email, phone number or postcode used for it, or sign in to your account to see your orders.",
			"没能用这些信息匹配到订单。请核对订单号，以及下单时使用的邮箱、手机号或邮编，或登录账户后查看订单。")}, true, nil
	}
	return Result{}, false, err
}

func (a *Actions) orderStatus(ctx context.Context, req Request) (Result, bool, error) {
	o, err := a.authorizedOrder(ctx, req)
	if err != nil {
		return a.refuse(req, OrderStatus, err)
	}
	fact := orderFact(o)
	return Result{Intent: OrderStatus, Facts: []Fact{fact}, Text: statusText(req.Language, o) + " [1]"}, true, nil
}

func (a *Actions) listOrders(ctx context.Context, req Request) (Result, bool, error) {
	c := req.Conv
	if c.CustomerID == "" {
		return Result{Intent: ListOrders, Text: say(req.Language,
			"To list your orders I need you to be signed in. I can also look up one order if you give me its number and the email, phone number or postcode on it.",
			"需要登录后才能列出您的全部订单。也可以告诉我订单号和下单时的邮箱、手机号或邮编，我帮您查询单个订单。")}, true, nil
	}
	orders, err := a.opts.Shop.Orders(ctx, req.Tenant, c.CustomerID)
	if err != nil {
		return Result{}, false, err
	}
	if len(orders) == 0 {
		return Result{Intent: ListOrders, Text: say(req.Language, "I don't see any orders on your account yet.", "您的账户里还没有订单。")}, true, nil
	}
	var lines []string
	var facts []Fact
	for i, o := range orders {
		if i == 10 {
			break
		}
		facts = append(facts, orderFact(o))
		lines = append(lines, fmt.Sprintf("- %s (%s): %s [%d]", o.ID, o.PlacedAt.Format("2006-01-02"), statusWord(req.Language, o.Status), i+1))
	}
	head := say(req.Language, "Here are your most recent orders:", "这是您最近的订单：")
	return Result{Intent: ListOrders, Facts: facts, Text: head + "\n" + strings.Join(lines, "\n")}, true, nil
}

func orderFact(o commerce.Order) Fact {
	var b strings.Builder
	fmt.Fprintf(&b, "Order %s placed %s. Status: %s.", o.ID, o.PlacedAt.Format("2006-01-02"), o.Status)
	if o.Carrier != "" || o.TrackingNumber != "" {
		fmt.Fprintf(&b, " Carrier: %s, tracking number %s.", o.Carrier, o.TrackingNumber)
	}
	if o.ShippedAt != nil {
		fmt.Fprintf(&b, " Shipped %s.", o.ShippedAt.Format("2006-01-02"))
	}
	if o.DeliveredAt != nil {
		fmt.Fprintf(&b, " Delivered %s.", o.DeliveredAt.Format("2006-01-02"))
	}
	for _, l := range o.Lines {
		fmt.Fprintf(&b, " Item: %s (SKU %s) × %d at %s.", l.Name, l.SKU, l.Qty, money(o.Currency, l.UnitPrice))
	}
	fmt.Fprintf(&b, " Total %s.", money(o.Currency, o.Total))
	return Fact{ID: "order:" + o.ID, Title: "Order " + o.ID, Text: b.String()}
}

func money(currency string, v float64) string {
	switch currency {
	case "CNY":
		return fmt.Sprintf("¥%.2f", v)
	case "USD", "":
		return fmt.Sprintf("$%.2f", v)
	}
	return fmt.Sprintf("%.2f %s", v, currency)
}

func statusText(lang string, o commerce.Order) string {
	switch o.Status {
	case commerce.StatusShipped:
		return say(lang, fmt.Sprintf("Order %s has shipped with %s, tracking number %s.", o.ID, o.Carrier, o.TrackingNumber),
			fmt.Sprintf("订单 %s 已由%s发出，运单号 %s。", o.ID, o.Carrier, o.TrackingNumber))
	case commerce.StatusDelivered:
		day := ""
		if o.DeliveredAt != nil {
			day = o.DeliveredAt.Format("2006-01-02")
		}
		return say(lang, fmt.Sprintf("Order %s was delivered on %s.", o.ID, day), fmt.Sprintf("订单 %s 已于 %s 签收。", o.ID, day))
	case commerce.StatusProcessing:
		return say(lang, fmt.Sprintf("Order %s is being prepared and has not shipped yet.", o.ID), fmt.Sprintf("订单 %s 正在备货，尚未发货。", o.ID))
	case commerce.StatusCancelled:
		return say(lang, fmt.Sprintf("Order %s was cancelled.", o.ID), fmt.Sprintf("订单 %s 已取消。", o.ID))
	case commerce.StatusReturned:
		return say(lang, fmt.Sprintf("Order %s was returned.", o.ID), fmt.Sprintf("订单 %s 已退货。", o.ID))
	}
	return say(lang, fmt.Sprintf("Order %s: %s.", o.ID, o.Status), fmt.Sprintf("订单 %s：%s。", o.ID, o.Status))
}

func statusWord(lang, status string) string {
	if lang != "zh" {
		return status
	}
	return map[string]string{commerce.StatusProcessing: "备货中", commerce.StatusShipped: "已发货", commerce.StatusDelivered: "已签收",
		commerce.StatusCancelled: "已取消", commerce.StatusReturned: "已退货"}[status]
}

func say(lang, en, zh string) string {
	if lang == "zh" {
		return zh
	}
	return en
}
