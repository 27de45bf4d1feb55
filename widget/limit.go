package widget

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limit is a token bucket's shape: up to N requests at once, refilled at
// N per Per.
type Limit struct {
	N   int
	Per time.Duration
}

// String writes the limit as ParseLimit reads it.
func (l Limit) String() string {
	unit := map[time.Duration]string{time.Second: "s", time.Minute: "m", time.Hour: "h"}[l.Per]
	if unit == "" {
		return fmt.Sprintf("%d/%s", l.N, l.Per)
	}
	return fmt.Sprintf("%d/%s", l.N, unit)
}

// ParseLimit reads "N/s", "N/m" or "N/h" (N requests a second, minute or
// hour; also a burst of N).
func ParseLimit(s string) (Limit, error) {
	n, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	per := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}[strings.TrimSpace(unit)]
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || per == 0 || err != nil || count < 1 {
		return Limit{}, fmt.Errorf("want N/s, N/m or N/h with N at least 1, such as 30/m; got %q", s)
	}
	return Limit{N: count, Per: per}, nil
}

// maxBuckets bounds a Limiter's memory: past it, buckets that have
// refilled are forgotten, and if that is not enough, all of them.
const maxBuckets = 100_000

// Limiter keeps one token bucket per key (a session, an address) in
// memory. It is safe for concurrent use.
type Limiter struct {
	lim     Limit
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns a Limiter of l; now is time.Now when nil.
func NewLimiter(l Limit, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{lim: l, now: now, buckets: map[string]*bucket{}}
}

// Allow takes a token from key's bucket. When it is empty it returns
// false and how long until a token is back.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	now := l.now()
	rate := float64(l.lim.N) / l.lim.Per.Seconds() // tokens a second
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now, rate)
		}
		b = &bucket{tokens: float64(l.lim.N), at: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(l.lim.N), b.tokens+now.Sub(b.at).Seconds()*rate)
	b.at = now
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) / rate * float64(time.Second))
		return false, max(wait, time.Second)
	}
	b.tokens--
	return true, 0
}

func (l *Limiter) sweep(now time.Time, rate float64) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*rate >= float64(l.lim.N) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}
