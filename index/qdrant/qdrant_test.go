package qdrant

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/qdrant/go-client/qdrant"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/qdrant/qdranttest"
	"github.com/shopdesk/shopdesk/index/vectortest"
)

// target returns the Qdrant to test against: the real one at QDRANT_URL
// (with QDRANT_API_KEY) when set, otherwise an in-process fake that
// requires an API key.
func target(t *testing.T) (url, key string) {
	if u := os.Getenv("QDRANT_URL"); u != "" {
		return u, os.Getenv("QDRANT_API_KEY")
	}
	srv := qdranttest.New("test-key")
	host, port, stop, err := srv.ServeTCP()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return fmt.Sprintf("http://%s:%d", host, port), "test-key"
}

func collection() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "shopdesk_test_" + hex.EncodeToString(b)
}

func openStore(t *testing.T, url, key, coll string, dims int) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{URL: url, APIKey: key, Collection: coll, Dims: dims})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Drop(context.Background())
		s.Close()
	})
	return s
}

func TestContract(t *testing.T) {
	if os.Getenv("QDRANT_URL") == "" {
		t.Log("QDRANT_URL is not set: running the contract against the in-process Qdrant; set it to run against a real one")
	}
	url, key := target(t)
	vectortest.Run(t, func(t *testing.T, dims int) index.VectorStore {
		return openStore(t, url, key, collection(), dims)
	})
}

func TestCollectionSetup(t *testing.T) {
	url, key := target(t)
	ctx := context.Background()
	coll := collection()
	s := openStore(t, url, key, coll, 4)
	// Opening again finds the collection as it is.
	again, err := Open(ctx, Options{URL: url, APIKey: key, Collection: coll, Dims: 4})
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	// A model of another size never writes into this collection.
	if _, err := Open(ctx, Options{URL: url, APIKey: key, Collection: coll, Dims: 8}); err == nil || !strings.Contains(err.Error(), "size 4") {
		t.Fatalf("a collection of another size was accepted: %v", err)
	}
	s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/a/1/0", DocID: "a", Vector: []float32{1, 0, 0, 0}}})
	if n, err := s.Count(ctx, "acme"); err != nil || n != 1 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

func TestConnectionErrors(t *testing.T) {
	if os.Getenv("QDRANT_URL") != "" {
		t.Skip("the fake's API key checks only")
	}
	url, _ := target(t)
	ctx := context.Background()
	if _, err := Open(ctx, Options{URL: url, APIKey: "wrong", Collection: collection(), Dims: 2}); err == nil {
		t.Error("a wrong API key was accepted")
	}
	if _, err := Open(ctx, Options{URL: "http://127.0.0.1:1", Collection: collection(), Dims: 2}); err == nil || !strings.Contains(err.Error(), "does not answer") {
		t.Errorf("an unreachable Qdrant: %v", err)
	}
	for _, bad := range []string{"127.0.0.1:6334", "ftp://x", "http://host:port"} {
		if _, err := Open(ctx, Options{URL: bad, Collection: "c", Dims: 2}); err == nil {
			t.Errorf("URL %q accepted", bad)
		}
	}
}

func TestPointIDs(t *testing.T) {
	a, b := pointID("acme", "acme/x/1/0"), pointID("acme", "acme/x/1/0")
	if a != b || len(a) != 36 || a[14] != '5' {
		t.Fatalf("ids %s %s", a, b)
	}
	if pointID("ac", "me/x") == pointID("acme", "/x") {
		t.Fatal("length prefixes missing: two names share an ID")
	}
}

func TestQuantization(t *testing.T) {
	fake := os.Getenv("QDRANT_URL") == ""
	srv := qdranttest.New("test-key")
	url, key := "", "test-key"
	if fake {
		host, port, stop, err := srv.ServeTCP()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		url = fmt.Sprintf("http://%s:%d", host, port)
	} else {
		url, key = target(t)
	}
	ctx := context.Background()
	coll := collection()
	for _, step := range []struct {
		name, setting string
		int8          bool
	}{
		{"created plain", "", false},
		{"switched to int8", QuantizationInt8, true},
		{"opened again as int8", QuantizationInt8, true},
		{"switched back", QuantizationNone, false},
	} {
		t.Run(step.name, func(t *testing.T) {
			s, err := Open(ctx, Options{URL: url, APIKey: key, Collection: coll, Dims: 2, Quantization: step.setting})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			info, err := s.c.GetCollectionInfo(ctx, coll)
			if err != nil {
				t.Fatal(err)
			}
			sq := info.GetConfig().GetQuantizationConfig().GetScalar()
			if got := sq.GetType() == qdrant.QuantizationType_Int8; got != step.int8 || (step.int8 && !sq.GetAlwaysRam()) {
				t.Fatalf("collection quantization %v, want int8 %v in RAM", info.GetConfig().GetQuantizationConfig(), step.int8)
			}
			if err := s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/a/1/0", DocID: "a", Vector: []float32{1, 0}}}); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Search(ctx, "acme", []float32{1, 0}, 1); err != nil || len(got) != 1 {
				t.Fatalf("search: %v, %v", got, err)
			}
			if fake {
				qp := srv.LastSearchParams().GetQuantization()
				if step.int8 != qp.GetRescore() || (step.int8 && qp.GetOversampling() < 1) {
					t.Fatalf("search params %v, want rescoring %v", qp, step.int8)
				}
			}
		})
	}
	t.Cleanup(func() {
		if s, err := Open(ctx, Options{URL: url, APIKey: key, Collection: coll, Dims: 2}); err == nil {
			s.Drop(ctx)
			s.Close()
		}
	})
	if _, err := Open(ctx, Options{URL: url, APIKey: key, Collection: coll, Dims: 2, Quantization: "binary"}); err == nil {
		t.Fatal("an unknown quantization was accepted")
	}
}
