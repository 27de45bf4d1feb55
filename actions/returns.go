package actions

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
)

// The steps of a guided return: which order → which items → why →
// refund or exchange (and the replacement) → confirmation → done.
const (
	stepOrder      = "order"
	stepItems      = "items"
	stepReason     = "reason"
	stepCondition  = "condition"
	stepResolution = "resolution"
	stepVariant    = "variant"
	stepConfirm    = "confirm"
	stepDone       = "done"
)

// continueReturn takes the shopper's message as the answer to the step
// the flow is on, and asks the next question. The flow lives in the
// conversation, so a shopper who comes back later resumes where they were.
func (a *Actions) continueReturn(ctx context.Context, req Request) (Result, bool, error) {
	f := req.state.Flow
	lang := req.Language
	res := func(text string, facts ...Fact) (Result, bool, error) {
		return Result{Intent: StartReturn, Text: text, Facts: facts}, true, nil
	}
	// ask is res for a question with quick replies.
	ask := func(text string, quick []string, facts ...Fact) (Result, bool, error) {
		return Result{Intent: StartReturn, Text: text, Facts: facts, QuickReplies: quick}, true, nil
	}
	yesNo := quickReplies(lang, []string{"Yes", "No"}, []string{"是", "不是"})
	first := f.Step == stepOrder
	o, stop, err := a.flowOrder(ctx, req)
	if stop != nil || err != nil {
		return derefResult(stop), stop != nil, err
	}
	if first {
		if clause, ok := a.orderReturnable(lang, o); !ok {
			req.state.Flow = nil
			return res(clause, orderFact(o))
		}
		f.Step = stepItems
		return ask(itemsQuestion(lang, o), itemChoices(lang, o), orderFact(o))
	}
	snap, err := a.opts.Catalog(ctx, req.Tenant)
	if err != nil {
		return Result{}, false, err
	}
	switch f.Step {
	case stepItems:
		skus := chosenLines(req.Message, o)
		if len(skus) == 0 {
			return ask(itemsQuestion(lang, o), itemChoices(lang, o), orderFact(o))
		}
		for _, sku := range skus {
			p, ok := snap.Resolve(sku)
			if ok && (p.FinalSale || !p.Returnable) {
				return res(say(lang,
					fmt.Sprintf("%s can't be returned: final sale and personalised items are not returnable under our return policy, unless they arrived defective or damaged [1]. Would you like to choose another item?", p.Name),
					fmt.Sprintf("%s 不支持退货：根据退货政策，清仓特价商品和个性化定制商品不可退货（质量问题或运输损坏除外）[1]。要选择其他商品吗？", nameIn(lang, p))),
					productFact(p))
			}
		}
		f.SKUs, f.Step = skus, stepReason
		return ask(say(lang, "Got it. What is the reason for the return?", "好的。请问退货原因是什么？"),
			quickReplies(lang, []string{"It doesn't fit", "Changed my mind", "It arrived damaged"}, []string{"尺码不合适", "不想要了", "收到时已损坏"}))
	case stepReason:
		reason := strings.TrimSpace(req.Message)
		if len([]rune(reason)) < 2 {
			return res(say(lang, "Please tell me briefly why you're returning it.", "请简单说明退货原因。"))
		}
		f.Reason = truncate(reason, 500)
		if defective.MatchString(reason) {
			// Defective, damaged or wrong items are accepted whatever their
			// condition.
			f.Step = stepResolution
			return ask(say(lang, "I'm sorry about that. Would you like a refund or an exchange for another size or color?", "很抱歉给您带来不便。您希望退款，还是换成其他尺码或颜色？"), refundOrExchange(lang))
		}
		f.Step = stepCondition
		return ask(say(lang, "Is the item unworn and unwashed, with the original tags still attached? (yes/no)", "商品是否未穿着、未洗涤，且原吊牌完好？（是/否）"), yesNo)
	case stepCondition:
		switch {
		case isYes(req.Message):
			f.Step = stepResolution
			return ask(say(lang, "Would you like a refund or an exchange for another size or color?", "您希望退款，还是换成其他尺码或颜色？"), refundOrExchange(lang))
		case isNo(req.Message):
			req.state.Flow = nil
			return res(say(lang,
				"I'm sorry, under our return policy items must be unworn, unwashed and have their original tags attached to be returned. If the item is defective, I can pass you to the team for a warranty claim.",
				"抱歉，根据退货政策，退货商品须未穿着、未洗涤且吊牌完好。如果商品有质量问题，可以转人工处理保修。"))
		}
		return ask(say(lang, "Please answer yes or no: is the item unworn, unwashed, with its tags?", "请回答是或否：商品是否未穿着、未洗涤且吊牌完好？"), yesNo)
	case stepResolution:
		switch {
		case wantsExchange.MatchString(req.Message):
			f.Resolution, f.Step = commerce.ResolutionExchange, stepVariant
			return ask(variantQuestion(lang, snap, f.SKUs[0]), variantChoices(snap, f.SKUs[0]))
		case wantsRefund.MatchString(req.Message):
			f.Resolution, f.Step = commerce.ResolutionRefund, stepConfirm
			return ask(confirmQuestion(lang, o, f), yesNo)
		}
		return ask(say(lang, "Refund or exchange?", "退款还是换货？"), refundOrExchange(lang))
	case stepVariant:
		p, _ := snap.Resolve(f.SKUs[0])
		v, ok := chosenVariant(req.Message, p, f.SKUs[0])
		if !ok {
			return ask(variantQuestion(lang, snap, f.SKUs[0]), variantChoices(snap, f.SKUs[0]), productFact(p))
		}
		f.ExchangeSKU, f.Step = v.SKU, stepConfirm
		return ask(confirmQuestion(lang, o, f), yesNo, productFact(p))
	case stepConfirm:
		if isNo(req.Message) {
			req.state.Flow = nil
			return res(say(lang, "Okay, I haven't filed anything. Anything else I can help with?", "好的，没有提交申请。还有什么可以帮您？"))
		}
		if !isYes(req.Message) {
			return ask(confirmQuestion(lang, o, f), yesNo)
		}
		r := commerce.ReturnRequest{OrderID: o.ID, CustomerID: o.CustomerID, ConversationID: req.Conv.ID,
			Reason: f.Reason, Resolution: f.Resolution}
		for _, sku := range f.SKUs {
			line := commerce.ReturnLine{SKU: sku, Qty: qtyOf(o, sku)}
			if f.Resolution == commerce.ResolutionExchange {
				line.ExchangeSKU = f.ExchangeSKU
			}
			r.Lines = append(r.Lines, line)
		}
		created, err := a.opts.Shop.CreateReturn(ctx, req.Tenant, r)
		if err != nil {
			return Result{}, false, fmt.Errorf("file the return: %w", err)
		}
		f.ReturnID, f.Step = created.ID, stepDone
		fact := Fact{ID: "return:" + created.ID, Title: "Return request " + created.ID,
			Text: fmt.Sprintf("Return request %s for order %s, %s, status %s.", created.ID, o.ID, created.Resolution, created.Status)}
		return res(say(lang,
			fmt.Sprintf("Done: your %s request is filed, reference %s [1]. We'll email the next steps to the address on the order.", created.Resolution, created.ID),
			fmt.Sprintf("已提交%s申请，编号 %s [1]。后续步骤会发送到订单邮箱。", map[string]string{"refund": "退款", "exchange": "换货"}[created.Resolution], created.ID)), fact)
	}
	req.state.Flow = nil
	return Result{}, false, nil
}

// orderReturnable checks the order against the return window.
func (a *Actions) orderReturnable(lang string, o commerce.Order) (string, bool) {
	if o.Status != commerce.StatusDelivered || o.DeliveredAt == nil {
		return say(lang,
			fmt.Sprintf("Order %s hasn't been delivered yet (status: %s), so it can't be returned yet [1]. Returns open once it arrives.", o.ID, o.Status),
			fmt.Sprintf("订单 %s 尚未签收（状态：%s），暂时无法退货 [1]。签收后即可申请。", o.ID, statusWord(lang, o.Status))), false
	}
	days := int(a.opts.Now().Sub(*o.DeliveredAt).Hours() / 24)
	if a.opts.Now().After(a.opts.Policy.deadline(*o.DeliveredAt)) {
		return say(lang,
			fmt.Sprintf("Order %s was delivered %d days ago; our return policy allows returns within %d days of delivery [1]. If an item is defective, I can pass you to the team for a warranty claim.", o.ID, days, a.opts.Policy.WindowDays),
			fmt.Sprintf("订单 %s 已签收 %d 天；根据退货政策，签收后 %d 天内可退货 [1]。如果商品有质量问题，可以转人工处理保修。", o.ID, days, a.opts.Policy.WindowDays)), false
	}
	return "", true
}

// quickReplies picks the quick replies in the shopper's language.
func quickReplies(lang string, en, zh []string) []string {
	if lang == "zh" {
		return zh
	}
	return en
}

func refundOrExchange(lang string) []string {
	return quickReplies(lang, []string{"Refund", "Exchange"}, []string{"退款", "换货"})
}

// itemChoices offers an order's lines (the flow reads their names) and,
// for several, all of them.
func itemChoices(lang string, o commerce.Order) []string {
	var out []string
	for i, l := range o.Lines {
		out = append(out, fmt.Sprintf("%d. %s", i+1, l.Name))
	}
	if len(o.Lines) > 1 {
		out = append(out, say(lang, "All items", "全部"))
	}
	return out
}

// variantChoices offers the in-stock variants to exchange for, at most six.
func variantChoices(snap *catalog.Snapshot, sku string) []string {
	p, ok := snap.Resolve(sku)
	if !ok {
		return nil
	}
	var out []string
	for _, v := range p.Variants {
		if v.Stock > 0 && v.SKU != sku && len(out) < 6 {
			out = append(out, strings.TrimSpace(v.Color+" "+v.Size))
		}
	}
	return out
}

func itemsQuestion(lang string, o commerce.Order) string {
	var lines []string
	for i, l := range o.Lines {
		lines = append(lines, fmt.Sprintf("%d. %s (%s) × %d", i+1, l.Name, l.SKU, l.Qty))
	}
	return say(lang, fmt.Sprintf("Which items from order %s would you like to return? Reply with their numbers [1]:", o.ID),
		fmt.Sprintf("订单 %s 中您要退哪些商品？请回复序号 [1]：", o.ID)) + "\n" + strings.Join(lines, "\n")
}

// Answers to the flow's questions.
var (
	numbers       = regexp.MustCompile(`\d+`)
	allItems      = regexp.MustCompile(`(?i)\ball\b|both|全部|都退`)
	wantsExchange = regexp.MustCompile(`(?i)exchange|swap|size|colou?r|换`)
	wantsRefund   = regexp.MustCompile(`(?i)refund|money\s+back|退款|退钱`)
)

// defective recognises reasons that make any item returnable.
var defective = regexp.MustCompile(`(?i)defect|damaged|broken|faulty|wrong\s+item|not\s+what\s+i\s+ordered|tear|ripped|leak|质量问题|坏了|破损|损坏|发错|瑕疵|漏`)

// chosenLines reads item choices: line numbers, SKUs or names; "all".
func chosenLines(msg string, o commerce.Order) []string {
	var skus []string
	add := func(s string) {
		if !slices.Contains(skus, s) {
			skus = append(skus, s)
		}
	}
	up, low := strings.ToUpper(msg), strings.ToLower(msg)
	if allItems.MatchString(msg) {
		for _, l := range o.Lines {
			add(l.SKU)
		}
		return skus
	}
	for _, l := range o.Lines {
		name := strings.ToLower(catalog.BaseName(l.Name))
		if strings.Contains(up, strings.ToUpper(l.SKU)) || (len(name) > 3 && strings.Contains(low, name)) {
			add(l.SKU)
		}
	}
	if len(skus) == 0 {
		for _, m := range numbers.FindAllString(msg, -1) {
			if n, err := strconv.Atoi(m); err == nil && n >= 1 && n <= len(o.Lines) {
				add(o.Lines[n-1].SKU)
			}
		}
	}
	return skus
}

func variantQuestion(lang string, snap *catalog.Snapshot, sku string) string {
	p, ok := snap.Resolve(sku)
	if !ok {
		return say(lang, "Which size or color would you like instead?", "您想换成什么尺码或颜色？")
	}
	var opts []string
	for _, v := range p.Variants {
		if v.Stock > 0 && v.SKU != sku {
			opts = append(opts, strings.TrimSpace(v.Color+" "+v.Size))
		}
	}
	if len(opts) == 0 {
		return say(lang, "I'm sorry, there is no other size or color in stock to exchange for. Would you like a refund instead?", "抱歉，没有其他有货的尺码或颜色可换。改为退款可以吗？")
	}
	return say(lang, "Which one would you like instead? In stock: ", "您想换成哪一款？有货：") + strings.Join(opts, ", ")
}

// chosenVariant finds the in-stock variant whose color and size the
// message names (words it does not name keep the current variant's).
func chosenVariant(msg string, p commerce.Product, current string) (commerce.Variant, bool) {
	low := " " + sizeWords.Replace(strings.ToLower(msg)) + " "
	low = strings.NewReplacer(",", " ", ".", " ", "!", " ", "?", " ", "，", " ", "。", " ").Replace(low)
	var cur commerce.Variant
	for _, v := range p.Variants {
		if v.SKU == current {
			cur = v
		}
	}
	for _, v := range p.Variants {
		if v.Stock <= 0 || v.SKU == current {
			continue
		}
		colorOK := v.Color == "" || strings.Contains(low, strings.ToLower(v.Color)) || (v.Color == cur.Color && !mentionsAny(low, p, "color"))
		sizeOK := v.Size == "" || strings.Contains(low, " "+strings.ToLower(v.Size)+" ") || (v.Size == cur.Size && !mentionsAny(low, p, "size"))
		if colorOK && sizeOK {
			return v, true
		}
	}
	return commerce.Variant{}, false
}

// sizeWords spells sizes the way variants name them.
var sizeWords = strings.NewReplacer("extra large", " xl ", "extra-large", " xl ", "x-large", " xl ", "large", " l ",
	"medium", " m ", "small", " s ", "加大号", " xl ", "大号", " l ", "中号", " m ", "小号", " s ", "大码", " l ", "中码", " m ", "小码", " s ")

func mentionsAny(low string, p commerce.Product, what string) bool {
	for _, v := range p.Variants {
		val := v.Color
		if what == "size" {
			val = " " + v.Size + " "
		}
		if strings.TrimSpace(val) != "" && strings.Contains(low, strings.ToLower(val)) {
			return true
		}
	}
	return false
}

func confirmQuestion(lang string, o commerce.Order, f *Flow) string {
	items := strings.Join(f.SKUs, ", ")
	if f.Resolution == commerce.ResolutionExchange {
		return say(lang, fmt.Sprintf("To confirm: exchange %s from order %s for %s, reason \"%s\". Shall I file it? (yes/no)", items, o.ID, f.ExchangeSKU, f.Reason),
			fmt.Sprintf("请确认：订单 %s 的 %s 换成 %s，原因“%s”。确认提交吗？（是/否）", o.ID, items, f.ExchangeSKU, f.Reason))
	}
	return say(lang, fmt.Sprintf("To confirm: return %s from order %s for a refund, reason \"%s\". Shall I file it? (yes/no)", items, o.ID, f.Reason),
		fmt.Sprintf("请确认：订单 %s 的 %s 退货退款，原因“%s”。确认提交吗？（是/否）", o.ID, items, f.Reason))
}

func qtyOf(o commerce.Order, sku string) int {
	for _, l := range o.Lines {
		if l.SKU == sku {
			return l.Qty
		}
	}
	return 1
}

func nameIn(lang string, p commerce.Product) string {
	if lang == "zh" && p.NameZh != "" {
		return p.NameZh
	}
	return p.Name
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
