package actions

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/mention"
)

// stepDetails asks who an invoice is made out to.
const stepDetails = "details"

// maxTitleRunes bounds an invoice's title.
const maxTitleRunes = 100

var (
	// taxID is a buyer's tax number: China's 18-character unified social
	// credit code, or another 8 to 20 letters and digits with a digit,
	// after a cue or standing alone in upper case.
	taxID = regexp.MustCompile(`(?i)(?:tax\s*id|vat(?:\s*(?:no|number))?|税号|纳税人识别号)[\s:：#]*([0-9A-Z]{8,20})|\b([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})\b`)
	// personal answers that the invoice is for the person on the order.
	personal = regexp.MustCompile(`(?i)^\s*(personal|individual|just me|me|myself|my name|same|个人|本人|我自己|个人抬头)\s*[.!。！]?\s*$`)
	// titleCue starts a segment naming the title; segmentCue is what is
	// left of a segment once its e-mail or tax ID is taken out.
	titleCue   = regexp.MustCompile(`(?i)^\s*(?:please\s+)?(?:make\s+it\s+out\s+to|made\s+out\s+to|the\s+company\s+is|company(?:\s+name)?(?:\s+is)?|title(?:\s+is)?|抬头(?:是|为)?|公司名称(?:是|为)?|开给)\s*[:：]?\s*`)
	segmentCue = regexp.MustCompile(`(?i)^\s*(?:and\s+)?(?:please\s+)?(?:send\s+(?:it\s+)?to|e-?mail(?:\s+it)?(?:\s+to)?|to|tax\s*id|vat(?:\s*(?:no|number))?|税号|纳税人识别号|邮箱|发到|发送到)?\s*(?:is|是|为)?\s*[:：]?\s*$`)
	segments   = regexp.MustCompile(`[,，;；\n]+`)
)

// continueInvoice runs an invoice request: which order → who it is made
// out to (a person, or a company with its tax ID, as a 发票 needs) and
// where it goes → "request an invoice …? yes/no" → the request is filed.
func (a *Actions) continueInvoice(ctx context.Context, req Request) (Result, bool, error) {
	f, lang := req.state.Flow, req.Language
	o, stop, err := a.flowOrder(ctx, req)
	if stop != nil || err != nil {
		return derefResult(stop), stop != nil, err
	}
	res := func(text string) (Result, bool, error) {
		return Result{Intent: Invoice, Text: text, Facts: []Fact{orderFact(o)}}, true, nil
	}
	if o.Status == commerce.StatusCancelled {
		req.state.Flow = nil
		return res(say(lang, fmt.Sprintf("Order %s was cancelled, so there is nothing to invoice [1].", o.ID),
			fmt.Sprintf("订单 %s 已取消，无需开票 [1]。", o.ID)))
	}
	askDetails := func() (Result, bool, error) {
		f.Step = stepDetails
		return res(say(lang,
			fmt.Sprintf("Who should the invoice for order %s [1] be made out to? Reply \"personal\" for the name on the order, or give the company name and its tax ID. It goes to the order's email unless you add another one.", o.ID),
			fmt.Sprintf("订单 %s [1] 的发票抬头开给谁？回复“个人”即按订单姓名开具；公司发票请提供公司名称和税号。发票默认发送到订单邮箱，也可以另附邮箱。", o.ID)))
	}
	switch f.Step {
	case stepOrder:
		return askDetails()
	case stepDetails:
		title, tax, email := invoiceDetails(req.Message, req.found)
		if title == "" && !personal.MatchString(req.Message) {
			return askDetails()
		}
		f.InvoiceTitle, f.TaxID, f.Email, f.Step = title, tax, email, stepConfirm
		return res(invoiceConfirm(lang, o, f))
	case stepConfirm:
		switch {
		case isYes(req.Message):
			return a.file(ctx, req, o, commerce.ServiceRequest{Kind: commerce.RequestInvoice, InvoiceTitle: f.InvoiceTitle, TaxID: f.TaxID, Email: f.Email})
		case isNo(req.Message):
			return askDetails()
		}
		return res(invoiceConfirm(lang, o, f))
	}
	req.state.Flow = nil
	return Result{}, false, nil
}

// invoiceDetails reads a title, a tax ID and an e-mail address from msg:
// the title is the first comma-separated segment left once the e-mail
// and tax ID are taken out, without its cue ("抬头：", "company:").
// "personal" and its like leave the title empty.
func invoiceDetails(msg string, found mention.Mentions) (title, tax, email string) {
	email = found.First(mention.Email)
	if m := taxID.FindStringSubmatch(msg); m != nil {
		tax = strings.ToUpper(m[1] + m[2])
	}
	if personal.MatchString(msg) {
		return "", tax, email
	}
	for _, seg := range segments.Split(msg, -1) {
		if m := taxID.FindString(seg); m != "" {
			seg = strings.Replace(seg, m, " ", 1)
		}
		for _, e := range mention.Emails(seg) {
			seg = strings.Replace(seg, e, " ", 1)
		}
		if segmentCue.MatchString(seg) {
			continue
		}
		title = strings.Trim(strings.Join(strings.Fields(titleCue.ReplaceAllString(seg, "")), " "), " .。!！")
		if title != "" {
			break
		}
	}
	return truncate(title, maxTitleRunes), tax, email
}

func invoiceConfirm(lang string, o commerce.Order, f *Flow) string {
	to := say(lang, "the name on the order", "个人（订单姓名）")
	if f.InvoiceTitle != "" {
		to = f.InvoiceTitle
	}
	if f.TaxID != "" {
		to += say(lang, ", tax ID ", "，税号 ") + f.TaxID
	}
	mail := say(lang, "the order's email", "订单邮箱")
	if f.Email != "" {
		mail = f.Email
	}
	return say(lang,
		fmt.Sprintf("Request an invoice for order %s [1], made out to %s, sent to %s? Please answer yes or no.", o.ID, to, mail),
		fmt.Sprintf("为订单 %s [1] 申请发票，抬头：%s，发送到：%s。确认吗？请回答是或否。", o.ID, to, mail))
}
