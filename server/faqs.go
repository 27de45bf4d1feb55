package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/faqs"
)

// FAQCandidates are the FAQ candidates mined from people's replies;
// *faqs.Candidates is one.
type FAQCandidates interface {
	List(ctx context.Context, tenant, status string, limit int) ([]faqs.Candidate, error)
	Get(ctx context.Context, tenant string, id int64) (faqs.Candidate, error)
	Approve(ctx context.Context, tenant string, id int64, question, answer string) (faqs.Candidate, error)
	Reject(ctx context.Context, tenant string, id int64) (faqs.Candidate, error)
}

func (s *Server) faqCandidates() (FAQCandidates, error) {
	if s.opts.FAQs == nil {
		return nil, &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "learning_unavailable",
			Message: "The learning loop is not available on this server."}
	}
	return s.opts.FAQs, nil
}

// listFAQCandidates serves GET /api/learning/faqs?status=pending|approved|rejected&limit=.
func (s *Server) listFAQCandidates(c *gin.Context) error {
	f, err := s.faqCandidates()
	if err != nil {
		return err
	}
	status := c.DefaultQuery("status", faqs.Pending)
	if status != faqs.Pending && status != faqs.Approved && status != faqs.Rejected && status != "all" {
		return invalid("status", "status must be pending, approved, rejected or all")
	}
	if status == "all" {
		status = ""
	}
	limit, err := strconv.Atoi(c.DefaultQuery("limit", "100"))
	if err != nil || limit < 1 || limit > 1000 {
		return invalid("limit", "limit must be a whole number from 1 to 1000")
	}
	list, err := f.List(c.Request.Context(), tenantOf(c), status, limit)
	if err != nil {
		return err
	}
	if list == nil {
		list = []faqs.Candidate{}
	}
	c.JSON(http.StatusOK, gin.H{"candidates": list})
	return nil
}

func candidateID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, faqs.ErrNotFound
	}
	return id, nil
}

// getFAQCandidate serves GET /api/learning/faqs/{id}.
func (s *Server) getFAQCandidate(c *gin.Context) error {
	f, err := s.faqCandidates()
	if err != nil {
		return err
	}
	id, err := candidateID(c)
	if err != nil {
		return faqError(err)
	}
	cand, err := f.Get(c.Request.Context(), tenantOf(c), id)
	if err != nil {
		return faqError(err)
	}
	c.JSON(http.StatusOK, cand)
	return nil
}

// decideFAQCandidate serves POST /api/learning/faqs/{id}/approve (with an
// optional edited {"question", "answer"}) and .../reject.
func (s *Server) decideFAQCandidate(approve bool) func(*gin.Context) error {
	return func(c *gin.Context) error {
		f, err := s.faqCandidates()
		if err != nil {
			return err
		}
		id, err := candidateID(c)
		if err != nil {
			return faqError(err)
		}
		var in struct {
			Question string `json:"question"`
			Answer   string `json:"answer"`
		}
		if c.Request.ContentLength != 0 {
			if err := s.readJSON(c, &in); err != nil {
				return err
			}
		}
		var cand faqs.Candidate
		if approve {
			cand, err = f.Approve(c.Request.Context(), tenantOf(c), id, in.Question, in.Answer)
		} else {
			cand, err = f.Reject(c.Request.Context(), tenantOf(c), id)
		}
		if err != nil {
			return faqError(err)
		}
		c.JSON(http.StatusOK, cand)
		return nil
	}
}

func faqError(err error) error {
	switch {
	case errors.Is(err, faqs.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "candidate_not_found", Message: "No such FAQ candidate.", Err: err}
	case errors.Is(err, faqs.ErrDecided):
		return &apiError{Status: http.StatusConflict, Type: "invalid_request_error", Code: "candidate_decided", Message: "The FAQ candidate was already approved or rejected.", Err: err}
	}
	return invalidFrom(err)
}
