package tenant

import (
	"context"
	"testing"
)

func TestWithFrom(t *testing.T) {
	if _, ok := From(context.Background()); ok {
		t.Fatal("empty context reported a tenant")
	}
	ctx := With(context.Background(), "acme")
	got, ok := From(ctx)
	if !ok || got != "acme" {
		t.Fatalf("From = %q, %v; want acme, true", got, ok)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		id string
		ok bool
	}{
		{"acme", true},
		{"shop-1.eu_2", true},
		{"", false},
		{"-lead", false},
		{"a/b", false},
		{"店铺", false},
		{"a b", false},
	} {
		t.Run(tc.id, func(t *testing.T) {
			if err := Validate(tc.id); (err == nil) != tc.ok {
				t.Fatalf("Validate(%q) = %v, want ok=%v", tc.id, err, tc.ok)
			}
		})
	}
}
