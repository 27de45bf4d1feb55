package actions

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/mention"
)

// Bounds of a new shipping address, in runes.
const (
	minAddressRunes = 8
	maxAddressRunes = 300
)

// stepAddress asks for the new shipping address.
const stepAddress = "address"

// continueAddress runs a change of shipping address: which order → is it
// still being prepared → the new address → "ship order X to …? yes/no" →
// the request is filed. Only the new address, which the shopper wrote,
// is ever repeated; the one on the order is never shown.
func (a *Actions) continueAddress(ctx context.Context, req Request) (Result, bool, error) {
	f, lang := req.state.Flow, req.Language
	o, stop, err := a.flowOrder(ctx, req)
	if stop != nil || err != nil {
		return derefResult(stop), stop != nil, err
	}
	if why, ok := a.beforeShipping(lang, o, flowAddress); !ok {
		req.state.Flow = nil
		return Result{Intent: ChangeAddress, Text: why, Facts: []Fact{orderFact(o)}}, true, nil
	}
	res := func(text string) (Result, bool, error) {
		return Result{Intent: ChangeAddress, Text: text, Facts: []Fact{orderFact(o)}}, true, nil
	}
	askAddress := func() (Result, bool, error) {
		f.Step = stepAddress
		return res(say(lang,
			fmt.Sprintf("Order %s hasn't shipped yet, so its address can still be changed [1]. What is the new shipping address? Please write it in full: name, street, city and postcode.", o.ID),
			fmt.Sprintf("订单 %s 尚未发货，可以修改收货地址 [1]。请告诉我新的完整收货地址：收件人、省市区、街道门牌和邮编。", o.ID)))
	}
	confirm := func() (Result, bool, error) {
		f.Step = stepConfirm
		return res(say(lang,
			fmt.Sprintf("Ship order %s [1] to this address instead?\n%s\nPlease answer yes or no.", o.ID, f.Address),
			fmt.Sprintf("将订单 %s [1] 改寄到以下地址吗？\n%s\n请回答是或否。", o.ID, f.Address)))
	}
	switch f.Step {
	case stepOrder:
		return askAddress()
	case stepAddress:
		addr, ok := readAddress(req.Message)
		if !ok {
			return res(say(lang,
				fmt.Sprintf("That doesn't look like a full address. Please write the new address in one message (between %d and %d characters): name, street, city and postcode.", minAddressRunes, maxAddressRunes),
				fmt.Sprintf("这看起来不像完整的地址。请在一条消息里写出新地址（%d 到 %d 个字）：收件人、省市区、街道门牌和邮编。", minAddressRunes, maxAddressRunes)))
		}
		f.Address = addr
		if pc := mention.Postcodes(addr); len(pc) > 0 {
			f.Postcode = pc[len(pc)-1]
		}
		return confirm()
	case stepConfirm:
		switch {
		case isYes(req.Message):
			return a.file(ctx, req, o, commerce.ServiceRequest{Kind: commerce.RequestAddress, Address: f.Address, Postcode: f.Postcode})
		case isNo(req.Message):
			return askAddress()
		}
		return confirm()
	}
	req.state.Flow = nil
	return Result{}, false, nil
}

// readAddress takes msg as an address: its lines joined, within the
// bounds, and holding a digit (a street number or postcode) and letters.
func readAddress(msg string) (string, bool) {
	addr := strings.Join(strings.Fields(msg), " ")
	n := len([]rune(addr))
	if n < minAddressRunes || n > maxAddressRunes {
		return "", false
	}
	digit := strings.IndexFunc(addr, unicode.IsDigit) >= 0
	letter := strings.IndexFunc(addr, unicode.IsLetter) >= 0
	return addr, digit && letter
}
