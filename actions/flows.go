package actions

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/shopdesk/shopdesk/commerce"
)

// The kinds of Flow.
const (
	flowReturn  = "return"
	flowCancel  = "cancel"
	flowAddress = "address"
	flowInvoice = "invoice"
)

// flowKinds maps the intents that start a flow to its kind.
var flowKinds = map[Intent]string{StartReturn: flowReturn, CancelOrder: flowCancel, ChangeAddress: flowAddress, Invoice: flowInvoice}

// intent is the request the flow answers.
func (f *Flow) intent() Intent {
	for in, k := range flowKinds {
		if k == f.Kind {
			return in
		}
	}
	return StartReturn // flows stored before kinds were checked were returns
}

// quickAnswer reports whether msg is a plain answer to the step's
// question (a yes, an item number, "refund"), which the flow takes even
// when the classifier reads it as another request. A step that waits
// for free text (a reason, an address, an invoice's details) takes any
// message: the classifier reads "Acme Co, tax ID …" as a return.
func (f *Flow) quickAnswer(msg string) bool {
	switch f.Step {
	case stepReason, stepAddress, stepDetails:
		return true
	case stepConfirm, stepCondition:
		return isYes(msg) || isNo(msg)
	case stepItems:
		return numbers.MatchString(msg) || allItems.MatchString(msg)
	case stepResolution:
		return wantsRefund.MatchString(msg) || wantsExchange.MatchString(msg)
	case stepVariant:
		return len([]rune(msg)) <= 24
	}
	return false
}

// continueFlow takes the message as the answer to the flow's step.
func (a *Actions) continueFlow(ctx context.Context, req Request) (Result, bool, error) {
	switch req.state.Flow.Kind {
	case flowCancel:
		return a.continueCancel(ctx, req)
	case flowAddress:
		return a.continueAddress(ctx, req)
	case flowInvoice:
		return a.continueInvoice(ctx, req)
	}
	return a.continueReturn(ctx, req)
}

// stopped is the reply to a shopper who stops a flow.
func stopped(lang, kind string) string {
	switch kind {
	case flowCancel:
		return say(lang, "All right, I won't cancel anything; your order stays as it is. Anything else I can help with?", "好的，不取消了，订单保持不变。还有什么可以帮您？")
	case flowAddress:
		return say(lang, "All right, I've left the shipping address as it was. Anything else I can help with?", "好的，收货地址保持不变。还有什么可以帮您？")
	case flowInvoice:
		return say(lang, "All right, I haven't requested an invoice. Anything else I can help with?", "好的，没有申请发票。还有什么可以帮您？")
	}
	return say(lang, "No problem, I've stopped the return. Anything else I can help with?", "好的，已取消退货申请。还有什么可以帮您？")
}

// flowOrder returns the flow's order: at its first step the order the
// shopper proves is theirs (the flow records it), later the one recorded,
// as long as the shopper may still see it. A non-nil *Result is the
// reply instead: a request for proof, a refusal, or the end of a flow
// that cannot go on.
func (a *Actions) flowOrder(ctx context.Context, req Request) (commerce.Order, *Result, error) {
	f := req.state.Flow
	in := f.intent()
	if f.Step == stepOrder {
		o, err := a.authorizedOrder(ctx, req)
		if err != nil {
			res, _, err := a.refuse(req, in, err)
			return commerce.Order{}, &res, err
		}
		f.OrderID = o.ID
		return o, nil, nil
	}
	o, err := a.opts.Shop.Order(ctx, req.Tenant, f.OrderID)
	if err != nil && !errors.Is(err, commerce.ErrNotFound) {
		return commerce.Order{}, nil, err
	}
	if err != nil || !slices.Contains(req.state.VerifiedOrders, o.ID) && o.CustomerID != req.Conv.CustomerID {
		req.state.Flow = nil
		return commerce.Order{}, &Result{Intent: in, Text: say(req.Language,
			"I can't continue with this request; please start again with your order number.",
			"无法继续处理这个请求，请提供订单号重新开始。")}, nil
	}
	return o, nil, nil
}

// beforeShipping says why an order that is no longer being prepared
// cannot be cancelled or redirected, citing its record as [1]; ok when it
// can.
func (a *Actions) beforeShipping(lang string, o commerce.Order, what string) (why string, ok bool) {
	day := func(t interface{ Format(string) string }) string { return t.Format("2006-01-02") }
	switch o.Status {
	case commerce.StatusProcessing:
		return "", true
	case commerce.StatusShipped:
		shipped := ""
		if o.ShippedAt != nil {
			shipped = say(lang, " on "+day(o.ShippedAt), "于 "+day(o.ShippedAt))
		}
		if what == flowAddress {
			return say(lang,
				fmt.Sprintf("Order %s already shipped%s, so I can't change its address any more [1]. The carrier (%s, tracking number %s) may be able to redirect the parcel; their fees are yours.", o.ID, shipped, o.Carrier, o.TrackingNumber),
				fmt.Sprintf("订单 %s 已%s发货，无法再修改收货地址 [1]。可以联系承运商（%s，运单号 %s）改址，改址费用由您承担。", o.ID, shipped, o.Carrier, o.TrackingNumber)), false
		}
		return say(lang,
			fmt.Sprintf("Order %s already shipped%s, so it can no longer be cancelled [1]. You can return it once it arrives.", o.ID, shipped),
			fmt.Sprintf("订单 %s 已%s发货，无法取消 [1]。收到后可以申请退货。", o.ID, shipped)), false
	case commerce.StatusDelivered:
		if what == flowAddress {
			return say(lang, fmt.Sprintf("Order %s has already been delivered, so its address can't be changed [1].", o.ID),
				fmt.Sprintf("订单 %s 已签收，无法修改收货地址 [1]。", o.ID)), false
		}
		return say(lang,
			fmt.Sprintf("Order %s has already been delivered, so it can't be cancelled [1]. You can return it within %d days of delivery under our return policy.", o.ID, a.opts.Policy.WindowDays),
			fmt.Sprintf("订单 %s 已签收，无法取消 [1]。根据退货政策，签收后 %d 天内可以申请退货。", o.ID, a.opts.Policy.WindowDays)), false
	case commerce.StatusCancelled:
		return say(lang, fmt.Sprintf("Order %s is already cancelled [1].", o.ID), fmt.Sprintf("订单 %s 已经取消 [1]。", o.ID)), false
	}
	return say(lang, fmt.Sprintf("Order %s can't be changed any more (status: %s) [1].", o.ID, o.Status),
		fmt.Sprintf("订单 %s 已无法修改（状态：%s）[1]。", o.ID, statusWord(lang, o.Status))), false
}

// requestWords name a kind of request in a sentence.
var requestWords = map[string][2]string{
	commerce.RequestCancel:  {"cancellation", "取消订单"},
	commerce.RequestAddress: {"change of address", "修改地址"},
	commerce.RequestInvoice: {"invoice", "开票"},
}

// file files r with the merchant: through the connector when it takes
// requests, else (or when only shopdesk's database holds it, or the
// merchant's system fails) by handing the conversation to a person, whom
// the Note tells what to do. The flow ends either way.
func (a *Actions) file(ctx context.Context, req Request, o commerce.Order, r commerce.ServiceRequest) (Result, bool, error) {
	lang, in := req.Language, req.state.Flow.intent()
	req.state.Flow = nil
	r.OrderID, r.CustomerID, r.ConversationID = o.ID, o.CustomerID, req.Conv.ID
	words := requestWords[r.Kind]
	var filed commerce.ServiceRequest
	err := fmt.Errorf("%w: the connector takes no requests", commerce.ErrNotSupported)
	if rs, ok := a.opts.Shop.(commerce.Requests); ok {
		filed, err = rs.CreateRequest(ctx, req.Tenant, r)
	}
	if err == nil && filed.Delivered {
		fact := requestFact(filed)
		return Result{Intent: in, Facts: []Fact{fact}, Text: say(lang,
			fmt.Sprintf("Done: your %s request for order %s is with the shop, reference %s [1]. You'll hear by email once it's confirmed.", words[0], o.ID, filed.ID),
			fmt.Sprintf("已提交订单 %s 的%s申请，编号 %s [1]。处理结果会通过邮件通知您。", o.ID, words[1], filed.ID))}, true, nil
	}
	res := Result{Intent: in, Handoff: r.Kind}
	if err == nil {
		res.Facts = []Fact{requestFact(filed)}
		res.Note = noteOf(filed, "recorded in shopdesk only; please carry it out in the shop's system")
		res.Text = say(lang,
			fmt.Sprintf("I've recorded your %s request for order %s, reference %s [1], and passed it to our team, who will confirm by email.", words[0], o.ID, filed.ID),
			fmt.Sprintf("已记录订单 %s 的%s申请，编号 %s [1]，并已转交客服处理，结果会通过邮件通知您。", o.ID, words[1], filed.ID))
		return res, true, nil
	}
	if !errors.Is(err, commerce.ErrNotSupported) && ctx.Err() != nil {
		return Result{}, false, ctx.Err()
	}
	why := "the shop's system takes no such requests from shopdesk"
	if !errors.Is(err, commerce.ErrNotSupported) {
		why = "the shop's system did not take it (" + err.Error() + ")"
	}
	res.Note = noteOf(r, why+"; please carry it out")
	res.Text = say(lang,
		fmt.Sprintf("I've passed your %s request for order %s to our team; they will confirm by email.", words[0], o.ID),
		fmt.Sprintf("已将订单 %s 的%s申请转交客服处理，结果会通过邮件通知您。", o.ID, words[1]))
	return res, true, nil
}

// requestFact is the filed request as a source.
func requestFact(r commerce.ServiceRequest) Fact {
	return Fact{ID: "request:" + r.ID, Title: "Request " + r.ID,
		Text: fmt.Sprintf("Request %s: %s for order %s, status %s, filed %s.", r.ID, r.Kind, r.OrderID, r.Status, r.CreatedAt.Format("2006-01-02"))}
}

// noteOf tells the person taking over what the shopper asked for.
func noteOf(r commerce.ServiceRequest, status string) string {
	s := fmt.Sprintf("The shopper asked for %s on order %s", r.Kind, r.OrderID)
	if r.ID != "" {
		s += " (reference " + r.ID + ")"
	}
	switch r.Kind {
	case commerce.RequestAddress:
		s += fmt.Sprintf("; new shipping address: %q", r.Address)
	case commerce.RequestInvoice:
		s += fmt.Sprintf("; made out to %q, tax ID %q, e-mail %q (empty: the order's)", r.InvoiceTitle, r.TaxID, r.Email)
	}
	return s + "; " + status + "."
}
