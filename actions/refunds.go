package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
)

// refundStatus tells the shopper where the return requests of their
// order stand, and their refunds, from the connector's records; without
// such records it hands the question to a person.
func (a *Actions) refundStatus(ctx context.Context, req Request) (Result, bool, error) {
	lang := req.Language
	o, err := a.authorizedOrder(ctx, req)
	if err != nil {
		return a.refuse(req, RefundStatus, err)
	}
	err = fmt.Errorf("%w: the connector lists no returns", commerce.ErrNotSupported)
	var rs []commerce.ReturnRequest
	if rl, ok := a.opts.Shop.(commerce.ReturnLister); ok {
		rs, err = rl.Returns(ctx, req.Tenant, o.ID)
	}
	if errors.Is(err, commerce.ErrNotSupported) {
		return Result{Intent: RefundStatus, Facts: []Fact{orderFact(o)}, Handoff: string(RefundStatus),
			Note: fmt.Sprintf("The shopper asks where the refund for order %s stands; shopdesk cannot see return requests in the shop's system.", o.ID),
			Text: say(lang,
				fmt.Sprintf("I can't see the refunds for order %s [1] from here, so I've passed your question to our team; they'll reply by email.", o.ID),
				fmt.Sprintf("我这里查不到订单 %s [1] 的退款进度，已转交客服，结果会通过邮件回复您。", o.ID))}, true, nil
	}
	if err != nil {
		return Result{}, false, fmt.Errorf("returns of order %s: %w", o.ID, err)
	}
	facts := []Fact{orderFact(o)}
	if len(rs) == 0 {
		return Result{Intent: RefundStatus, Facts: facts, Text: say(lang,
			fmt.Sprintf("There is no return request on order %s [1], so no refund is under way. To start a return, say \"I want to return an item from order %s\".", o.ID, o.ID),
			fmt.Sprintf("订单 %s [1] 没有退货申请，因此没有进行中的退款。如需退货，请说“我要退货，订单 %s”。", o.ID, o.ID))}, true, nil
	}
	lines := []string{say(lang, fmt.Sprintf("The return requests of order %s [1]:", o.ID), fmt.Sprintf("订单 %s [1] 的退货申请：", o.ID))}
	for _, r := range rs {
		facts = append(facts, returnFact(o, r))
		lines = append(lines, fmt.Sprintf("- %s [%d]", returnLine(lang, o, r), len(facts)))
	}
	return Result{Intent: RefundStatus, Facts: facts, Text: strings.Join(lines, "\n")}, true, nil
}

// returnLine words a return request's status for the shopper.
func returnLine(lang string, o commerce.Order, r commerce.ReturnRequest) string {
	filed := r.CreatedAt.Format("2006-01-02")
	head := say(lang, fmt.Sprintf("%s (filed %s, %s): ", r.ID, filed, r.Resolution),
		fmt.Sprintf("%s（%s 提交，%s）：", r.ID, filed, map[string]string{commerce.ResolutionRefund: "退款", commerce.ResolutionExchange: "换货"}[r.Resolution]))
	switch r.Status {
	case commerce.ReturnRequested:
		return head + say(lang, "received and waiting for review; a refund is issued once the item is back with us.", "已收到，等待审核；商品退回后退款。")
	case commerce.ReturnApproved:
		return head + say(lang, "approved; the refund is issued once the item arrives back with us.", "已批准；商品寄回后即退款。")
	case commerce.ReturnReceived:
		return head + say(lang, "the item is back with us and the refund is being processed.", "商品已收到，退款处理中。")
	case commerce.ReturnRefunded:
		amount, day := "", ""
		if r.RefundAmount != nil {
			amount = " " + money(o.Currency, *r.RefundAmount)
		}
		if r.RefundedAt != nil {
			day = r.RefundedAt.Format("2006-01-02")
		}
		return head + say(lang, strings.TrimSpace(fmt.Sprintf("refunded%s %s", amount, onDay(day)))+" to the original payment method.",
			fmt.Sprintf("已退款%s%s，原路退回。", amount, zhDay(day)))
	case commerce.ReturnRejected:
		return head + say(lang, "not accepted; ask me for a person if you'd like to know why.", "未通过；如需了解原因，可以转人工。")
	}
	return head + r.Status
}

func onDay(day string) string {
	if day == "" {
		return ""
	}
	return "on " + day
}

func zhDay(day string) string {
	if day == "" {
		return ""
	}
	return "（" + day + "）"
}

// returnFact is a return request as a source.
func returnFact(o commerce.Order, r commerce.ReturnRequest) Fact {
	text := fmt.Sprintf("Return request %s for order %s, %s, status %s, filed %s.", r.ID, o.ID, r.Resolution, r.Status, r.CreatedAt.Format("2006-01-02"))
	if r.RefundAmount != nil {
		text += " Refund " + money(o.Currency, *r.RefundAmount) + "."
	}
	if r.RefundedAt != nil {
		text += " Refunded " + r.RefundedAt.Format("2006-01-02") + "."
	}
	return Fact{ID: "return:" + r.ID, Title: "Return request " + r.ID, Text: text}
}
