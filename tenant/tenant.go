// Package tenant carries the merchant a request acts for.
//
// Every authenticated request belongs to exactly one tenant (one merchant).
// The server puts the tenant into the request context; anything that reads
// or writes merchant data takes it from there, so one merchant's knowledge,
// conversations and orders are never visible to another.
package tenant

import (
	"context"
	"fmt"
	"regexp"
)

// Default is the tenant of requests made when no API keys are configured.
const Default = "default"

type ctxKey struct{}

// validID is the shape of a tenant ID: it appears in file names, index
// filters and log lines, so it is kept to a safe alphabet.
var validID = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$`)

// Validate reports whether id can name a tenant.
func Validate(id string) error {
	if !validID.MatchString(id) {
		return fmt.Errorf("tenant %q: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", id)
	}
	return nil
}

// With returns a copy of ctx that carries tenant id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// From returns the tenant carried by ctx and whether there was one.
func From(ctx context.Context) (string, bool) {
	id, ok := ctx.Value(ctxKey{}).(string)
	return id, ok && id != ""
}
