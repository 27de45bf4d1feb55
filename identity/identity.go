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
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/mention"
	"github.com/shopdesk/shopdesk/sqlite"
)

// ErrNotVerified: the order number and proof do not match an order the
// shopper may see. It never says which part was wrong.
var ErrNotVerified = errors.New("those details do not match an order")

// ErrLocked: too many failed attempts; try again later. Callers tell the
// shopper exactly what they tell for ErrNotVerified, so that a guesser
// cannot tell a locked-out right answer from a wrong one.
var ErrLocked = errors.New("too many attempts")

// Options configures a Verifier.
type Options struct {
	DB *sql.DB
	// Orders looks orders up.
	Orders func(ctx context.Context, tenant, id string) (commerce.Order, error)
	// PerConversation, PerSource and PerOrder bound failed attempts within
	// Window (defaults 5, 20, 10 and one hour). The limit per order number
	// holds across conversations and clients, so guessing the postcode or
	// phone of one order stays bounded however the guesses are spread.
	PerConversation int
	PerSource       int
	PerOrder        int
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
	if opts.PerOrder <= 0 {
		opts.PerOrder = 10
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
	id := mention.NormalizeOrder(c.OrderID)
	keys := []string{"conv:" + c.ConversationID, "src:" + c.Source, "order:" + id}
	limits := []int{v.opts.PerConversation, v.opts.PerSource, v.opts.PerOrder}
	// The attempt is recorded as a failure before the order is looked at,
	// and cleared only if it succeeds: parallel guesses cannot slip past
	// the limits between a count and an insert.
	rows, locked, err := v.reserve(ctx, c.Tenant, keys, limits)
	if err != nil {
		return commerce.Order{}, err
	}
	if locked {
		return commerce.Order{}, ErrLocked
	}
	order, err := v.opts.Orders(ctx, c.Tenant, id)
	if err != nil && !errors.Is(err, commerce.ErrNotFound) {
		return commerce.Order{}, fmt.Errorf("verify: %w", err)
	}
	// A missing order is compared against an empty one, so both failures
	// do the same work.
	if Proves(order, c.Proof) && err == nil {
		if err := v.release(ctx, rows); err != nil {
			return commerce.Order{}, err
		}
		return order, nil
	}
	return commerce.Order{}, ErrNotVerified
}

// reserve records one failed attempt under each key and reports whether
// any key is now over its limit, in one transaction.
func (v *Verifier) reserve(ctx context.Context, tenant string, keys []string, limits []int) (rows []int64, locked bool, err error) {
	tx, err := v.opts.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, fmt.Errorf("verify: %w", err)
	}
	defer tx.Rollback()
	now := v.now()
	since := now.Add(-v.opts.Window).UnixMilli()
	for i, k := range keys {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM verify_failures WHERE tenant = ? AND key = ? AND at > ?`,
			tenant, k, since).Scan(&n); err != nil {
			return nil, false, fmt.Errorf("verify: %w", err)
		}
		if n >= limits[i] {
			locked = true
		}
	}
	if locked {
		// Attempts while locked are not recorded: the lock lifts a window
		// after the last attempt that counted.
		return nil, true, nil
	}
	for _, k := range keys {
		res, err := tx.ExecContext(ctx, `INSERT INTO verify_failures (tenant, key, at) VALUES (?, ?, ?)`, tenant, k, now.UnixMilli())
		if err != nil {
			return nil, false, fmt.Errorf("verify: %w", err)
		}
		id, _ := res.LastInsertId()
		rows = append(rows, id)
	}
	if err := tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("verify: %w", err)
	}
	return rows, false, nil
}

// release clears the failures a successful attempt reserved.
func (v *Verifier) release(ctx context.Context, rows []int64) error {
	for _, id := range rows {
		if _, err := v.opts.DB.ExecContext(ctx, `DELETE FROM verify_failures WHERE rowid = ?`, id); err != nil {
			return fmt.Errorf("verify: %w", err)
		}
	}
	return nil
}

// Prune deletes failed attempts older than the window: they no longer
// count toward any limit. It returns how many it removed.
func (v *Verifier) Prune(ctx context.Context) (int64, error) {
	res, err := v.opts.DB.ExecContext(ctx, `DELETE FROM verify_failures WHERE at <= ?`, v.now().Add(-v.opts.Window).UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune verification failures: %w", err)
	}
	return res.RowsAffected()
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
	if d := mention.Digits(proof); len(d) >= 7 {
		if od := mention.Digits(o.Phone); len(od) >= 7 {
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
