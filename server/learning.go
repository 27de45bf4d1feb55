package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/learning"
)

// Phrasings keeps the shopper phrasings learned for documents;
// *learning.Phrasings is one.
type Phrasings interface {
	List(ctx context.Context, tenant, status string, after int64, limit int) ([]learning.Phrasing, error)
	Approve(ctx context.Context, tenant string, id int64, text string) (learning.Phrasing, error)
	Reject(ctx context.Context, tenant string, id int64) (learning.Phrasing, error)
	Attach(ctx context.Context, tenant, docID, question string) (learning.Phrasing, error)
	ForDocument(ctx context.Context, tenant, docID string) ([]learning.Phrasing, error)
}

func (s *Server) learningEnabled() error {
	if s.opts.Phrasings == nil {
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "learning_unavailable",
			Message: "Learned phrasings are not available on this server."}
	}
	return nil
}

// listCandidates serves GET /api/learning/candidates?status=&after=&limit=
// (status candidate by default; "all" for every status).
func (s *Server) listCandidates(c *gin.Context) error {
	if err := s.learningEnabled(); err != nil {
		return err
	}
	status := c.DefaultQuery("status", learning.StatusCandidate)
	if status == "all" {
		status = ""
	}
	switch status {
	case "", learning.StatusCandidate, learning.StatusApproved, learning.StatusRejected:
	default:
		return invalid("status", "status must be candidate, approved, rejected or all")
	}
	var after int64
	if a := c.Query("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return invalid("after", "after must be a phrasing id")
		}
		after = n
	}
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	list, err := s.opts.Phrasings.List(c.Request.Context(), tenantOf(c), status, after, limit)
	if err != nil {
		return err
	}
	out := gin.H{"candidates": list}
	if len(list) == limit {
		out["next"] = list[len(list)-1].ID
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// reviewCandidate serves POST /api/learning/candidates/{id}/approve, with
// an optional {"question"} that replaces its words, and .../reject.
func (s *Server) reviewCandidate(c *gin.Context) error {
	if err := s.learningEnabled(); err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return invalid("id", "name the candidate by its id: /api/learning/candidates/{id}/approve")
	}
	var ph learning.Phrasing
	switch c.Param("action") {
	case "approve":
		var in struct {
			Question string `json:"question"`
		}
		if c.Request.ContentLength != 0 {
			if err := s.readJSON(c, &in); err != nil {
				return err
			}
		}
		ph, err = s.opts.Phrasings.Approve(c.Request.Context(), tenantOf(c), id, strings.TrimSpace(in.Question))
	case "reject":
		ph, err = s.opts.Phrasings.Reject(c.Request.Context(), tenantOf(c), id)
	default:
		return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "unknown_url",
			Message: "Use /api/learning/candidates/{id}/approve or /reject."}
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, ph)
	return nil
}

// attachPhrasing serves POST /api/learning/phrasings {"doc_id",
// "question"}: staff attach an approved phrasing to a document, the
// correction for a question that found the wrong one.
func (s *Server) attachPhrasing(c *gin.Context) error {
	if err := s.learningEnabled(); err != nil {
		return err
	}
	var in struct {
		DocID    string `json:"doc_id"`
		Question string `json:"question"`
	}
	if err := s.readJSON(c, &in); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(in.DocID) == "":
		return invalid("doc_id", "doc_id is required")
	case strings.TrimSpace(in.Question) == "":
		return invalid("question", "question is required")
	}
	ph, err := s.opts.Phrasings.Attach(c.Request.Context(), tenantOf(c), in.DocID, in.Question)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, ph)
	return nil
}

// documentPhrasings serves GET /api/documents/{id}/phrasings.
func (s *Server) documentPhrasings(c *gin.Context, docID string) error {
	if err := s.learningEnabled(); err != nil {
		return err
	}
	if _, ok, err := s.opts.Documents.Document(c.Request.Context(), tenantOf(c), docID); err != nil || !ok {
		if err != nil {
			return err
		}
		return documentNotFound(docID)
	}
	list, err := s.opts.Phrasings.ForDocument(c.Request.Context(), tenantOf(c), docID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"doc_id": docID, "phrasings": list})
	return nil
}
