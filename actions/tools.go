package actions

import (
	"context"
	"fmt"

	"github.com/shopdesk/shopdesk/intent"
)

// ToolSpec describes an action the model may call.
type ToolSpec struct {
	Name        string
	Description string
	// Parameters is the JSON schema of the arguments.
	Parameters string
}

// Tools are the actions offered to models that call tools. A call runs
// exactly the code the deterministic path runs, with the same checks: a
// model cannot see an order the shopper has not proven is theirs.
var Tools = []ToolSpec{
	{"order_status", "Look up the status and tracking of one of the shopper's orders. Needs the order number and, unless the shopper is signed in, the email, phone number or postcode on the order.",
		`{"type":"object","properties":{"order_number":{"type":"string"},"proof":{"type":"string","description":"email, phone number or postcode on the order"}},"required":["order_number"]}`},
	{"list_orders", "List the signed-in shopper's recent orders.", `{"type":"object","properties":{}}`},
	{"start_return", "Start a guided return or exchange for one of the shopper's orders.",
		`{"type":"object","properties":{"order_number":{"type":"string"},"proof":{"type":"string"}}}`},
	{"cancel_order", "Cancel one of the shopper's orders that has not shipped yet; asks the shopper to confirm.",
		`{"type":"object","properties":{"order_number":{"type":"string"},"proof":{"type":"string"}}}`},
	{"change_address", "Change the shipping address of one of the shopper's orders that has not shipped yet; asks for the new address and a confirmation.",
		`{"type":"object","properties":{"order_number":{"type":"string"},"proof":{"type":"string"}}}`},
	{"refund_status", "Tell the status of the return requests and refunds of one of the shopper's orders.",
		`{"type":"object","properties":{"order_number":{"type":"string"},"proof":{"type":"string"}}}`},
	{"invoice", "Request an invoice (发票) for one of the shopper's orders; asks who it is made out to.",
		`{"type":"object","properties":{"order_number":{"type":"string"},"proof":{"type":"string"}}}`},
	{"product_lookup", "Look up a catalog product's price, stock, colors, sizes and warranty by name or SKU.",
		`{"type":"object","properties":{"query":{"type":"string","description":"product name or SKU"}},"required":["query"]}`},
	{"recommend", "Recommend in-stock products, optionally related to an interest.",
		`{"type":"object","properties":{"interest":{"type":"string"}}}`},
}

// Call runs the tool a model called, as if the shopper had asked for it
// with the arguments given; handled is false for tools that do not apply
// (an unknown name, or a product the catalog lacks).
func (a *Actions) Call(ctx context.Context, req Request, name string, args map[string]any) (Result, bool, error) {
	save, err := req.withState()
	if err != nil {
		return Result{}, false, err
	}
	defer save()
	asked := req.Message
	arg := func(k string) string {
		v, _ := args[k].(string)
		return v
	}
	switch name { // the call as the shopper's words
	case "order_status", "start_return", "cancel_order", "change_address", "refund_status", "invoice":
		req.Message = fmt.Sprintf("order %s %s", arg("order_number"), arg("proof"))
	case "product_lookup":
		req.Message = arg("query")
	case "recommend":
		req.Message = arg("interest")
	}
	a.read(ctx, &req)
	res, handled, err := a.call(ctx, req, name)
	if handled {
		res.By, res.Confidence = ByTool, a.opts.Intents.prob(a.opts.Intents.Model(), asked, intent.Label(res.Intent))
	}
	return res, handled, err
}

// call runs the tool name.
func (a *Actions) call(ctx context.Context, req Request, name string) (Result, bool, error) {
	switch name {
	case "order_status":
		return a.orderStatus(ctx, req)
	case "list_orders":
		return a.listOrders(ctx, req)
	case "start_return", "cancel_order", "change_address", "invoice":
		req.state.Flow = &Flow{Kind: flowKinds[Intent(name)], Step: stepOrder}
		return a.continueFlow(ctx, req)
	case "refund_status":
		return a.refundStatus(ctx, req)
	case "product_lookup":
		return a.productLookup(ctx, req)
	case "recommend":
		return a.recommend(ctx, req)
	}
	return Result{}, false, nil
}
