package server

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
)

// What the widget is sent: the shopper's own view of a conversation,
// without the desk's data (mood, model, outcome, latency, details) and
// without the names of the people who take it over: an author or holder
// may be a staff login name, so the widget shows its own "Support team"
// label instead. The desk API and the console keep the names.
type (
	widgetMessage struct {
		Seq     int                   `json:"seq"`
		Role    string                `json:"role"`
		Content string                `json:"content"`
		Sources []conversation.Source `json:"sources,omitempty"`
		Rating  string                `json:"rating,omitempty"`
		At      time.Time             `json:"at"`
	}
	widgetConversationView struct {
		ID        string `json:"id"`
		Language  string `json:"language,omitempty"`
		Escalated bool   `json:"escalated"`
		// Held: a person has taken the conversation over.
		Held     bool            `json:"held"`
		Resolved bool            `json:"resolved"`
		CSAT     int             `json:"csat,omitempty"`
		Messages []widgetMessage `json:"messages"`
	}
	widgetEventView struct {
		Type    string         `json:"type"`
		Message *widgetMessage `json:"message,omitempty"`
		At      time.Time      `json:"at"`
	}
	// widgetReply is the "done" event of the widget's chat.
	widgetReply struct {
		ConversationID string                `json:"conversation_id"`
		Answer         string                `json:"answer"`
		Sources        []conversation.Source `json:"sources"`
		Language       string                `json:"language"`
		Escalated      bool                  `json:"escalated"`
		Held           bool                  `json:"held"`
		QuickReplies   []string              `json:"quick_replies"`
		// Seq and UserSeq number the answer and the shopper's message in
		// the transcript (0 when not stored, such as no answer while a
		// person holds the conversation), for ratings and for events.
		Seq     int `json:"seq"`
		UserSeq int `json:"user_seq"`
	}
)

func widgetMessageOf(m *conversation.Message) widgetMessage {
	return widgetMessage{Seq: m.Seq, Role: m.Role, Content: m.Content, Sources: m.Sources, Rating: m.Rating, At: m.At}
}

func widgetConversationOf(conv *conversation.Conversation) widgetConversationView {
	v := widgetConversationView{ID: conv.ID, Language: conv.Language, Escalated: conv.Escalated, Held: conv.HeldBy != "",
		Resolved: conv.ResolvedAt != nil, CSAT: conv.CSAT, Messages: []widgetMessage{}}
	for i := range conv.Messages {
		v.Messages = append(v.Messages, widgetMessageOf(&conv.Messages[i]))
	}
	return v
}

// widgetEventOf is the widget's view of an event; ratings are not sent.
func widgetEventOf(e conversation.Event) any {
	if e.Type == conversation.EventRated {
		return nil
	}
	v := widgetEventView{Type: e.Type, At: e.At}
	if e.Message != nil {
		m := widgetMessageOf(e.Message)
		v.Message = &m
	}
	return v
}

// widgetReplyOf is the widget's view of a reply, with the seq of the
// stored messages, found in the transcript after the turn.
func (s *Server) widgetReplyOf(c *gin.Context, r assistant.Reply, message string) widgetReply {
	out := widgetReply{ConversationID: r.ConversationID, Answer: r.Answer, Sources: r.Sources, Language: r.Language,
		Escalated: r.Escalated, Held: r.HeldBy != "", QuickReplies: r.QuickReplies}
	if out.QuickReplies == nil {
		out.QuickReplies = []string{}
	}
	conv, err := s.opts.Conversations.Load(c.Request.Context(), tenantOf(c), r.ConversationID)
	if err != nil {
		return out
	}
	for i := len(conv.Messages) - 1; i >= 0; i-- {
		m := conv.Messages[i]
		if m.Role == conversation.RoleUser && m.Content == message {
			out.UserSeq = m.Seq
			if i+1 < len(conv.Messages) && conv.Messages[i+1].Role == conversation.RoleAssistant {
				out.Seq = conv.Messages[i+1].Seq
			}
			break
		}
	}
	return out
}
