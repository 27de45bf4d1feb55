package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/privacy"
)

// Eraser removes a shopper's data; *privacy.Keeper is one.
type Eraser interface {
	EraseCustomer(ctx context.Context, tenant, customerID string) (privacy.Erasure, error)
}

// eraseCustomer serves DELETE /api/customers/{id}/data: the tenant's
// conversations with the customer, what was remembered in them, their
// hand-off notices and the personal fields of their return requests are
// removed, and the reply says what was.
func (s *Server) eraseCustomer(c *gin.Context) error {
	if s.opts.Eraser == nil {
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "assistant_unavailable",
			Message: "The support assistant is not available on this server."}
	}
	id := c.Param("id")
	if strings.TrimSpace(id) == "" || len(id) > 128 || strings.ContainsAny(id, "/\x00") {
		return invalid("id", "customer ID must be 1-128 characters without '/'")
	}
	e, err := s.opts.Eraser.EraseCustomer(c.Request.Context(), tenantOf(c), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, e)
	return nil
}
