package actions

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
)

// cancelVerb starts an answer that repeats the request ("cancel it",
// "取消吧"): at the confirmation it is neither a yes nor a no, so the
// question is asked again rather than guessed.
var cancelVerb = regexp.MustCompile(`(?i)^\s*(cancel|取消)`)

// continueCancel runs the cancellation: which order → is it still being
// prepared → "cancel order X (items)? yes/no" → the request is filed.
// The order's status is checked again at the confirmation, in case it
// shipped meanwhile.
func (a *Actions) continueCancel(ctx context.Context, req Request) (Result, bool, error) {
	f, lang := req.state.Flow, req.Language
	o, stop, err := a.flowOrder(ctx, req)
	if stop != nil || err != nil {
		return derefResult(stop), stop != nil, err
	}
	if why, ok := a.beforeShipping(lang, o, flowCancel); !ok {
		req.state.Flow = nil
		return Result{Intent: CancelOrder, Text: why, Facts: []Fact{orderFact(o)}}, true, nil
	}
	ask := func() (Result, bool, error) {
		f.Step = stepConfirm
		return Result{Intent: CancelOrder, Facts: []Fact{orderFact(o)}, Text: say(lang,
			fmt.Sprintf("Cancel order %s (%s) [1]? It hasn't shipped yet. Please answer yes or no.", o.ID, itemList(o)),
			fmt.Sprintf("确认取消订单 %s（%s）吗 [1]？订单尚未发货。请回答是或否。", o.ID, itemList(o)))}, true, nil
	}
	if f.Step != stepConfirm {
		return ask()
	}
	switch {
	case isYes(req.Message):
		return a.file(ctx, req, o, commerce.ServiceRequest{Kind: commerce.RequestCancel})
	case isNo(req.Message) && !cancelVerb.MatchString(req.Message):
		req.state.Flow = nil
		return Result{Intent: CancelOrder, Text: stopped(lang, flowCancel)}, true, nil
	}
	return ask()
}

// itemList names an order's items, "2 × Tent, Stove".
func itemList(o commerce.Order) string {
	var parts []string
	for _, l := range o.Lines {
		if l.Qty > 1 {
			parts = append(parts, fmt.Sprintf("%d × %s", l.Qty, l.Name))
		} else {
			parts = append(parts, l.Name)
		}
	}
	return strings.Join(parts, ", ")
}

// derefResult is *r, or the zero Result.
func derefResult(r *Result) Result {
	if r == nil {
		return Result{}
	}
	return *r
}
