// Package intent tells what a shopper's message, in English or Chinese,
// asks the shop to do: one of the Labels, or None.
//
// A Classifier is a linear model over hashed character and word n-grams
// (package textclass), trained from labelled examples: the project's
// bilingual set (data/examples.jsonl), the Bitext customer-support set
// mapped onto these labels, and the merchant's own examples. Classify
// takes a few microseconds, does no I/O and is safe for concurrent use.
// A confidence threshold chosen on the dev split turns uncertain actions
// into None, so that a policy question ("how long do I have to return?")
// is not taken as a request.
package intent

import (
	"sync"

	"github.com/shopdesk/shopdesk/textclass"
)

// Label is an intent. The values are the strings the answer pipeline
// dispatches on.
type Label string

// The intents.
const (
	None          Label = "none"           // everything else: policy questions, greetings, complaints, account questions, asking for a person
	OrderStatus   Label = "order_status"   // where is my order, tracking, has it shipped
	ListOrders    Label = "list_orders"    // my orders, order history
	StartReturn   Label = "start_return"   // return or exchange an item, a refund for an item
	ProductLookup Label = "product_lookup" // stock, price, colours, sizes, specs, materials, warranty of a product
	Recommend     Label = "recommend"      // suggest, what goes with
	CancelOrder   Label = "cancel_order"   // cancel an order
	ChangeAddress Label = "change_address" // change the shipping address of an order
	RefundStatus  Label = "refund_status"  // where is my refund
	Invoice       Label = "invoice"        // an invoice, a receipt, 发票
)

// Labels lists every intent, None first; it is the class order of the
// model.
var Labels = []Label{None, OrderStatus, ListOrders, StartReturn, ProductLookup, Recommend, CancelOrder, ChangeAddress, RefundStatus, Invoice}

// Valid reports whether l is one of Labels.
func Valid(l Label) bool {
	for _, x := range Labels {
		if x == l {
			return true
		}
	}
	return false
}

// Classifier labels messages. It is immutable and safe for concurrent
// use.
type Classifier struct {
	model *textclass.Model
	// thresholds[i] is the confidence below which action Labels[i]
	// becomes None (thresholds[0], None's, is 0).
	thresholds []float32
	bufs       sync.Pool // *buffers
}

type buffers struct {
	vec   textclass.Vector
	probs []float32
}

func newClassifier(m *textclass.Model, thresholds []float32) *Classifier {
	k := len(m.Labels)
	if thresholds == nil {
		thresholds = make([]float32, k)
	}
	c := &Classifier{model: m, thresholds: thresholds}
	c.bufs.New = func() any { return &buffers{vec: make(textclass.Vector, 0, 512), probs: make([]float32, k)} }
	return c
}

// Threshold is the confidence below which action l is returned as None
// (0 for None itself).
func (c *Classifier) Threshold(l Label) float64 {
	if i := index(l); i >= 0 {
		return float64(c.thresholds[i])
	}
	return 0
}

// Classify returns the intent of text and the model's calibrated
// probability of it, in [0, 1]. An action whose probability is below
// its Threshold is returned as None with None's probability.
func (c *Classifier) Classify(text string) (Label, float64) {
	b := c.bufs.Get().(*buffers)
	defer c.bufs.Put(b)
	b.vec = c.model.Features.Extract(text, b.vec)
	best := c.model.Probs(b.vec, b.probs)
	return c.decide(b.probs, best)
}

func (c *Classifier) decide(probs []float32, best int) (Label, float64) {
	if best != 0 && probs[best] < c.thresholds[best] {
		return None, float64(probs[0])
	}
	return Labels[best], float64(probs[best])
}

// Probabilities returns the calibrated probability of each of Labels for
// text, in that order, before the threshold.
func (c *Classifier) Probabilities(text string) []float64 {
	b := c.bufs.Get().(*buffers)
	defer c.bufs.Put(b)
	b.vec = c.model.Features.Extract(text, b.vec)
	c.model.Probs(b.vec, b.probs)
	out := make([]float64, len(b.probs))
	for i, p := range b.probs {
		out[i] = float64(p)
	}
	return out
}
