package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
)

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
