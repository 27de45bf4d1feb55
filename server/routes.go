package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
)

// routes lists every route the server has.
func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	// observe wraps recoverPanics so that requests that panic are logged
	// and counted too.
	r.Use(withRequestID, s.observe, s.recoverPanics, s.guardLoopback)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	if s.metrics != nil {
		r.GET("/metrics", s.authenticateRemote, gin.WrapH(s.metrics.handler()))
	}

	v1 := r.Group("/v1", s.authenticate)
	v1.POST("/chat/completions", s.handle(s.chatCompletions))
	v1.POST("/embeddings", s.handle(s.embeddings))
	v1.GET("/models", s.handle(s.listModels))
	v1.GET("/models/*id", s.handle(s.getModel))

	// The chat widget: its script and demo page, and its endpoints, which
	// take a publishable key from the tenant's listed origins only.
	r.GET("/widget.js", s.widgetScript)
	r.GET("/widget/demo.css", s.demoCSS)
	r.GET("/demo", s.demo)
	r.OPTIONS("/widget/v1/*path", s.widgetOrigin)
	wv := r.Group("/widget/v1", s.widgetOrigin, s.widgetKey)
	wv.POST("/session", s.handle(s.widgetSessionStart))
	wv.POST("/chat", s.widgetSession, s.handle(s.widgetChat))
	wv.GET("/conversation", s.widgetSession, s.handle(s.widgetConversation))
	wv.POST("/feedback", s.widgetSession, s.handle(s.widgetFeedback))
	wv.GET("/events", s.widgetSession, s.handle(s.widgetEvents))

	kb := r.Group("/api", s.authenticate)
	kb.POST("/documents", s.handle(s.createDocuments))
	kb.GET("/documents", s.handle(s.listDocuments))
	kb.GET("/documents/*id", s.handle(s.getDocument))
	kb.DELETE("/documents/*id", s.handle(s.deleteDocument))
	kb.POST("/search", s.handle(s.search))
	kb.POST("/chat", s.handle(s.chat))
	kb.GET("/conversations", s.handle(s.listConversations))
	kb.GET("/conversations/:id", s.handle(s.getConversation))
	kb.GET("/conversations/:id/events", s.handle(s.events))
	kb.POST("/conversations/:id/feedback", s.handle(s.feedback))
	kb.POST("/conversations/:id/messages", s.handle(s.agentMessage))
	kb.POST("/conversations/:id/claim", s.handle(s.claim))
	kb.POST("/conversations/:id/handback", s.handle(s.handback))
	kb.POST("/conversations/:id/resolve", s.handle(s.resolve))
	kb.GET("/insights/kpis", s.handle(s.kpis))
	kb.GET("/insights/gaps", s.handle(s.gaps))
	kb.GET("/learning/faqs", s.handle(s.listFAQCandidates))
	kb.GET("/learning/faqs/:id", s.handle(s.getFAQCandidate))
	kb.POST("/learning/faqs/:id/approve", s.handle(s.decideFAQCandidate(true)))
	kb.POST("/learning/faqs/:id/reject", s.handle(s.decideFAQCandidate(false)))
	kb.POST("/answers", s.handle(s.createAnswer))
	kb.GET("/answers", s.handle(s.listAnswers))
	kb.GET("/answers/*id", s.handle(s.getAnswer))
	kb.PUT("/answers/*id", s.handle(s.updateAnswer))
	kb.DELETE("/answers/*id", s.handle(s.deleteAnswer))
	kb.GET("/learning/candidates", s.handle(s.listCandidates))
	kb.POST("/learning/candidates/:id/:action", s.handle(s.reviewCandidate))
	kb.POST("/learning/phrasings", s.handle(s.attachPhrasing))
	kb.GET("/customers/:id/recommendations", s.handle(s.recommendations))
	kb.DELETE("/customers/:id/data", s.handle(s.eraseCustomer))
	kb.GET("/intents", s.handle(s.intentStatus))
	kb.POST("/intents/examples", s.handle(s.addIntentExamples))
	kb.POST("/intents/retrain", s.handle(s.retrainIntents))
	kb.GET("/intents/retrain", s.handle(s.lastRetrain))

	admin := r.Group("/api/admin", s.authenticateAdmin)
	admin.POST("/backup", s.handle(s.createBackup))

	// The staff console: pages behind a staff session (tenant from the
	// session, CSRF token on every change); some for admins only.
	r.GET("/console/static/:file", s.consoleAsset)
	cs := r.Group(consolePath, consoleHeaders, s.consoleSameOrigin)
	toInbox := func(c *gin.Context) { c.Redirect(http.StatusSeeOther, consolePath+"/inbox") }
	cs.GET("", toInbox)
	cs.GET("/", toInbox)
	cs.GET("/login", s.consolePage(s.loginPage))
	cs.POST("/login", s.consoleLimitBody, s.consolePage(s.login))

	people := cs.Group("", s.consoleSession, s.consoleLimitBody, s.consoleCSRF)
	people.POST("/logout", s.consolePage(s.logout))
	people.GET("/inbox", s.consolePage(s.inboxPage))
	people.GET("/conversations/:id", s.consolePage(s.transcriptPage))
	people.GET("/conversations/:id/events", s.consolePage(s.transcriptEvents))
	people.POST("/conversations/:id/:action", s.consolePage(s.takeOver))
	people.GET("/insights", s.consolePage(s.insightsPage))
	people.GET("/knowledge", s.consolePage(s.knowledgePage))

	admins := people.Group("", s.requireAdmin)
	admins.POST("/knowledge/upload", s.consolePage(s.knowledgeUpload))
	admins.POST("/knowledge/delete", s.consolePage(s.knowledgeDelete))
	admins.GET("/learning", s.consolePage(s.learningPage))
	admins.POST("/learning/:kind/:action", s.consolePage(s.learningDecide))
	admins.GET("/models", s.consolePage(s.modelsPage))
	admins.GET("/users", s.consolePage(s.usersPage))

	r.NoRoute(func(c *gin.Context) {
		if c.Request.URL.Path == consolePath || strings.HasPrefix(c.Request.URL.Path, consolePath+"/") {
			consoleHeaders(c)
			s.notFoundPage(c)
			return
		}
		s.writeError(c, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "unknown_url",
			Message: fmt.Sprintf("Unknown request URL: %s %s.", c.Request.Method, c.Request.URL.Path)})
	})
	r.NoMethod(func(c *gin.Context) {
		s.writeError(c, &apiError{Status: http.StatusMethodNotAllowed, Type: "invalid_request_error", Code: "method_not_allowed",
			Message: fmt.Sprintf("%s is not allowed on %s.", c.Request.Method, c.Request.URL.Path)})
	})
	return r
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz reports 200 when Ollama answers and the default models are
// installed, 503 otherwise. The reason names no hosts or models: the
// probe is unauthenticated; `shopdesk doctor` gives the details.
func (s *Server) readyz(c *gin.Context) {
	err := s.ready.check(c.Request.Context(), s.opts.Ready)
	if err == nil {
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
		return
	}
	reason := "not ready"
	var ie *inference.Error
	if errors.As(err, &ie) {
		switch ie.Kind {
		case inference.ErrModelNotFound:
			reason = "default models not installed"
		case inference.ErrUnavailable:
			reason = "model server unreachable"
		}
	}
	c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "reason": reason})
}

func modelObjectOf(e models.Entry, created time.Time) modelObject {
	return modelObject{ID: e.ID, Object: "model", Created: created.Unix(), OwnedBy: "shopdesk",
		Kind: string(e.Kind), Description: e.Description}
}

func (s *Server) listModels(c *gin.Context) error {
	cat := s.opts.Models.Catalog()
	out := modelList{Object: "list", Data: []modelObject{}}
	for _, e := range cat.Entries() {
		out.Data = append(out.Data, modelObjectOf(e, cat.LoadedAt))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

func (s *Server) getModel(c *gin.Context) error {
	id := strings.TrimPrefix(c.Param("id"), "/")
	cat := s.opts.Models.Catalog()
	e, ok := cat.Lookup(id)
	if !ok {
		return modelNotFound(id)
	}
	c.JSON(http.StatusOK, modelObjectOf(e, cat.LoadedAt))
	return nil
}
