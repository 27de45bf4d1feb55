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

// OrderLister is implemented by connectors that can list every order of a
// tenant, for "often bought together" statistics.
type OrderLister interface {
	AllOrders(ctx context.Context, tenant string) ([]Order, error)
}
