package actions

import (
	"encoding/json"
	"fmt"

	"github.com/shopdesk/shopdesk/conversation"
)

// State is what the actions keep between the turns of a conversation:
// which orders the shopper has proven are theirs, and the flow in
// progress. The conversation stores it opaquely (Conversation.State);
// only this package reads or writes it.
type State struct {
	// VerifiedOrders are order IDs the shopper proved with a matching
	// email, phone or postcode.
	VerifiedOrders []string `json:"verified_orders,omitempty"`
	// Flow is the guided flow in progress, if any.
	Flow *Flow `json:"flow,omitempty"`
	// Pending is the commerce request waiting for the shopper's order
	// number or proof of identity.
	Pending string `json:"pending,omitempty"`
	// Failed counts failed verification attempts in this conversation.
	Failed int `json:"failed_verifications,omitempty"`
}

// Flow is a guided request in progress, step by step: a return or
// exchange, a cancellation, a change of address or an invoice.
type Flow struct {
	Kind       string   `json:"kind"` // "return", "cancel", "address" or "invoice"
	Step       string   `json:"step"`
	OrderID    string   `json:"order_id,omitempty"`
	SKUs       []string `json:"skus,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	Resolution string   `json:"resolution,omitempty"`
	// ExchangeSKU is the replacement variant for an exchange.
	ExchangeSKU string `json:"exchange_sku,omitempty"`
	// ReturnID is the reference of the filed request, once done.
	ReturnID string `json:"return_id,omitempty"`
	// Address and Postcode are the new shipping address asked for.
	Address  string `json:"address,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	// InvoiceTitle, TaxID and Email are an invoice's details; empty
	// Email means the order's.
	InvoiceTitle string `json:"invoice_title,omitempty"`
	TaxID        string `json:"tax_id,omitempty"`
	Email        string `json:"email,omitempty"`
}

// StateOf decodes the actions' state of c; an empty state for a
// conversation that has none.
func StateOf(c *conversation.Conversation) (*State, error) {
	st := &State{}
	if len(c.State) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(c.State, st); err != nil {
		return nil, fmt.Errorf("conversation %s: actions state: %w", c.ID, err)
	}
	return st, nil
}

// put stores st back into c.
func put(c *conversation.Conversation, st *State) {
	b, err := json.Marshal(st)
	if err != nil {
		panic("actions: state does not encode: " + err.Error()) // plain data, cannot fail
	}
	c.State = b
}

// AwaitsAnswer reports whether c has a flow waiting for the shopper's
// answer to its question (an item, a reason, an address, a yes or no).
// Such answers are short and out of the mood model's reach ("个人", an
// invoice for a person, reads to it as a request for one), so the
// assistant lets only the hand-off rules escalate them.
func AwaitsAnswer(c *conversation.Conversation) bool {
	st, err := StateOf(c)
	return err == nil && st.Flow != nil && st.Flow.Step != stepOrder && st.Flow.Step != stepDone
}
