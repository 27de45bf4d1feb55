package inference

import (
	"context"
	"sync/atomic"
	"time"
)

// limiter bounds the calls in flight to one host and the callers waiting
// for a slot, served first come, first served (Go hands a freed channel
// slot to the longest-waiting sender). Beyond both bounds a caller is
// refused at once.
type limiter struct {
	slots    chan struct{}
	waiting  atomic.Int64
	maxQueue int64
}

func newLimiter(concurrency, queue int) *limiter {
	return &limiter{slots: make(chan struct{}, max(concurrency, 1)), maxQueue: int64(max(queue, 0))}
}

// acquire takes a slot, waiting in the queue for at most timeout (zero: no
// limit beyond ctx). It returns errQueueFull at once when the queue is full,
// errQueueTimeout when the wait runs out, or ctx's error.
func (l *limiter) acquire(ctx context.Context, timeout time.Duration) error {
	// Take a free slot at once only if nobody is waiting, so callers are
	// served in the order they came.
	if l.waiting.Load() == 0 {
		select {
		case l.slots <- struct{}{}:
			return nil
		default:
		}
	}
	if l.waiting.Add(1) > l.maxQueue {
		l.waiting.Add(-1)
		return errQueueFull
	}
	defer l.waiting.Add(-1)
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-expired:
		return errQueueTimeout
	}
}

// release returns a slot taken by acquire.
func (l *limiter) release() { <-l.slots }

// inFlight is the number of slots taken.
func (l *limiter) inFlight() int { return len(l.slots) }

// queued is the number of callers waiting.
func (l *limiter) queued() int { return int(l.waiting.Load()) }

// load is what routing compares: work running plus work waiting.
func (l *limiter) load() int { return l.inFlight() + l.queued() }
