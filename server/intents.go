package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/intent"
	"github.com/shopdesk/shopdesk/tenant"
)

// Intents manages the server-wide intent classifier; *actions.Intents is
// one.
type Intents interface {
	AddExamples(examples []intent.Example) error
	Retrain() (actions.RetrainStatus, bool)
	LastRetrain() actions.RetrainStatus
	Status() actions.IntentStatus
}

// intentsAllowed checks that intents are served and that the caller may
// manage them: the classifier is one for the whole server, so only the
// default tenant's keys may.
func (s *Server) intentsAllowed(c *gin.Context) error {
	if s.opts.Intents == nil {
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "intents_unavailable",
			Message: "The intent classifier is not managed on this server."}
	}
	if tenantOf(c) != tenant.Default {
		return &apiError{Status: http.StatusForbidden, Type: "invalid_request_error", Code: "intents_server_wide",
			Message: "The intent classifier is shared by every tenant of this server; only an API key of tenant \"default\" may change it."}
	}
	return nil
}

// examplesInput is the body of POST /api/intents/examples.
type examplesInput struct {
	Examples []intent.Example `json:"examples"`
}

// addIntentExamples serves POST /api/intents/examples: labelled messages
// appended to <data>/intents.jsonl for the next retrain.
func (s *Server) addIntentExamples(c *gin.Context) error {
	if err := s.intentsAllowed(c); err != nil {
		return err
	}
	var in examplesInput
	if err := s.readJSON(c, &in); err != nil {
		return err
	}
	if err := s.opts.Intents.AddExamples(in.Examples); err != nil {
		if errors.Is(err, actions.ErrInvalidExamples) {
			msg := strings.TrimPrefix(err.Error(), actions.ErrInvalidExamples.Error()+": ")
			param, _, _ := strings.Cut(msg, ":")
			return invalid(param, "%s", msg)
		}
		return err
	}
	c.JSON(http.StatusOK, gin.H{"added": len(in.Examples)})
	return nil
}

// retrainIntents serves POST /api/intents/retrain: a retrain in the
// background (202), or 409 while one runs.
func (s *Server) retrainIntents(c *gin.Context) error {
	if err := s.intentsAllowed(c); err != nil {
		return err
	}
	st, started := s.opts.Intents.Retrain()
	if !started {
		return &apiError{Status: http.StatusConflict, Type: "invalid_request_error", Code: "retrain_running",
			Message: "A retrain is already running; GET /api/intents/retrain shows how it ends."}
	}
	c.JSON(http.StatusAccepted, st)
	return nil
}

// lastRetrain serves GET /api/intents/retrain: the last retrain's outcome.
func (s *Server) lastRetrain(c *gin.Context) error {
	if err := s.intentsAllowed(c); err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.opts.Intents.LastRetrain())
	return nil
}

// intentStatus serves GET /api/intents: which model serves and whether
// the embedding vote is on.
func (s *Server) intentStatus(c *gin.Context) error {
	if err := s.intentsAllowed(c); err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.opts.Intents.Status())
	return nil
}
