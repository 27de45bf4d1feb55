// Package commerce is shopdesk's view of a merchant's shop: customers,
// orders, the catalog with stock, and return requests, behind one small
// Connector interface with two backends — the embedded SQLite store
// (commerce/sqlstore, filled by `shopdesk import`) and the merchant's own
// HTTP API (commerce/httpapi).
//
// Every call names its tenant. A connector never decides who may see an
// order: callers verify the shopper first (see package identity).
package commerce

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound reports a record the tenant does not have.
var ErrNotFound = errors.New("not found")

// Customer is a shopper with an account.
type Customer struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Country  string `json:"country,omitempty"`
	Language string `json:"language,omitempty"`
}

// OrderLine is one item of an order.
type OrderLine struct {
	SKU       string  `json:"sku"`
	Name      string  `json:"name"`
	Qty       int     `json:"qty"`
	UnitPrice float64 `json:"unit_price"`
}

// The order statuses shopdesk knows; connectors map theirs onto these.
const (
	StatusProcessing = "processing"
	StatusShipped    = "shipped"
	StatusDelivered  = "delivered"
	StatusCancelled  = "cancelled"
	StatusReturned   = "returned"
)

// Order is a placed order.
type Order struct {
	ID               string      `json:"id"`
	CustomerID       string      `json:"customer_id"`
	Email            string      `json:"email"`
	Phone            string      `json:"phone,omitempty"`
	Status           string      `json:"status"`
	PlacedAt         time.Time   `json:"placed_at"`
	ShippedAt        *time.Time  `json:"shipped_at,omitempty"`
	DeliveredAt      *time.Time  `json:"delivered_at,omitempty"`
	Carrier          string      `json:"carrier,omitempty"`
	TrackingNumber   string      `json:"tracking_number,omitempty"`
	Currency         string      `json:"currency"`
	ShippingPostcode string      `json:"shipping_postcode,omitempty"`
	Lines            []OrderLine `json:"lines"`
	Subtotal         float64     `json:"subtotal"`
	Shipping         float64     `json:"shipping"`
	Total            float64     `json:"total"`
}

// Variant is one color and size of a product.
type Variant struct {
	SKU   string `json:"sku"`
	Color string `json:"color,omitempty"`
	Size  string `json:"size,omitempty"`
	Stock int    `json:"stock"`
	// PriceUSD and PriceCNY, when set, override the product's prices for
	// this variant (gift card denominations, say).
	PriceUSD *float64 `json:"price_usd,omitempty"`
	PriceCNY *float64 `json:"price_cny,omitempty"`
}

// Product is a catalog record: the only source of prices, stock,
// variants and specifications in answers.
type Product struct {
	SKU           string    `json:"sku"`
	Name          string    `json:"name"`
	NameZh        string    `json:"name_zh,omitempty"`
	Category      string    `json:"category,omitempty"`
	Brand         string    `json:"brand,omitempty"`
	Description   string    `json:"description,omitempty"`
	DescriptionZh string    `json:"description_zh,omitempty"`
	PriceUSD      *float64  `json:"price_usd,omitempty"`
	PriceCNY      *float64  `json:"price_cny,omitempty"`
	Stock         int       `json:"stock"`
	Variants      []Variant `json:"variants,omitempty"`
	Materials     string    `json:"materials,omitempty"`
	Care          string    `json:"care,omitempty"`
	Warranty      string    `json:"warranty,omitempty"`
	Returnable    bool      `json:"returnable"`
	FinalSale     bool      `json:"final_sale"`
	Tags          []string  `json:"tags,omitempty"`
	Related       []string  `json:"related,omitempty"`
	URL           string    `json:"url,omitempty"`
}

// ReturnLine is one item being returned or exchanged.
type ReturnLine struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
	// ExchangeSKU is the replacement variant, for an exchange.
	ExchangeSKU string `json:"exchange_sku,omitempty"`
}

// The resolutions a return can ask for.
const (
	ResolutionRefund   = "refund"
	ResolutionExchange = "exchange"
)

// ReturnRequest is a return or exchange the shopper asked for.
type ReturnRequest struct {
	// ID is the reference given to the shopper; the connector assigns it.
	ID             string       `json:"id"`
	OrderID        string       `json:"order_id"`
	CustomerID     string       `json:"customer_id,omitempty"`
	ConversationID string       `json:"conversation_id,omitempty"`
	Lines          []ReturnLine `json:"lines"`
	Reason         string       `json:"reason"`
	Resolution     string       `json:"resolution"`
	Status         string       `json:"status"`
	CreatedAt      time.Time    `json:"created_at"`
	// RefundAmount and RefundedAt are the refund issued, when the
	// merchant's system reports one (in the order's currency).
	RefundAmount *float64   `json:"refund_amount,omitempty"`
	RefundedAt   *time.Time `json:"refunded_at,omitempty"`
}

// The statuses of a return request shopdesk words for shoppers;
// connectors map theirs onto these, and others are shown as given.
const (
	ReturnRequested = "requested"
	ReturnApproved  = "approved"
	ReturnReceived  = "received"
	ReturnRefunded  = "refunded"
	ReturnRejected  = "rejected"
)

// The kinds of ServiceRequest.
const (
	RequestCancel  = "cancel_order"
	RequestAddress = "change_address"
	RequestInvoice = "invoice"
)

// ServiceRequest is something a shopper asked the merchant to do with an
// order that shopdesk cannot do itself: cancel it, change its shipping
// address, or issue an invoice.
type ServiceRequest struct {
	// ID is the reference given to the shopper; the connector assigns it.
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	OrderID        string `json:"order_id"`
	CustomerID     string `json:"customer_id,omitempty"`
	ConversationID string `json:"conversation_id,omitempty"`
	// Address is the new shipping address (change_address), in the
	// shopper's words; Postcode the postcode found in it, if any.
	Address  string `json:"address,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	// InvoiceTitle is who an invoice is made out to (a person or a
	// company: 发票抬头), TaxID the buyer's tax number (税号), Email where
	// it is sent; empty Email means the order's.
	InvoiceTitle string    `json:"invoice_title,omitempty"`
	TaxID        string    `json:"tax_id,omitempty"`
	Email        string    `json:"email,omitempty"`
	Status       string    `json:"status"`
	CreatedAt    time.Time `json:"created_at"`
	// Delivered reports that the merchant's own system took the request
	// (its API answered with a reference); false means only shopdesk's
	// database holds it, and a person has to act on it.
	Delivered bool `json:"-"`
}

// Connector reads a merchant's shop and files return requests. Lookups of
// records the tenant does not have return ErrNotFound.
type Connector interface {
	Customer(ctx context.Context, tenant, id string) (Customer, error)
	Order(ctx context.Context, tenant, id string) (Order, error)
	// Orders lists a customer's orders, newest first.
	Orders(ctx context.Context, tenant, customerID string) ([]Order, error)
	Product(ctx context.Context, tenant, sku string) (Product, error)
	// Products lists the whole catalog.
	Products(ctx context.Context, tenant string) ([]Product, error)
	// CreateReturn files r and returns it with its ID and status.
	CreateReturn(ctx context.Context, tenant string, r ReturnRequest) (ReturnRequest, error)
}

// Requests is implemented by connectors that take service requests.
type Requests interface {
	// CreateRequest files r and returns it with its reference and
	// status. The order must exist (else ErrNotFound, wrapped). An error
	// wrapping ErrNotSupported means this connector cannot take requests
	// of r.Kind; nothing was filed.
	CreateRequest(ctx context.Context, tenant string, r ServiceRequest) (ServiceRequest, error)
}

// ReturnLister is implemented by connectors that can list the return
// requests of an order, with their status and refund.
type ReturnLister interface {
	// Returns lists the return requests of the tenant's order, oldest
	// first; none (and no error) when there are none. ErrNotSupported
	// (wrapped) when the connector cannot tell.
	Returns(ctx context.Context, tenant, orderID string) ([]ReturnRequest, error)
}

// ErrNotSupported reports a capability the connector does not have as
// configured.
var ErrNotSupported = errors.New("not supported by this connector")

// OrderLister is implemented by connectors that can list every order of a
// tenant, for "often bought together" statistics.
type OrderLister interface {
	AllOrders(ctx context.Context, tenant string) ([]Order, error)
}
