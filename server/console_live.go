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

// liveSession watches the console session a long request came with.
type liveSession struct {
	s      *Server
	c      *gin.Context
	token  string
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// whileSignedIn gives the request a context that ends when the console
// session it came with does: at logout, a password or role change, the
// account's removal, or the session's expiry. It checks the session
// every SessionRecheck and at the time it would expire, without counting
// as activity, until stop is called.
func (s *Server) whileSignedIn(c *gin.Context) (l *liveSession, stop func()) {
	token, _ := c.Cookie(consoleCookie)
	ctx, cancel := context.WithCancelCause(c.Request.Context())
	c.Request = c.Request.WithContext(ctx)
	l = &liveSession{s: s, c: c, token: token, ctx: ctx, cancel: cancel}
	every := s.opts.SessionRecheck
	if every <= 0 {
		every = defaultSessionRecheck
	}
	go l.watch(every, staffFrom(c).ExpiresAt)
	return l, func() { cancel(context.Canceled) }
}

func (l *liveSession) watch(every time.Duration, expires time.Time) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	expiry := time.NewTimer(time.Until(expires))
	defer expiry.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-tick.C:
		case <-expiry.C:
		}
		sess, ok := l.check()
		if !ok {
			return
		}
		expiry.Reset(time.Until(sess.ExpiresAt))
	}
}

// check reports whether the session is still live; when it is not, it
// ends the request's context.
func (l *liveSession) check() (staff.Session, bool) {
	sess, err := l.s.opts.Staff.Peek(l.ctx, l.token)
	if err == nil {
		return sess, true
	}
	if l.ctx.Err() == nil {
		if !errors.Is(err, staff.ErrNoSession) {
			l.s.log.Error("console session", keyRequestID, requestID(l.c), "err", err)
		}
		l.cancel(staff.ErrNoSession)
	}
	return staff.Session{}, false
}

// ended reports whether the session ended (rather than the client
// leaving).
func (l *liveSession) ended() bool { return errors.Is(context.Cause(l.ctx), staff.ErrNoSession) }
