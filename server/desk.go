package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/conversation"
)

// Desk is what a support desk does with conversations: rate, take over,
// reply, hand back, resolve, follow; *conversation.Store is one.
type Desk interface {
	Rate(ctx context.Context, tenant, id string, seq int, rating, comment string) (conversation.Feedback, error)
	SetCSAT(ctx context.Context, tenant, id string, score int) error
	Claim(ctx context.Context, tenant, id, author string, force bool) error
	AddAgentMessage(ctx context.Context, tenant, id, author, text string) (conversation.Message, error)
	// Handback and Resolve fail with conversation.ErrHeld when another
	// person holds the conversation, unless force is set.
	Handback(ctx context.Context, tenant, id, by string, force bool) error
	Resolve(ctx context.Context, tenant, id, by string, force bool) error
	Subscribe(tenant, id string) (<-chan conversation.Event, func())
}

// Resolved is told when a person resolves a conversation, so that their
// replies can become FAQ candidates.
type Resolved func(ctx context.Context, tenant, id, by string)

func (s *Server) desk() (Desk, error) {
	if s.opts.Desk == nil {
		return nil, &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "assistant_unavailable",
			Message: "The support assistant is not available on this server."}
	}
	return s.opts.Desk, nil
}

// deskConversation is the desk and the conversation ID of a desk route.
func (s *Server) deskConversation(c *gin.Context) (Desk, string, error) {
	d, err := s.desk()
	if err != nil {
		return nil, "", err
	}
	id, err := conversationID(c)
	return d, id, err
}

// conversationID reads the :id of a conversation route; a malformed one
// is as unknown as a missing one.
func conversationID(c *gin.Context) (string, error) {
	id := c.Param("id")
	if conversation.ValidateID(id) != nil {
		return "", conversation.ErrNotFound
	}
	return id, nil
}

// feedbackInput is the body of POST /api/conversations/{id}/feedback.
type feedbackInput struct {
	Rating  string `json:"rating"`
	Comment string `json:"comment"`
	Turn    int    `json:"turn"`
	CSAT    *int   `json:"csat"`
}

// feedback serves POST /api/conversations/{id}/feedback: {"rating":
// "up"|"down", "comment"?, "turn"?} rates an answer (by default the
// latest), {"csat": 1..5} the whole conversation.
func (s *Server) feedback(c *gin.Context) error {
	d, id, err := s.deskConversation(c)
	if err != nil {
		return err
	}
	var in feedbackInput
	if err := s.readJSON(c, &in); err != nil {
		return err
	}
	out, err := s.applyFeedback(c, d, id, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// applyFeedback stores a rating of an answer or the conversation's CSAT
// and returns what the client is told.
func (s *Server) applyFeedback(c *gin.Context, d Desk, id string, in feedbackInput) (any, error) {
	ctx := c.Request.Context()
	switch {
	case in.CSAT != nil && in.Rating != "":
		return nil, invalid("csat", "send either a rating of an answer or a csat of the conversation, not both")
	case in.CSAT != nil:
		if *in.CSAT < 1 || *in.CSAT > 5 {
			return nil, invalid("csat", "csat must be a whole number from 1 to 5")
		}
		if err := d.SetCSAT(ctx, tenantOf(c), id, *in.CSAT); err != nil {
			return nil, err
		}
		s.metrics.countCSAT(*in.CSAT)
		return gin.H{"conversation_id": id, "csat": *in.CSAT}, nil
	}
	if in.Rating != conversation.RatingUp && in.Rating != conversation.RatingDown {
		return nil, invalid("rating", `rating must be "up" or "down" (or send csat)`)
	}
	if in.Turn < 0 {
		return nil, invalid("turn", "turn must be the number of an answer in the conversation")
	}
	if len([]rune(in.Comment)) > conversation.MaxCommentRunes {
		return nil, invalid("comment", "comment is longer than %d characters", conversation.MaxCommentRunes)
	}
	f, err := d.Rate(ctx, tenantOf(c), id, in.Turn, in.Rating, in.Comment)
	if errors.Is(err, conversation.ErrNoSuchTurn) {
		return nil, invalid("turn", "turn %d is not an answer of this conversation", in.Turn)
	}
	if err != nil {
		return nil, err
	}
	s.metrics.countFeedback(f.Rating)
	if s.opts.Rated != nil {
		s.opts.Rated(ctx, f)
	}
	return f, nil
}

// agentInput is the body of the take-over routes.
type agentInput struct {
	Role   string `json:"role"`
	Text   string `json:"text"`
	Author string `json:"author"`
	Force  bool   `json:"force"`
}

func (s *Server) readAgent(c *gin.Context, needText bool) (Desk, string, agentInput, error) {
	var in agentInput
	d, id, err := s.deskConversation(c)
	if err != nil {
		return nil, "", in, err
	}
	if err := s.readJSON(c, &in); err != nil {
		return nil, "", in, err
	}
	if in.Author = strings.TrimSpace(in.Author); in.Author == "" && needText {
		return nil, "", in, invalid("author", "author (the person's name as the shopper sees it) is required")
	}
	if len([]rune(in.Author)) > conversation.MaxAuthorRunes {
		return nil, "", in, invalid("author", "author is longer than %d characters", conversation.MaxAuthorRunes)
	}
	if needText {
		if in.Role != "" && in.Role != conversation.RoleAgent {
			return nil, "", in, invalid("role", `role must be "agent": shopdesk writes the assistant's messages itself`)
		}
		if err := checkAgentText(in.Text); err != nil {
			return nil, "", in, err
		}
	}
	return d, id, in, nil
}

// checkAgentText checks a person's message to the shopper.
func checkAgentText(text string) error {
	if strings.TrimSpace(text) == "" {
		return invalid("text", "text is required")
	}
	if len([]rune(text)) > conversation.MaxMessageRunes {
		return invalid("text", "text is longer than %d characters", conversation.MaxMessageRunes)
	}
	return nil
}

// agentMessage serves POST /api/conversations/{id}/messages: a person's
// reply to the shopper; it takes the conversation over, so the assistant
// stays silent until it is handed back.
func (s *Server) agentMessage(c *gin.Context) error {
	d, id, in, err := s.readAgent(c, true)
	if err != nil {
		return err
	}
	m, err := d.AddAgentMessage(c.Request.Context(), tenantOf(c), id, in.Author, in.Text)
	if err != nil {
		return deskError(err)
	}
	c.JSON(http.StatusOK, gin.H{"conversation_id": id, "message": m})
	return nil
}

// claim serves POST /api/conversations/{id}/claim.
func (s *Server) claim(c *gin.Context) error {
	d, id, in, err := s.readAgent(c, false)
	if err != nil {
		return err
	}
	if in.Author == "" {
		return invalid("author", "author is required")
	}
	if err := d.Claim(c.Request.Context(), tenantOf(c), id, in.Author, in.Force); err != nil {
		return deskError(err)
	}
	c.JSON(http.StatusOK, gin.H{"conversation_id": id, "held_by": in.Author})
	return nil
}

// handback serves POST /api/conversations/{id}/handback.
func (s *Server) handback(c *gin.Context) error { return s.release(c, false) }

// resolve serves POST /api/conversations/{id}/resolve: a person marks the
// conversation resolved; their replies are offered as FAQ candidates.
func (s *Server) resolve(c *gin.Context) error { return s.release(c, true) }

// release gives the conversation back to the assistant, resolved or not.
// An author who does not hold it needs "force", as a claim does; a call
// without an author is the integrator's own system and may release any.
func (s *Server) release(c *gin.Context, resolved bool) error {
	d, id, in, err := s.readAgent(c, false)
	if err != nil {
		return err
	}
	if err := s.releaseConversation(c.Request.Context(), d, tenantOf(c), id, in.Author, in.Force || in.Author == "", resolved); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"conversation_id": id, "held_by": "", "resolved": resolved})
	return nil
}

// releaseConversation hands a conversation back, or resolves it and
// offers the person's replies as FAQ candidates; one that another person
// holds only with force.
func (s *Server) releaseConversation(ctx context.Context, d Desk, t, id, by string, force, resolved bool) error {
	op := d.Handback
	if resolved {
		op = d.Resolve
	}
	if err := op(ctx, t, id, by, force); err != nil {
		return deskError(err)
	}
	if resolved && s.opts.Resolved != nil {
		s.opts.Resolved(context.WithoutCancel(ctx), t, id, by)
	}
	return nil
}

func deskError(err error) error {
	if errors.Is(err, conversation.ErrHeld) {
		return &apiError{Status: http.StatusConflict, Type: "invalid_request_error", Code: "conversation_held",
			Message: strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + `; send "force": true to take it over anyway.`, Err: err}
	}
	if errors.Is(err, conversation.ErrNotFound) {
		return err
	}
	return invalidFrom(err)
}

// invalidFrom turns a validation error of the store into a 400; other
// errors pass through.
func invalidFrom(err error) error {
	msg := err.Error()
	for _, field := range []string{"author", "text", "rating", "comment", "csat", "question", "answer"} {
		if strings.HasPrefix(msg, field+":") || strings.HasPrefix(msg, field+" ") {
			return invalid(field, "%s", msg)
		}
	}
	return err
}

// keepAlive is how often an idle event stream gets a comment line, so
// proxies do not close it.
const keepAlive = 15 * time.Second

// events serves GET /api/conversations/{id}/events: server-sent events
// as the conversation changes ("message", "claimed", "handed_back",
// "resolved", "escalated", "rated"). A client that reconnects with
// Last-Event-ID (the seq of the last message it saw) first gets the
// messages it missed.
func (s *Server) events(c *gin.Context) error {
	d, id, err := s.deskConversation(c)
	if err != nil {
		return err
	}
	t := tenantOf(c)
	ctx := c.Request.Context()
	conv, err := s.opts.Conversations.Load(ctx, t, id)
	if err != nil {
		return err
	}
	return s.streamEvents(c, d, conv, lastEventID(c), nil)
}

// lastEventID is the seq a reconnecting client saw last, or -1.
func lastEventID(c *gin.Context) int {
	v := c.GetHeader("Last-Event-ID")
	if v == "" {
		v = c.Query("after")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// streamEvents subscribes first and then replays what the client missed,
// so nothing falls between the two. view, if set, turns each event into
// what the client is sent (nil: the event is not sent).
func (s *Server) streamEvents(c *gin.Context, d Desk, conv *conversation.Conversation, after int, view func(conversation.Event) any) error {
	if view == nil {
		view = func(e conversation.Event) any { return e }
	}
	events, cancel := d.Subscribe(tenantOf(c), conv.ID)
	defer cancel()
	sse := newSSE(c.Writer)
	sent := after
	if after >= 0 {
		for i := range conv.Messages {
			m := &conv.Messages[i]
			if m.Seq > after {
				if err := sse.eventWithID(strconv.Itoa(m.Seq), conversation.EventMessage, view(conversation.Event{Type: conversation.EventMessage, ConversationID: conv.ID, Message: m, At: m.At})); err != nil {
					return nil
				}
				sent = m.Seq
			}
		}
	}
	if err := sse.comment("connected"); err != nil {
		return nil
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-c.Request.Context().Done():
			return nil
		case <-tick.C:
			if err := sse.comment("keep-alive"); err != nil {
				return nil
			}
		case e := <-events:
			id := ""
			if e.Message != nil {
				if e.Message.Seq <= sent {
					continue // replayed already
				}
				sent, id = e.Message.Seq, strconv.Itoa(e.Message.Seq)
			}
			v := view(e)
			if v == nil {
				continue
			}
			if err := sse.eventWithID(id, e.Type, v); err != nil {
				return nil
			}
		}
	}
}

// eventWithID writes a named event with an id line when id is set.
func (s *sseWriter) eventWithID(id, name string, v any) error {
	if id == "" {
		return s.event(name, v)
	}
	s.buf.Reset()
	fmt.Fprintf(&s.buf, "id: %s\nevent: %s\ndata: ", id, name)
	if err := s.enc.Encode(v); err != nil {
		return err
	}
	s.buf.WriteByte('\n')
	return s.write(s.buf.Bytes())
}

// comment writes an SSE comment line (ignored by clients).
func (s *sseWriter) comment(text string) error {
	return s.write([]byte(": " + text + "\n\n"))
}
