package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/recommend"
)

// Recommender recommends products to a customer; *actions.Actions is one.
type Recommender interface {
	ForCustomer(ctx context.Context, tenant, customerID, lang string, k int) ([]recommend.Recommendation, error)
}

// recommendations serves GET /api/customers/{id}/recommendations
// (?lang=en|zh, ?k=1..20): in-stock products with a reason each.
func (s *Server) recommendations(c *gin.Context) error {
	if s.opts.Recommender == nil {
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "commerce_unavailable",
			Message: "The shop's catalog and orders are not connected on this server."}
	}
	id := c.Param("id")
	if id == "" || len(id) > 128 || strings.ContainsAny(id, "/\x00") {
		return invalid("id", "customer ID must be 1-128 characters without '/'")
	}
	lang := c.DefaultQuery("lang", "en")
	if lang != "en" && lang != "zh" {
		return invalid("lang", "lang must be en or zh")
	}
	k, err := strconv.Atoi(c.DefaultQuery("k", "5"))
	if err != nil || k < 1 || k > 20 {
		return invalid("k", "k must be a whole number from 1 to 20")
	}
	recs, err := s.opts.Recommender.ForCustomer(c.Request.Context(), tenantOf(c), id, lang, k)
	if errors.Is(err, commerce.ErrNotFound) {
		return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "customer_not_found", Message: "No such customer."}
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"customer_id": id, "recommendations": recs})
	return nil
}
