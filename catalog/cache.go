package catalog

import (
	"context"
	"sync"
	"time"
)

// Refresh says when a cached value is stale.
type Refresh struct {
	// TTL is how long a value serves before it is refreshed in the
	// background; 0 means it never goes stale with time.
	TTL time.Duration
	// Version, if set, reports a number that changes whenever a tenant's
	// shop data may have (sqlstore.Store.Version counts imports); a value
	// loaded at another version is reloaded before it is served.
	Version func(tenant string) uint64
}

// CacheOptions configures a Cache.
type CacheOptions[T any] struct {
	// Load builds a tenant's value. It runs on its own goroutine with the
	// values but not the cancellation of the context of the Get that
	// started it, since other Gets may be waiting for it.
	Load func(ctx context.Context, tenant string) (T, error)
	Refresh
	// OnError, if set, is told of every failed load (the last good value,
	// if any, keeps serving).
	OnError func(tenant string, err error)
	// now is the clock; tests set it.
	now func() time.Time
}

// Cache keeps one value per tenant: loaded on first use, and refreshed
//
//   - before it is served again, after Invalidate or when Version
//     reports a change (the caller waits for the new value);
//   - in the background, once TTL has passed since it was loaded (the
//     caller gets the old value meanwhile).
//
// Concurrent Gets of one tenant share one load. A load that fails keeps
// the last good value serving, and is tried again on a later Get (a
// background refresh no sooner than a tenth of TTL later); Get returns
// the error only when there is no value yet. A Cache is safe for
// concurrent use.
type Cache[T any] struct {
	opts CacheOptions[T]
	mu   sync.Mutex
	m    map[string]*entry[T]
	bg   sync.WaitGroup // loads in flight, for tests
}

// entry is one tenant's value and its load in flight.
type entry[T any] struct {
	val      T
	ok       bool      // val was loaded
	loaded   time.Time // when the load of val started
	version  uint64    // Version when the load of val started
	gen      uint64    // Invalidate calls so far
	valGen   uint64    // gen when the load of val started
	failed   time.Time // when the last load failed, if it did
	inFlight *flight
}

// flight is one load; done closes when it has finished, with err set.
type flight struct {
	done chan struct{}
	err  error
}

// NewCache returns an empty Cache over opts.Load.
func NewCache[T any](opts CacheOptions[T]) *Cache[T] {
	if opts.now == nil {
		opts.now = time.Now
	}
	return &Cache[T]{opts: opts, m: make(map[string]*entry[T])}
}

// Get returns tenant's value, loading it if there is none or it must be
// refreshed first. Errors are Load's, or ctx's while waiting for a load.
func (c *Cache[T]) Get(ctx context.Context, tenant string) (T, error) {
	var zero T
	for {
		var ver uint64
		if c.opts.Version != nil {
			ver = c.opts.Version(tenant)
		}
		c.mu.Lock()
		e := c.m[tenant]
		if e == nil {
			e = &entry[T]{}
			c.m[tenant] = e
		}
		now := c.opts.now()
		if e.ok && e.valGen == e.gen && e.version == ver {
			if ttl := c.opts.TTL; ttl > 0 && now.Sub(e.loaded) >= ttl && e.inFlight == nil && now.Sub(e.failed) >= ttl/10 {
				c.start(ctx, tenant, e, ver, now)
			}
			v := e.val
			c.mu.Unlock()
			return v, nil
		}
		f := e.inFlight
		if f == nil {
			f = c.start(ctx, tenant, e, ver, now)
		}
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
		if f.err != nil {
			c.mu.Lock()
			v, ok := e.val, e.ok
			c.mu.Unlock()
			if ok {
				return v, nil // the last good value
			}
			return zero, f.err
		}
	}
}

// Invalidate makes tenant's value stale: the next Get loads it again
// and waits for it.
func (c *Cache[T]) Invalidate(tenant string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.m[tenant]; e != nil {
		e.gen++
	}
}

// start begins a load of tenant's value; c.mu is held.
func (c *Cache[T]) start(ctx context.Context, tenant string, e *entry[T], ver uint64, now time.Time) *flight {
	f := &flight{done: make(chan struct{})}
	e.inFlight = f
	gen := e.gen
	ctx = context.WithoutCancel(ctx)
	c.bg.Add(1)
	go func() {
		defer c.bg.Done()
		v, err := c.opts.Load(ctx, tenant)
		c.mu.Lock()
		if err == nil {
			e.val, e.ok, e.loaded, e.version, e.valGen = v, true, now, ver, gen
		} else {
			e.failed = c.opts.now()
		}
		e.inFlight = nil
		f.err = err
		c.mu.Unlock()
		if err != nil && c.opts.OnError != nil {
			c.opts.OnError(tenant, err)
		}
		close(f.done)
	}()
	return f
}
