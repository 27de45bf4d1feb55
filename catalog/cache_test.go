package catalog

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// loader is a fake Load: it counts its calls, and each call returns the
// next value (or err), after waiting for gate when gate is set.
type loader struct {
	mu    sync.Mutex
	calls int
	err   error
	gate  chan struct{}
}

func (l *loader) load(context.Context, string) (int, error) {
	l.mu.Lock()
	l.calls++
	n, err, gate := l.calls, l.err, l.gate
	l.mu.Unlock()
	if gate != nil {
		<-gate
	}
	return n, err
}

func (l *loader) set(err error, gate chan struct{}) {
	l.mu.Lock()
	l.err, l.gate = err, gate
	l.mu.Unlock()
}

func (l *loader) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls
}

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestCache(l *loader, r Refresh) (*Cache[int], *clock) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	return NewCache(CacheOptions[int]{Load: l.load, Refresh: r, now: clk.now}), clk
}

func get(t *testing.T, c *Cache[int], tenant string) int {
	t.Helper()
	v, err := c.Get(context.Background(), tenant)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCacheSingleFlight(t *testing.T) {
	l := &loader{gate: make(chan struct{})}
	c, _ := newTestCache(l, Refresh{})
	var wg sync.WaitGroup
	got := make([]int, 8)
	for i := range got {
		wg.Go(func() { got[i] = get(t, c, "shop") })
	}
	for l.count() == 0 { // the first Get has started the load
		time.Sleep(time.Millisecond)
	}
	close(l.gate)
	wg.Wait()
	for _, v := range got {
		if v != 1 {
			t.Fatalf("Gets returned %v: all should share the one load", got)
		}
	}
	if n := l.count(); n != 1 {
		t.Errorf("%d loads for concurrent Gets, want 1", n)
	}
	if get(t, c, "other") != 2 || get(t, c, "shop") != 1 {
		t.Error("each tenant has its own value")
	}
}

func TestCacheTTLServesStaleWhileRefreshing(t *testing.T) {
	l := &loader{}
	c, clk := newTestCache(l, Refresh{TTL: time.Minute})
	if get(t, c, "shop") != 1 {
		t.Fatal("first load")
	}
	clk.add(59 * time.Second)
	if get(t, c, "shop") != 1 || l.count() != 1 {
		t.Fatal("refreshed before the TTL")
	}
	gate := make(chan struct{})
	l.set(nil, gate)
	clk.add(time.Second)
	if v := get(t, c, "shop"); v != 1 {
		t.Fatalf("got %d: past the TTL the old value serves while the refresh runs", v)
	}
	if v := get(t, c, "shop"); v != 1 {
		t.Fatalf("got %d while the refresh runs", v)
	}
	close(gate)
	c.bg.Wait()
	if n := l.count(); n != 2 {
		t.Fatalf("%d loads: one refresh at a time", n)
	}
	if v := get(t, c, "shop"); v != 2 {
		t.Fatalf("got %d after the refresh", v)
	}
}

func TestCacheInvalidateAndVersion(t *testing.T) {
	l := &loader{}
	var mu sync.Mutex
	version := uint64(0)
	c, _ := newTestCache(l, Refresh{Version: func(string) uint64 { mu.Lock(); defer mu.Unlock(); return version }})
	get(t, c, "shop")
	c.Invalidate("shop")
	if v := get(t, c, "shop"); v != 2 {
		t.Fatalf("after Invalidate got %d, want the reloaded 2", v)
	}
	mu.Lock()
	version++
	mu.Unlock()
	if v := get(t, c, "shop"); v != 3 {
		t.Fatalf("after a version change got %d, want the reloaded 3", v)
	}
	if v := get(t, c, "shop"); v != 3 || l.count() != 3 {
		t.Fatalf("got %d after %d loads: an unchanged version reloads nothing", v, l.count())
	}
	c.Invalidate("nobody") // no value yet: nothing to do
}

func TestCacheErrorsKeepLastGood(t *testing.T) {
	l := &loader{err: errors.New("shop down")}
	var failures []error
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := NewCache(CacheOptions[int]{Load: l.load, Refresh: Refresh{TTL: time.Minute}, now: clk.now,
		OnError: func(_ string, err error) { failures = append(failures, err) }})
	if _, err := c.Get(context.Background(), "shop"); err == nil {
		t.Fatal("no value and a failed load: want the error")
	}
	l.set(nil, nil)
	if v := get(t, c, "shop"); v != 2 {
		t.Fatalf("got %d: a failed first load is tried again", v)
	}
	l.set(errors.New("shop down again"), nil)
	clk.add(time.Minute)
	if v := get(t, c, "shop"); v != 2 {
		t.Fatalf("got %d while refreshing", v)
	}
	c.bg.Wait()
	if v := get(t, c, "shop"); v != 2 || l.count() != 3 {
		t.Fatalf("got %d after %d loads: a failed refresh keeps the last good value and waits before trying again", v, l.count())
	}
	clk.add(6 * time.Second)
	get(t, c, "shop")
	c.bg.Wait()
	if l.count() != 4 {
		t.Errorf("%d loads: a failed refresh is retried a tenth of the TTL later", l.count())
	}
	c.Invalidate("shop")
	if v := get(t, c, "shop"); v != 2 {
		t.Errorf("got %d: an invalidated value whose reload fails still serves", v)
	}
	if len(failures) != 4 {
		t.Errorf("OnError told of %d failures, want 4", len(failures))
	}
}

func TestCacheGetHonoursContext(t *testing.T) {
	l := &loader{gate: make(chan struct{})}
	c, _ := newTestCache(l, Refresh{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Get(ctx, "shop"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Get with a cancelled context waiting for a load: %v", err)
	}
	close(l.gate)
	c.bg.Wait()
	if v := get(t, c, "shop"); v != 1 || l.count() != 1 {
		t.Errorf("got %d after %d loads: the load a cancelled Get started still completes for the next", v, l.count())
	}
}
