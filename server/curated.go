package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/curated"
)

// CuratedAnswers stores the merchant's curated answers; *curated.Store is
// one.
type CuratedAnswers interface {
	Create(ctx context.Context, tenant string, a curated.Answer) (curated.Answer, error)
	Get(ctx context.Context, tenant, id string) (curated.Answer, bool, error)
	List(ctx context.Context, tenant, after string, limit int) ([]curated.Answer, error)
	Update(ctx context.Context, tenant, id string, a curated.Answer) (curated.Answer, error)
	Delete(ctx context.Context, tenant, id string) (bool, error)
}

func (s *Server) curatedEnabled() error {
	if s.opts.Curated == nil {
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "curated_unavailable",
			Message: "Curated answers are not available on this server."}
	}
	return nil
}

// answerInput is a curated answer as the API takes it.
type answerInput struct {
	ID         string   `json:"id"`
	Question   string   `json:"question"`
	Answer     string   `json:"answer"`
	Alternates []string `json:"alternates"`
	Lang       string   `json:"lang"`
	Tags       []string `json:"tags"`
	Author     string   `json:"author"`
}

func (in answerInput) answer() curated.Answer {
	return curated.Answer{ID: in.ID, Question: in.Question, Answer: in.Answer, Alternates: in.Alternates, Lang: in.Lang, Tags: in.Tags, Author: in.Author}
}

func curatedNotFound(id string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "answer_not_found",
		Message: "No curated answer " + strconv.Quote(id) + "."}
}

// createAnswer serves POST /api/answers: {"question", "answer",
// "alternates"?, "lang"?, "tags"?, "id"?, "author"?}; 201 with the answer.
func (s *Server) createAnswer(c *gin.Context) error {
	if err := s.curatedEnabled(); err != nil {
		return err
	}
	var in answerInput
	if err := s.readJSON(c, &in); err != nil {
		return err
	}
	a, err := s.opts.Curated.Create(c.Request.Context(), tenantOf(c), in.answer())
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, a)
	return nil
}

// listAnswers serves GET /api/answers?after=&limit=.
func (s *Server) listAnswers(c *gin.Context) error {
	if err := s.curatedEnabled(); err != nil {
		return err
	}
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	list, err := s.opts.Curated.List(c.Request.Context(), tenantOf(c), c.Query("after"), limit)
	if err != nil {
		return err
	}
	out := gin.H{"answers": list}
	if len(list) == limit {
		out["next"] = list[len(list)-1].ID
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// limitParam reads ?limit= (1-1000, default 100).
func limitParam(c *gin.Context) (int, error) {
	l := c.Query("limit")
	if l == "" {
		return 100, nil
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 || n > 1000 {
		return 0, invalid("limit", "limit must be between 1 and 1000")
	}
	return n, nil
}

func answerID(c *gin.Context) string { return strings.TrimPrefix(c.Param("id"), "/") }

// getAnswer serves GET /api/answers/{id}.
func (s *Server) getAnswer(c *gin.Context) error {
	if err := s.curatedEnabled(); err != nil {
		return err
	}
	id := answerID(c)
	a, ok, err := s.opts.Curated.Get(c.Request.Context(), tenantOf(c), id)
	if err != nil {
		return err
	}
	if !ok {
		return curatedNotFound(id)
	}
	c.JSON(http.StatusOK, a)
	return nil
}

// updateAnswer serves PUT /api/answers/{id} with the whole answer.
func (s *Server) updateAnswer(c *gin.Context) error {
	if err := s.curatedEnabled(); err != nil {
		return err
	}
	var in answerInput
	if err := s.readJSON(c, &in); err != nil {
		return err
	}
	id := answerID(c)
	if in.ID != "" && in.ID != id {
		return invalid("id", "the body's id %q is not the URL's %q", in.ID, id)
	}
	a, err := s.opts.Curated.Update(c.Request.Context(), tenantOf(c), id, in.answer())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, a)
	return nil
}

// deleteAnswer serves DELETE /api/answers/{id}.
func (s *Server) deleteAnswer(c *gin.Context) error {
	if err := s.curatedEnabled(); err != nil {
		return err
	}
	id := answerID(c)
	ok, err := s.opts.Curated.Delete(c.Request.Context(), tenantOf(c), id)
	if err != nil {
		return err
	}
	if !ok {
		return curatedNotFound(id)
	}
	c.Status(http.StatusNoContent)
	return nil
}
