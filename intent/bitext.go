package intent

import "github.com/shopdesk/shopdesk/bitext"

// BitextMapping maps Bitext's intents onto ours. Intents absent from it
// are left out because they would teach a wrong boundary:
// delivery_period mixes "when will my order arrive" (order_status) with
// "how long does shipping take" (a policy question); change_order
// (swapping items of an order) has no label of ours; and
// set_up_shipping_address is about an account's address book, next to
// change_address for an order.
var BitextMapping = map[string]Label{
	"track_order":              OrderStatus,
	"cancel_order":             CancelOrder,
	"change_shipping_address":  ChangeAddress,
	"get_invoice":              Invoice,
	"check_invoice":            Invoice,
	"track_refund":             RefundStatus,
	"get_refund":               StartReturn, // "I want my money back for this order"
	"place_order":              None,
	"check_refund_policy":      None,
	"check_cancellation_fee":   None,
	"delivery_options":         None,
	"check_payment_methods":    None,
	"payment_issue":            None,
	"complaint":                None,
	"review":                   None,
	"contact_customer_service": None,
	"contact_human_agent":      None,
	"create_account":           None,
	"delete_account":           None,
	"edit_account":             None,
	"switch_account":           None,
	"recover_password":         None,
	"registration_problems":    None,
	"newsletter_subscription":  None,
}

// BitextExamples maps rows onto our intents as English training examples,
// leaving out the unmapped intents and empty texts.
func BitextExamples(rows []bitext.Row) []Example {
	var out []Example
	for _, r := range rows {
		l, ok := BitextMapping[r.Intent]
		if !ok {
			continue
		}
		ex, err := Example{Text: r.Text, Intent: l, Lang: "en", Split: SplitTrain, Source: SourceBitext}.validate()
		if err != nil {
			continue
		}
		out = append(out, ex)
	}
	return out
}
