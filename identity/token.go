package identity

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Customer tokens let a merchant vouch for a signed-in shopper without
// sharing an API key, for example in the chat widget's page. A token is
//
//	v1.<payload>.<signature>
//
// where payload is the unpadded base64url encoding of the JSON object
// {"tenant": "<tenant>", "sub": "<customer ID>", "exp": <Unix seconds>}
// and signature is the unpadded base64url HMAC-SHA256, keyed with the
// tenant's customer_token_secret, of the text "v1." + payload. A token is
// accepted only by its own tenant, only until exp, and only when exp is
// at most MaxTokenLifetime away: mint one per page view rather than one
// per shopper.

// MaxTokenLifetime is the furthest in the future a token's expiry may be.
const MaxTokenLifetime = 24 * time.Hour

// The reasons a token is refused. They are safe to show the integrator.
var (
	ErrTokenInvalid  = errors.New("the customer token is malformed or its signature does not match")
	ErrTokenExpired  = errors.New("the customer token has expired")
	ErrTokenTenant   = errors.New("the customer token was issued for another tenant")
	ErrTokenLifetime = errors.New("the customer token expires too far in the future (at most 24 hours)")
)

const tokenVersion = "v1"

// tokenClaims is a token's payload.
type tokenClaims struct {
	Tenant   string `json:"tenant"`
	Customer string `json:"sub"`
	Expires  int64  `json:"exp"`
}

// SignCustomer makes a token vouching for customer of tenant until
// expires, signed with the tenant's secret.
func SignCustomer(secret []byte, tenant, customer string, expires time.Time) string {
	payload, _ := json.Marshal(tokenClaims{Tenant: tenant, Customer: customer, Expires: expires.Unix()})
	body := tokenVersion + "." + base64.RawURLEncoding.EncodeToString(payload)
	return body + "." + sign(secret, body)
}

// CustomerFromToken returns the customer a token vouches for, if it is
// signed with secret, issued for tenant and unexpired at now. Errors are
// ErrTokenInvalid, ErrTokenExpired, ErrTokenTenant or ErrTokenLifetime.
func CustomerFromToken(secret []byte, tenant, token string, now time.Time) (string, error) {
	parts := strings.Split(token, ".")
	if len(secret) == 0 || len(token) > 2048 || len(parts) != 3 || parts[0] != tokenVersion {
		return "", ErrTokenInvalid
	}
	body := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(sign(secret, body)), []byte(parts[2])) {
		return "", ErrTokenInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", ErrTokenInvalid
	}
	var c tokenClaims
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || c.Customer == "" || len(c.Customer) > 128 || c.Expires == 0 {
		return "", ErrTokenInvalid
	}
	switch {
	case c.Tenant != tenant:
		return "", ErrTokenTenant
	case now.Unix() >= c.Expires:
		return "", ErrTokenExpired
	case time.Unix(c.Expires, 0).Sub(now) > MaxTokenLifetime+time.Minute: // a minute for clock skew
		return "", ErrTokenLifetime
	}
	return c.Customer, nil
}

func sign(secret []byte, body string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
