// Package identity decides whether a shopper may see an order. Order
// details go only to a verified shopper: one the integrator vouches for
// (a customer ID sent with the tenant's API key, or a customer token
// signed with the tenant's secret), or one who gives the order number
// with the email, phone number or postcode on the order.
//
// Failures never say why: an order that does not exist and an order whose
// details do not match give the same error after the same time, so no
// answer or timing reveals whether someone else's order exists. Failed
// attempts are limited per conversation and per source (API key or client
// address), in the database, so a restart does not reset them.
package identity

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/sqlite"
)

// ErrNotVerified: the order number and proof do not match an order the
// shopper may see. It never says which part was wrong.
var ErrNotVerified = errors.New("those details do not match an order")

// ErrLocked: too many failed attempts; try again later.
var ErrLocked = errors.New("too many attempts")

// Options configures a Verifier.
type Options struct {
	DB *sql.DB
	// Orders looks orders up.
	Orders func(ctx context.Context, tenant, id string) (commerce.Order, error)
	// PerConversation and PerSource bound failed attempts within Window
	// (defaults 5, 20 and one hour).
	PerConversation int
	PerSource       int
	Window          time.Duration
	// MinDuration is the least time a verification takes, success or not,
	// so failures of either kind cannot be told apart (default 300ms).
	MinDuration time.Duration
}

// Verifier checks order claims.
type Verifier struct {
	opts Options
	now  func() time.Time
}

var migrations = []string{
	`CREATE TABLE verify_failures (
		tenant TEXT NOT NULL,
		key    TEXT NOT NULL,
		at     INTEGER NOT NULL
	);
	CREATE INDEX verify_failures_key ON verify_failures (tenant, key, at);`,
}

// New prepares the verifier's table.
func New(ctx context.Context, opts Options) (*Verifier, error) {
	if opts.DB == nil || opts.Orders == nil {
		return nil, errors.New("identity: DB and Orders are required")
	}
	if err := sqlite.Migrate(ctx, opts.DB, "identity", migrations); err != nil {
		return nil, err
	}
	if opts.PerConversation <= 0 {
		opts.PerConversation = 5
	}
	if opts.PerSource <= 0 {
		opts.PerSource = 20
	}
	if opts.Window <= 0 {
		opts.Window = time.Hour
	}
	if opts.MinDuration <= 0 {
		opts.MinDuration = 300 * time.Millisecond
	}
	return &Verifier{opts: opts, now: time.Now}, nil
}

// Claim is a shopper's attempt to prove an order is theirs.
type Claim struct {
	Tenant         string
	ConversationID string
	// Source identifies who is asking beyond the conversation: the API key
	// or the client address.
	Source  string
	OrderID string
	// Proof is an email address, phone number or postcode.
	Proof string
}

// Verify returns the order when c proves it, and ErrNotVerified (or
// ErrLocked) otherwise, always after at least MinDuration.
func (v *Verifier) Verify(ctx context.Context, c Claim) (commerce.Order, error) {
	start := v.now()
	defer func() {
		if wait := v.opts.MinDuration - v.now().Sub(start); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
			}
		}
	}()
	keys := []string{"conv:" + c.ConversationID, "src:" + c.Source}
	limits := []int{v.opts.PerConversation, v.opts.PerSource}
	for i, k := range keys {
		n, err := v.failures(ctx, c.Tenant, k)
		if err != nil {
			return commerce.Order{}, err
		}
		if n >= limits[i] {
			return commerce.Order{}, ErrLocked
		}
	}
	order, err := v.opts.Orders(ctx, c.Tenant, normalizeOrderID(c.OrderID))
	if err != nil && !errors.Is(err, commerce.ErrNotFound) {
		return commerce.Order{}, fmt.Errorf("verify: %w", err)
	}
	// A missing order is compared against an empty one, so both failures
	// do the same work.
	if Proves(order, c.Proof) && err == nil {
		return order, nil
	}
	for _, k := range keys {
		if _, err := v.opts.DB.ExecContext(ctx, `INSERT INTO verify_failures (tenant, key, at) VALUES (?, ?, ?)`,
			c.Tenant, k, v.now().UnixMilli()); err != nil {
			return commerce.Order{}, fmt.Errorf("verify: %w", err)
		}
	}
	return commerce.Order{}, ErrNotVerified
}

func (v *Verifier) failures(ctx context.Context, tenant, key string) (int, error) {
	var n int
	since := v.now().Add(-v.opts.Window).UnixMilli()
	err := v.opts.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM verify_failures WHERE tenant = ? AND key = ? AND at > ?`,
		tenant, key, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("verify: %w", err)
	}
	return n, nil
}

// Proves reports whether proof matches the order's email, phone number
// (its digits, at least the last 7) or shipping postcode.
func Proves(o commerce.Order, proof string) bool {
	proof = strings.TrimSpace(proof)
	if proof == "" {
		return false
	}
	match := 0
	match |= eq(strings.ToLower(proof), strings.ToLower(o.Email))
	if d := Digits(proof); len(d) >= 7 {
		if od := Digits(o.Phone); len(od) >= 7 {
			match |= eq(d[max(0, len(d)-10):], od[max(0, len(od)-10):])
		}
	}
	match |= eq(strings.ToUpper(strings.ReplaceAll(proof, " ", "")), strings.ToUpper(strings.ReplaceAll(o.ShippingPostcode, " ", "")))
	return match == 1
}

// eq compares in constant time; empty values never match.
func eq(a, b string) int {
	if a == "" || b == "" {
		return 0
	}
	return subtle.ConstantTimeCompare([]byte(a), []byte(b))
}

// Digits returns the ASCII digits of s, the form in which phone numbers
// are compared.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsDigit(r) && r < 128 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func normalizeOrderID(id string) string {
	return strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(id), "#"))
}

// SignCustomer makes a token vouching for customer until expires, signed
// with the tenant's secret: "customer.expiry.signature".
func SignCustomer(secret []byte, tenant, customer string, expires time.Time) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(customer)) + "." + strconv.FormatInt(expires.Unix(), 10)
	return payload + "." + sign(secret, tenant, payload)
}

// CustomerFromToken returns the customer a valid, unexpired token vouches
// for.
func CustomerFromToken(secret []byte, tenant, token string, now time.Time) (string, error) {
	bad := errors.New("invalid customer token")
	parts := strings.Split(token, ".")
	if len(secret) == 0 || len(parts) != 3 {
		return "", bad
	}
	payload := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(sign(secret, tenant, payload)), []byte(parts[2])) {
		return "", bad
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || now.Unix() > exp {
		return "", errors.New("expired customer token")
	}
	id, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || len(id) == 0 {
		return "", bad
	}
	return string(id), nil
}

func sign(secret []byte, tenant, payload string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(tenant + "\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
