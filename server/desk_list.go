package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/conversation"
)

// Lister lists conversations; *conversation.Store is one.
type Lister interface {
	List(ctx context.Context, tenant string, f conversation.Filter) ([]conversation.Item, error)
}

// listConversations serves GET /api/conversations?view=&from=&to=&q=&before=&limit=:
// the tenant's conversations, most recently updated first. view is one of
// all, waiting, escalated, held, unanswered, negative, rated_down,
// resolved; before (an RFC 3339 time, the last item's updated_at) pages.
func (s *Server) listConversations(c *gin.Context) error {
	items, _, err := s.listFromQuery(c, false)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"conversations": items})
	return nil
}

// listFromQuery lists the tenant's conversations as the query filters
// them; with inclusiveTo a date-only "to" takes in that whole day.
func (s *Server) listFromQuery(c *gin.Context, inclusiveTo bool) ([]conversation.Item, conversation.Filter, error) {
	l, ok := s.opts.Conversations.(Lister)
	if !ok || s.opts.Conversations == nil {
		return nil, conversation.Filter{}, s.assistantEnabled()
	}
	f, err := conversationFilter(c)
	if err != nil {
		return nil, f, err
	}
	if inclusiveTo && !f.To.IsZero() && len(c.Query("to")) == len(time.DateOnly) {
		f.To = f.To.Add(24 * time.Hour)
	}
	items, err := l.List(c.Request.Context(), tenantOf(c), f)
	if items == nil {
		items = []conversation.Item{}
	}
	return items, f, err
}

// conversationFilter reads a listing's filter from the query: view, q,
// from, to, before and limit.
func conversationFilter(c *gin.Context) (conversation.Filter, error) {
	f := conversation.Filter{View: c.DefaultQuery("view", conversation.ViewAll), Text: c.Query("q")}
	if !slices.Contains(conversation.Views, f.View) {
		return f, invalid("view", "view must be one of %s", strings.Join(conversation.Views, ", "))
	}
	var err error
	if f.From, err = dayParam(c, "from", time.Time{}); err != nil {
		return f, err
	}
	if f.To, err = dayParam(c, "to", time.Time{}); err != nil {
		return f, err
	}
	if f.Before, err = dayParam(c, "before", time.Time{}); err != nil {
		return f, err
	}
	if len(f.Text) > 200 {
		return f, invalid("q", "q is longer than 200 bytes")
	}
	if f.Limit, err = strconv.Atoi(c.DefaultQuery("limit", "50")); err != nil || f.Limit < 1 || f.Limit > 500 {
		return f, invalid("limit", "limit must be a whole number from 1 to 500")
	}
	return f, nil
}
