package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/widget"
)

// maxWidgetBody bounds the widget's request bodies: a message and a few
// fields.
const maxWidgetBody = 32 << 10

// The bodies the widget's endpoints take. Nothing else is accepted: the
// model, prompts, tenant and policies are the merchant's configuration,
// never the page's.
type (
	widgetSessionInput struct {
		NewConversation bool `json:"new_conversation"`
	}
	widgetChatInput struct {
		Message        string `json:"message"`
		ConversationID string `json:"conversation_id"`
	}
	widgetFeedbackInput struct {
		ConversationID string `json:"conversation_id"`
		Rating         string `json:"rating"`
		Comment        string `json:"comment"`
		Turn           int    `json:"turn"`
		CSAT           *int   `json:"csat"`
	}
)

// readWidgetJSON reads a small body into v, refusing fields v does not
// have; an empty body is an empty object.
func (s *Server) readWidgetJSON(c *gin.Context, v any) error {
	if c.Request.ContentLength > maxWidgetBody {
		return &http.MaxBytesError{Limit: maxWidgetBody}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxWidgetBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_body", Message: "The request body could not be read.", Err: err}
	}
	return decodeWidgetJSON(body, v)
}

// decodeWidgetJSON decodes body into v, refusing fields v does not have.
func decodeWidgetJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	var fields map[string]json.RawMessage
	if err := decodeJSON(body, &fields); err != nil {
		return err
	}
	known := jsonFields(v)
	for name := range fields {
		if !slices.Contains(known, name) {
			e := invalid(name, "%q is not a field of this request; it takes only %s (the model, prompts and policies are the merchant's settings, not the page's)",
				truncateRunes(name, 40), strings.Join(known, ", "))
			e.Code = "unknown_field"
			return e
		}
	}
	if err := decodeJSON(body, v); err != nil {
		return err
	}
	return nil
}

// jsonFields lists the JSON names of the struct v points to.
func jsonFields(v any) []string {
	t := reflect.TypeOf(v).Elem()
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// widgetCustomer is the shopper a signed customer token vouches for ("" if
// none was sent). Unsigned claims (X-Customer-ID, a customer_id field) are
// never read here. A token is bound to the first session that presents
// it, so one copied into another browser is refused.
func (s *Server) widgetCustomer(c *gin.Context, sess *widget.Session) (string, error) {
	tok := c.GetHeader(headerCustomerToken)
	if tok == "" {
		return "", nil
	}
	cust, err := s.verifyCustomerToken(c, tok)
	if err != nil {
		return "", err
	}
	until := time.Now().Add(identity.MaxTokenLifetime + time.Minute)
	err = s.opts.Widget.Sessions.BindCustomerToken(c.Request.Context(), tenantOf(c), sess.Hash, tok, until)
	if errors.Is(err, widget.ErrTokenReplayed) {
		return "", customerTokenError(errors.New("the customer token was already used in another browser session; mint one per page view"))
	}
	return cust, err
}

// ownConversation loads a conversation of the session, and only of the
// session: another session's, or one bound to another customer, is as
// unknown as one that does not exist.
func (s *Server) ownConversation(c *gin.Context, sess *widget.Session, id, customer string) (*conversation.Conversation, error) {
	if id == "" {
		id = sess.ConversationID
	}
	if id == "" || conversation.ValidateID(id) != nil {
		return nil, conversation.ErrNotFound
	}
	conv, err := s.opts.Conversations.Load(c.Request.Context(), tenantOf(c), id)
	if err != nil {
		return nil, err
	}
	if conv.Session != sess.Hash || (conv.CustomerID != "" && conv.CustomerID != customer) {
		return nil, conversation.ErrNotFound
	}
	return conv, nil
}

// sessionConversation is the session's conversation id (by default its
// current one), for the customer the request's token vouches for.
func (s *Server) sessionConversation(c *gin.Context, id string) (*conversation.Conversation, error) {
	if err := s.assistantEnabled(); err != nil {
		return nil, err
	}
	sess := sessionFrom(c)
	customer, err := s.widgetCustomer(c, sess)
	if err != nil {
		return nil, err
	}
	return s.ownConversation(c, sess, id, customer)
}

// widgetSessionStart serves POST /widget/v1/session: a new session, or
// (with Authorization: Session) the same one again, with the conversation
// it can continue. {"new_conversation": true} leaves that conversation.
func (s *Server) widgetSessionStart(c *gin.Context) error {
	sess, err := s.sessionOf(c)
	if err != nil {
		return err
	}
	var in widgetSessionInput
	if err := s.readWidgetJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request.Context()
	if tok := c.GetHeader(headerCustomerToken); tok != "" && sess == nil {
		// Refuse a bad token before a session is made for nothing.
		if _, err := s.verifyCustomerToken(c, tok); err != nil {
			return err
		}
	}
	token := ""
	if sess == nil {
		var created widget.Session
		if token, created, err = s.opts.Widget.Sessions.Create(ctx, tenantOf(c)); err != nil {
			return err
		}
		sess = &created
	} else {
		_, token, _ = strings.Cut(c.GetHeader("Authorization"), " ")
		token = strings.TrimSpace(token)
	}
	customer, err := s.widgetCustomer(c, sess)
	if err != nil {
		return err
	}
	if in.NewConversation && sess.ConversationID != "" {
		if err := s.opts.Widget.Sessions.SetConversation(ctx, tenantOf(c), sess.Hash, ""); err != nil {
			return err
		}
		sess.ConversationID = ""
	}
	out := gin.H{"token": token, "idle_timeout_seconds": int(s.opts.Widget.Sessions.Idle().Seconds())}
	if sess.ConversationID != "" && s.opts.Conversations != nil {
		if conv, err := s.ownConversation(c, sess, "", customer); err == nil {
			out["conversation_id"] = conv.ID
		}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
	return nil
}

// widgetChat serves POST /widget/v1/chat: the shopper's message in, the
// answer out as server-sent events, like /api/chat's stream: "token",
// "sources", then "done" (with quick_replies and the messages' seq) or
// "error".
func (s *Server) widgetChat(c *gin.Context) error {
	if err := s.assistantEnabled(); err != nil {
		return err
	}
	sess := sessionFrom(c)
	var in widgetChatInput
	if err := s.readWidgetJSON(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Message) == "" {
		return invalid("message", "message is required")
	}
	customer, err := s.widgetCustomer(c, sess)
	if err != nil {
		return err
	}
	if in.ConversationID != "" {
		// A widget continues its own conversations; it never names new ones.
		if _, err := s.ownConversation(c, sess, in.ConversationID, customer); err != nil {
			return err
		}
	}
	gen, err := s.assistantEntry(c, "")
	if err != nil {
		return err
	}
	req := assistant.Request{Tenant: tenantOf(c), ConversationID: in.ConversationID, Message: in.Message,
		CustomerID: customer, Session: sess.Hash, Source: sourceOf(c), Model: gen}
	ctx, cancel := s.requestContext(c)
	defer cancel()
	sse := newSSE(c.Writer)
	reply, err := s.opts.Assistant.Answer(ctx, req, func(text string) error {
		return sse.event("token", chatStreamToken{Text: text})
	})
	if err == nil && in.ConversationID == "" {
		err = s.opts.Widget.Sessions.SetConversation(ctx, tenantOf(c), sess.Hash, reply.ConversationID)
	}
	if err == nil {
		err = sse.event("sources", chatStreamSources{Sources: reply.Sources})
	}
	if err == nil {
		err = sse.event("done", s.widgetReplyOf(c, reply, strings.TrimSpace(in.Message)))
	}
	if err != nil {
		if !sse.started {
			return modelError(err, gen)
		}
		s.endStreamAs(c, sse, modelError(err, gen), "error")
	}
	return nil
}

// widgetConversation serves GET /widget/v1/conversation?id=: the
// transcript of the session's conversation (by default its current one).
func (s *Server) widgetConversation(c *gin.Context) error {
	conv, err := s.sessionConversation(c, c.Query("id"))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, widgetConversationOf(conv))
	return nil
}

// widgetFeedback serves POST /widget/v1/feedback: a thumb on one of the
// session's answers ({"turn", "rating", "comment"?}) or the CSAT of its
// conversation ({"csat": 1..5}).
func (s *Server) widgetFeedback(c *gin.Context) error {
	d, err := s.desk()
	if err != nil {
		return err
	}
	var in widgetFeedbackInput
	if err := s.readWidgetJSON(c, &in); err != nil {
		return err
	}
	conv, err := s.sessionConversation(c, in.ConversationID)
	if err != nil {
		return err
	}
	out, err := s.applyFeedback(c, d, conv.ID, feedbackInput{Rating: in.Rating, Comment: in.Comment, Turn: in.Turn, CSAT: in.CSAT})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// widgetEvents serves GET /widget/v1/events?id=: the session's
// conversation as it changes, as server-sent events ("message",
// "claimed", "handed_back", "resolved", "escalated"); Last-Event-ID
// replays the messages after that seq.
func (s *Server) widgetEvents(c *gin.Context) error {
	d, err := s.desk()
	if err != nil {
		return err
	}
	conv, err := s.sessionConversation(c, c.Query("id"))
	if err != nil {
		return err
	}
	return s.streamEvents(c, d, conv, lastEventID(c), widgetEventOf)
}
