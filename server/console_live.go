package server

import (
	"context"
	"errors"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/staff"
)

// defaultSessionRecheck is how often a console event stream checks that
// its session is still live, when Options.SessionRecheck is not set.
const defaultSessionRecheck = 15 * time.Second

// whileSignedIn gives the request a context that ends when the console
// session it came with does: at logout, a password or role change, the
// account's removal, or the session's expiry. It checks the session
// every SessionRecheck and at the time it would expire, without counting
// as activity. The returned ended reports whether that happened (rather
// than the client leaving); stop releases the watcher.
func (s *Server) whileSignedIn(c *gin.Context) (ended func() bool, stop func()) {
	token, _ := c.Cookie(consoleCookie)
	ctx, cancel := context.WithCancelCause(c.Request.Context())
	c.Request = c.Request.WithContext(ctx)
	every := s.opts.SessionRecheck
	if every <= 0 {
		every = defaultSessionRecheck
	}
	go func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		expiry := time.NewTimer(time.Until(staffFrom(c).ExpiresAt))
		defer expiry.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			case <-expiry.C:
			}
			sess, err := s.opts.Staff.Peek(ctx, token)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				if !errors.Is(err, staff.ErrNoSession) {
					s.log.Error("console session", keyRequestID, requestID(c), "err", err)
				}
				cancel(staff.ErrNoSession)
				return
			}
			expiry.Reset(time.Until(sess.ExpiresAt))
		}
	}()
	ended = func() bool { return errors.Is(context.Cause(ctx), staff.ErrNoSession) }
	return ended, func() { cancel(context.Canceled) }
}
