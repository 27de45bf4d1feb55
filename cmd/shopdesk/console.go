package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/shopdesk/shopdesk/staff"
	"github.com/shopdesk/shopdesk/tenant"
)

// consoleAccounts says, for the lines serve prints when it is ready, how
// to sign in to the console. When tenant default has no account yet and
// demoName is set (--demo-admin, which make run passes), it makes an
// admin of that name with a random password and prints it once: the
// database keeps only its hash.
func consoleAccounts(ctx context.Context, people *staff.Store, demoName string) (string, error) {
	users, err := people.Users(ctx, tenant.Default)
	if err != nil {
		return "", err
	}
	switch {
	case len(users) > 0:
		return "", nil
	case demoName == "":
		return "  No account yet: stop the server, run `shopdesk users add --role admin NAME` (it asks for a password), start it again.\n", nil
	}
	b := make([]byte, 12)
	rand.Read(b)
	password := "demo-" + base64.RawURLEncoding.EncodeToString(b)
	if _, err := people.Add(ctx, tenant.Default, demoName, password, staff.RoleAdmin); err != nil {
		return "", fmt.Errorf("demo admin: %w", err)
	}
	return fmt.Sprintf("  Demo admin, made now: name %s, password %s (shown only this once; `shopdesk users passwd %s` changes it).\n",
		demoName, password, demoName), nil
}
