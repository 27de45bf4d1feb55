package identity

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// minted is a token made by the README's recipe in another language
// (Python's hmac and base64), so the documented format is the one parsed.
const minted = "v1.eyJ0ZW5hbnQiOiJhY21lIiwic3ViIjoiQzAwMSIsImV4cCI6MTc2NzIyNTYwMH0.02yRztB6x0QV7JrqEP250mS5A5XpzxXFjcHEMYm69ak"

func TestCustomerTokenFormat(t *testing.T) {
	secret := []byte("0123456789abcdef")
	exp := time.Unix(1767225600, 0)
	if got := SignCustomer(secret, "acme", "C001", exp); got != minted {
		t.Fatalf("SignCustomer = %s, want the documented %s", got, minted)
	}
	if id, err := CustomerFromToken(secret, "acme", minted, exp.Add(-time.Hour)); err != nil || id != "C001" {
		t.Fatalf("a token minted elsewhere: %q %v", id, err)
	}
}

func TestCustomerTokenRefusals(t *testing.T) {
	secret := []byte("0123456789abcdef")
	now := time.Now()
	tok := SignCustomer(secret, "shop", "C001", now.Add(time.Hour))
	if id, err := CustomerFromToken(secret, "shop", tok, now); err != nil || id != "C001" {
		t.Fatalf("valid token: %q %v", id, err)
	}
	parts := strings.Split(tok, ".")
	forged := func(payload string) string {
		return "v1." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + parts[2]
	}
	for _, tc := range []struct {
		name   string
		secret []byte
		tenant string
		token  string
		at     time.Time
		want   error
	}{
		{"other tenant's token", secret, "other", tok, now, ErrTokenTenant},
		{"other tenant's secret", []byte("different-secret"), "shop", tok, now, ErrTokenInvalid},
		{"expired", secret, "shop", tok, now.Add(2 * time.Hour), ErrTokenExpired},
		{"expiring this second", secret, "shop", tok, now.Add(time.Hour), ErrTokenExpired},
		{"another customer, same signature", secret, "shop", forged(`{"tenant":"shop","sub":"C002","exp":9999999999}`), now, ErrTokenInvalid},
		{"signature cut short", secret, "shop", tok[:len(tok)-2], now, ErrTokenInvalid},
		{"old format", secret, "shop", "QzAwMQ.9999999999." + parts[2], now, ErrTokenInvalid},
		{"other version", secret, "shop", "v2." + parts[1] + "." + parts[2], now, ErrTokenInvalid},
		{"garbage", secret, "shop", "a.b", now, ErrTokenInvalid},
		{"empty", secret, "shop", "", now, ErrTokenInvalid},
		{"no secret", nil, "shop", tok, now, ErrTokenInvalid},
		{"oversized", secret, "shop", tok + strings.Repeat("A", 3000), now, ErrTokenInvalid},
		{"too long-lived", secret, "shop", SignCustomer(secret, "shop", "C001", now.Add(30*24*time.Hour)), now, ErrTokenLifetime},
		{"no customer", secret, "shop", SignCustomer(secret, "shop", "", now.Add(time.Hour)), now, ErrTokenInvalid},
		{"unknown field", secret, "shop", signed(secret, `{"tenant":"shop","sub":"C001","exp":`+itoa(now.Add(time.Hour).Unix())+`,"role":"admin"}`), now, ErrTokenInvalid},
		{"payload not JSON", secret, "shop", signed(secret, `C001`), now, ErrTokenInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, err := CustomerFromToken(tc.secret, tc.tenant, tc.token, tc.at)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %q, %v; want %v", id, err, tc.want)
			}
		})
	}
}

// signed signs an arbitrary payload the way SignCustomer does.
func signed(secret []byte, payload string) string {
	body := "v1." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	return body + "." + sign(secret, body)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func FuzzCustomerToken(f *testing.F) {
	secret := []byte("0123456789abcdef")
	f.Add(minted)
	f.Add("v1..")
	f.Add("v1.e30.x")
	f.Fuzz(func(t *testing.T, tok string) {
		// Without the secret, no token but the one it signed can pass.
		id, err := CustomerFromToken(secret, "acme", tok, time.Unix(1767225600-60, 0))
		if err == nil && (tok != minted || id != "C001") {
			t.Fatalf("accepted %q as %q", tok, id)
		}
	})
}
