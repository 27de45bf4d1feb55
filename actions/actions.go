// Package actions answers the shopper requests that need the merchant's
// systems rather than its documents: order status, the shopper's orders,
// guided returns and exchanges, cancellations, changes of address,
// refund status, invoices, catalog facts and recommendations. The learned
// intent classifier (package intent) decides which, then deterministic
// slot filling does the rest, so they work with models too small to call
// tools, and their results come back as facts that the answer cites.
//
// Order details are only ever shown to a verified shopper (package
// identity); nothing a message says, in any language, changes that.
package actions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/intent"
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
	// Confidence is the learned model's probability of Intent for the
	// message, and By how Intent was decided (ByModel, ByVote, ByRule,
	// ByFlow). For a message Handle leaves to the knowledge base, Intent
	// is None with the model's probability of None.
	Confidence float64
	By         string
	// Text is the reply, citing Facts as [1], [2].
	Text  string
	Facts []Fact
	// Handoff, when set, is the reason the conversation goes to a person
	// (a request kind such as "cancel_order" that no merchant system
	// took); Note tells that person what to do.
	Handoff string
	Note    string
	// QuickReplies are answers to the question Text asks, in the
	// shopper's language, that a chat widget offers as buttons; each is
	// sent as the shopper's next message when chosen.
	QuickReplies []string
	// AsksForOrder marks a reply that only asks for the order number and
	// its proof: the shop's general answer to the question, if it has
	// one, can come first.
	AsksForOrder bool
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
	// Intents reads what a message asks for; nil reads with
	// intent.Default(). Shop's optional commerce.Requests and
	// commerce.ReturnLister take service requests and tell refunds.
	Intents *Classifier
	// ProductSearch, if set, searches a tenant's product documents in the
	// knowledge index, best first: the second opinion when a message
	// names a kind several products share (catalog.Snapshot.Lookup). Nil
	// leaves product lookups to the catalog alone.
	ProductSearch func(ctx context.Context, tenant, query string, k int) ([]catalog.SearchHit, error)
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
	if opts.Intents == nil {
		opts.Intents = NewClassifier(nil, nil)
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
	// Reading, if set, is what Message was already read as (the
	// assistant reads every message once); nil means Handle reads it.
	Reading *Reading

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
// knowledge base (res then carries None and its confidence).
func (a *Actions) Handle(ctx context.Context, req Request) (res Result, handled bool, err error) {
	save, err := req.withState()
	if err != nil {
		return Result{}, false, err
	}
	defer save()
	a.read(ctx, &req)
	rd := a.opts.Intents.Read(ctx, req.Message)
	if req.Reading != nil {
		rd = *req.Reading
	}
	res, handled, err = a.dispatch(ctx, req, rd)
	if err != nil || !handled {
		none := rd.AsNone()
		return Result{Intent: None, Confidence: none.Confidence, By: none.By}, false, err
	}
	res.By, res.Confidence = rd.By, rd.Confidence
	if res.Intent != rd.Intent {
		res.By, res.Confidence = ByFlow, a.opts.Intents.prob(a.opts.Intents.Model(), req.Message, intent.Label(res.Intent))
	}
	return res, true, nil
}

// dispatch routes a message read as rd: the flow in progress takes its
// answers, and any other request starts its action.
func (a *Actions) dispatch(ctx context.Context, req Request, rd Reading) (Result, bool, error) {
	st := req.state
	in := rd.Intent
	if st.Pending != "" && (in == None || in == OrderStatus) && (req.found.First(mention.Order) != "" || proofIn(req.found) != "") {
		// The details asked for last turn; the classifier reads a message
		// of details ("order 1001, email …") as an order lookup.
		in = Intent(st.Pending)
	}
	st.Pending = ""
	if f := st.Flow; f != nil && f.Step != stepDone {
		if stops(f.Kind, req.Message) {
			st.Flow = nil
			return Result{Intent: f.intent(), Text: stopped(req.Language, f.Kind)}, true, nil
		}
		if in == None || in == f.intent() || f.quickAnswer(req.Message) {
			return a.continueFlow(ctx, req)
		}
		st.Flow = nil // the shopper moved on
	}
	switch in {
	case StartReturn, CancelOrder, ChangeAddress, Invoice:
		st.Flow = &Flow{Kind: flowKinds[in], Step: stepOrder}
		return a.continueFlow(ctx, req)
	case RefundStatus:
		return a.refundStatus(ctx, req)
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
		res.AsksForOrder = true
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

func say(lang, en, zh string) string {
	if lang == "zh" {
		return zh
	}
	return en
}
