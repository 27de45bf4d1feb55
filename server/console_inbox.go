package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/conversation"
)

// inboxOption is one view in the inbox's view menu.
type inboxOption struct {
	Value, Label string
	Selected     bool
}

// inboxData is the inbox page.
type inboxData struct {
	Views           []inboxOption
	Query, From, To string
	// Self is this listing's URL, which the page reloads to stay live.
	Self  string
	Items []conversation.Item
}

// inboxPage serves GET /console/inbox?view=&q=&from=&to=: the tenant's
// conversations, filtered as GET /api/conversations filters them; to is
// inclusive here.
func (s *Server) inboxPage(c *gin.Context) error {
	items, f, err := s.listFromQuery(c, true)
	if err != nil {
		return err
	}
	d := inboxData{Query: f.Text, From: c.Query("from"), To: c.Query("to"), Self: c.Request.URL.RequestURI(), Items: items}
	for _, view := range conversation.Views {
		d.Views = append(d.Views, inboxOption{Value: view, Label: "view_" + view, Selected: view == f.View})
	}
	v := s.view(c, "inbox", "inbox")
	v.Data = d
	s.render(c, http.StatusOK, v)
	return nil
}

// transcriptData is the transcript page.
type transcriptData struct {
	Conversation *conversation.Conversation
	// Mine: the viewer holds the conversation.
	Mine    bool
	LastSeq int
}

// transcriptPage serves GET /console/conversations/{id}: the transcript
// with each turn's sources, intent and mood, the verified customer and
// the records the conversation cites, and the take-over controls.
func (s *Server) transcriptPage(c *gin.Context) error {
	conv, err := s.consoleConversation(c)
	if err != nil {
		return err
	}
	d := transcriptData{Conversation: conv, Mine: conv.HeldBy != "" && conv.HeldBy == staffFrom(c).User.Name, LastSeq: -1}
	if n := len(conv.Messages); n > 0 {
		d.LastSeq = conv.Messages[n-1].Seq
	}
	v := s.view(c, "transcript", "transcript")
	v.Subtitle, v.Data = conv.ID, d
	if done, ok := map[string]string{"claim": "claim", "reply": "send", "handback": "handback", "resolve": "resolve"}[c.Query("done")]; ok {
		v.Notice = v.T("decided") + " " + v.T(done)
	}
	s.render(c, http.StatusOK, v)
	return nil
}

// consoleConversation loads the conversation of the :id route in the
// session's tenant; another tenant's is as unknown as a missing one.
func (s *Server) consoleConversation(c *gin.Context) (*conversation.Conversation, error) {
	if err := s.assistantEnabled(); err != nil {
		return nil, err
	}
	id, err := conversationID(c)
	if err != nil {
		return nil, err
	}
	return s.opts.Conversations.Load(c.Request.Context(), tenantOf(c), id)
}

// transcriptEvents serves GET /console/conversations/{id}/events: the
// conversation's events, as GET /api/conversations/{id}/events sends them,
// for as long as the session lasts (checked before each event, every
// SessionRecheck and at its expiry); then a "signed_out" event ends the
// stream.
func (s *Server) transcriptEvents(c *gin.Context) error {
	d, err := s.desk()
	if err != nil {
		return err
	}
	conv, err := s.consoleConversation(c)
	if err != nil {
		return err
	}
	live, stop := s.whileSignedIn(c)
	defer stop()
	// Each event is sent only while the session lasts, so nothing reaches
	// a signed-out page between two checks.
	view := func(e conversation.Event) any {
		if _, ok := live.check(); !ok {
			return nil
		}
		return e
	}
	if err := s.streamEvents(c, d, conv, lastEventID(c), view); err != nil {
		return err
	}
	if live.ended() {
		newSSE(c.Writer).event("signed_out", gin.H{})
	}
	return nil
}

// takeOver serves POST /console/conversations/{id}/{claim|reply|handback|resolve}
// as the signed-in person, then shows the transcript again. Replying to,
// handing back or resolving a conversation another person holds is a
// conflict; claim, hand back and resolve take it over with force=1.
func (s *Server) takeOver(c *gin.Context) error {
	d, id, err := s.deskConversation(c)
	if err != nil {
		return err
	}
	ctx, t, me := c.Request.Context(), tenantOf(c), staffFrom(c).User.Name
	action := c.Param("action")
	switch action {
	case "claim":
		err = d.Claim(ctx, t, id, me, c.PostForm("force") != "")
	case "reply":
		text := strings.TrimSpace(c.PostForm("text"))
		if err = checkAgentText(text); err == nil {
			_, err = d.AddAgentMessage(ctx, t, id, me, text)
		}
	case "handback", "resolve":
		err = s.releaseConversation(ctx, d, t, id, me, c.PostForm("force") != "", action == "resolve")
	default:
		return conversation.ErrNotFound
	}
	if err != nil {
		return deskError(err)
	}
	c.Redirect(http.StatusSeeOther, consolePath+"/conversations/"+id+"?done="+action)
	return nil
}
