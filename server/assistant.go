package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/clientaddr"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/models"
)

// Assistant answers shopper messages; *assistant.Assistant is one.
type Assistant interface {
	Answer(ctx context.Context, req assistant.Request, onText func(string) error) (assistant.Reply, error)
}

// Conversations reads stored conversations; *conversation.Store is one.
type Conversations interface {
	Load(ctx context.Context, tenant, id string) (*conversation.Conversation, error)
}

func (s *Server) assistantEnabled() error {
	if s.opts.Assistant == nil || s.opts.Conversations == nil {
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "assistant_unavailable",
			Message: "The support assistant is not available on this server."}
	}
	return nil
}

// chatInput is the body of POST /api/chat.
type chatInput struct {
	ConversationID string `json:"conversation_id"`
	Message        string `json:"message"`
	CustomerID     string `json:"customer_id"`
	Stream         bool   `json:"stream"`
	// Model names the assistant entry to use (default: the catalog's
	// first assistant, "shopdesk").
	Model string `json:"model"`
}

// chatStreamToken is the data of a "token" event.
type chatStreamToken struct {
	Text string `json:"text"`
}

// chatStreamSources is the data of a "sources" event.
type chatStreamSources struct {
	Sources []conversation.Source `json:"sources"`
}

// chat serves POST /api/chat: one shopper message in, the assistant's
// answer and the conversation's state out; with "stream": true, server-
// sent events "token" (pieces of the answer), "sources", then "done" with
// the whole reply.
func (s *Server) chat(c *gin.Context) error {
	if err := s.assistantEnabled(); err != nil {
		return err
	}
	var in chatInput
	if err := s.readJSON(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Message) == "" {
		return invalid("message", "message is required")
	}
	gen, err := s.assistantEntry(c, in.Model)
	if err != nil {
		return err
	}
	customer, err := s.customerOf(c, in.CustomerID)
	if err != nil {
		return err
	}
	req := assistant.Request{Tenant: tenantOf(c), ConversationID: in.ConversationID, Message: in.Message,
		CustomerID: customer, Source: sourceOf(c), Model: gen}
	ctx, cancel := s.requestContext(c)
	defer cancel()
	if !in.Stream {
		reply, err := s.opts.Assistant.Answer(ctx, req, nil)
		if err != nil {
			return modelError(err, gen)
		}
		c.JSON(http.StatusOK, reply)
		return nil
	}
	sse := newSSE(c.Writer)
	reply, err := s.opts.Assistant.Answer(ctx, req, func(text string) error {
		return sse.event("token", chatStreamToken{Text: text})
	})
	if err == nil {
		err = sse.event("sources", chatStreamSources{Sources: reply.Sources})
	}
	if err == nil {
		err = sse.event("done", reply)
	}
	if err != nil {
		if !sse.started {
			return modelError(err, gen)
		}
		s.endStreamAs(c, sse, modelError(err, gen), "error")
	}
	return nil
}

// assistantEntry resolves the assistant a request names (or the
// catalog's first) to the chat entry that generates for it.
func (s *Server) assistantEntry(c *gin.Context, id string) (models.Entry, error) {
	cat := s.opts.Models.Catalog()
	if id == "" {
		for _, e := range cat.Entries() {
			if e.Kind == models.KindAssistant {
				c.Set(keyModel, e.ID)
				return cat.Generator(e), nil
			}
		}
		return models.Entry{}, invalid("model", "the catalog has no assistant entry")
	}
	e, ok := cat.Lookup(id)
	if !ok {
		return models.Entry{}, modelNotFound(id)
	}
	if e.Kind != models.KindAssistant {
		return models.Entry{}, invalid("model", "%q is a %s model, not an assistant", id, e.Kind)
	}
	c.Set(keyModel, e.ID)
	return cat.Generator(e), nil
}

// getConversation serves GET /api/conversations/{id}: the transcript and
// state of one of the tenant's conversations.
func (s *Server) getConversation(c *gin.Context) error {
	if err := s.assistantEnabled(); err != nil {
		return err
	}
	id, err := conversationID(c)
	if err != nil {
		return err
	}
	conv, err := s.opts.Conversations.Load(c.Request.Context(), tenantOf(c), id)
	if err != nil {
		return err
	}
	if conv.Messages == nil {
		conv.Messages = []conversation.Message{}
	}
	c.JSON(http.StatusOK, conv)
	return nil
}

// The headers an integrator vouches for a shopper with.
const (
	headerCustomerID    = "X-Customer-ID"
	headerCustomerToken = "X-Customer-Token"
)

// customerOf returns the shopper the integrator vouches for: a customer
// ID sent with the tenant's API key (in the body or X-Customer-ID), or a
// customer token signed with the tenant's secret (X-Customer-Token).
func (s *Server) customerOf(c *gin.Context, fromBody string) (string, error) {
	id := strings.TrimSpace(fromBody)
	if id == "" {
		id = strings.TrimSpace(c.GetHeader(headerCustomerID))
	}
	if tok := c.GetHeader(headerCustomerToken); tok != "" {
		cust, err := s.verifyCustomerToken(c, tok)
		if err != nil {
			return "", err
		}
		if id != "" && id != cust {
			return "", invalid("customer_id", "customer_id does not match the customer token")
		}
		id = cust
	}
	if len(id) > 128 {
		return "", invalid("customer_id", "customer_id is longer than 128 bytes")
	}
	return id, nil
}

// verifyCustomerToken returns the customer a token signed with the
// tenant's secret vouches for, or a 4xx saying what is wrong with it.
func (s *Server) verifyCustomerToken(c *gin.Context, tok string) (string, error) {
	var secret []byte
	if s.opts.CustomerSecret != nil {
		secret = s.opts.CustomerSecret(tenantOf(c))
	}
	if len(secret) == 0 {
		return "", invalid("X-Customer-Token", "customer tokens are not enabled for this tenant (no customer_token_secret)")
	}
	cust, err := identity.CustomerFromToken(secret, tenantOf(c), tok, time.Now())
	if err != nil {
		// The identity errors say what is wrong without revealing the key.
		return "", customerTokenError(err)
	}
	return cust, nil
}

func customerTokenError(err error) *apiError {
	return &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error", Code: "invalid_customer_token",
		Param: headerCustomerToken, Message: strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + ".", Err: err}
}

// sourceOf identifies the caller for limiting failed verifications: the
// client address (clientaddr.Key) within the tenant.
func sourceOf(c *gin.Context) string {
	return tenantOf(c) + "/" + clientaddr.Key(c.ClientIP())
}
