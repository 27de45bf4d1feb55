// Package assistant is shopdesk's answer pipeline: for each shopper
// message it retrieves the merchant's passages, builds the prompt with the
// conversation's memory, generates, checks the answer against its sources
// and streams it, then stores the turn. It decides when to say "I don't
// know", when to hand the conversation to a person, and answers from the
// FAQ when no model is available.
//
// The pipeline is plain Go: it takes values and a callback for the text,
// so it runs the same behind the native API, the OpenAI-compatible one
// and in tests.
package assistant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/handoff"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/prompts"
	"github.com/shopdesk/shopdesk/sentiment"
)

// Searcher finds a tenant's passages; *index.Index is one.
type Searcher interface {
	Search(ctx context.Context, tenant, query string, opts index.SearchOptions) (index.SearchResult, error)
}

// Generator runs chat generations; *inference.Client is one.
type Generator interface {
	Chat(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error
}

// Actions answers requests that need the merchant's systems (orders,
// returns, catalog facts); *actions.Actions is one.
type Actions interface {
	Handle(ctx context.Context, req actions.Request) (actions.Result, bool, error)
	// Call runs a tool the model called.
	Call(ctx context.Context, req actions.Request, name string, args map[string]any) (actions.Result, bool, error)
}

// Observer counts what the pipeline does, for metrics.
type Observer interface {
	// Answered counts a reply by outcome.
	Answered(outcome string)
	// CheckFailed counts a claim the grounding check removed, by kind.
	CheckFailed(kind string)
	// Escalated counts a hand-off by reason.
	Escalated(reason string)
}

// Options configures an Assistant. Search, Chat and Store are required.
type Options struct {
	Search Searcher
	Chat   Generator
	Store  *conversation.Store
	// Actions, if set, handles commerce requests before the knowledge
	// base is asked.
	Actions Actions
	// Catalog returns a tenant's catalog snapshot (a catalog.Cache's Get),
	// for the grounding check's product names and for remembering what a
	// shopper is after; nil, or an error, means neither knows products.
	Catalog func(ctx context.Context, tenant string) (*catalog.Snapshot, error)
	// Persona is a tenant's merchant name and style.
	Persona func(tenant string) prompts.Persona
	// Sentiment classifies a shopper message; nil means the learned
	// model, sentiment.Default.
	Sentiment func(ctx context.Context, text string) sentiment.Result
	// Intent reads what a message asks for (an actions.Classifier's
	// Read), once per turn, for the reply and for Actions; nil reports
	// every turn as None with confidence 0 and lets Actions read.
	Intent func(ctx context.Context, text string) actions.Reading
	Rules  handoff.Rules
	// MinRelevance is the Relevance below which the assistant does not
	// answer; 0 means DefaultMinRelevance.
	MinRelevance float64
	// Sources is how many passages an answer may use (default 5).
	Sources int
	// Mode is the search mode (default hybrid).
	Mode string
	// Curated, if set, finds the merchant's curated answers, matched
	// after hand-off rules and commerce actions and before retrieval.
	Curated CuratedMatcher
	// AnswerMode returns a tenant's answer mode (AnswerGenerate or
	// AnswerFAQFirst); nil means AnswerGenerate for all.
	AnswerMode func(tenant string) string
	// Phrasings returns the approved learned phrasings of FAQ entries by
	// document ID (learning.Phrasings' Phrasings), which faq_first matches
	// besides their questions; nil means none.
	Phrasings func(ctx context.Context, tenant string, docIDs []string) (map[string][]string, error)
	// HandoffQueued is called after a hand-off notice joins the outbox.
	HandoffQueued func()
	Observer      Observer
	Logger        *slog.Logger
}

// Assistant answers shopper messages. It is safe for concurrent use; the
// turns of one conversation run one at a time.
type Assistant struct {
	opts  Options
	log   *slog.Logger
	locks keyedMutex
	// toolDefs are the actions offered to models, nil without actions.
	toolDefs []inference.Tool
	// noTools marks Ollama tags that refused a request with tools.
	noTools sync.Map
	// summarising marks conversations with a summary being written.
	summarising sync.Map
	bg          sync.WaitGroup
}

// New checks opts and returns an Assistant.
func New(opts Options) (*Assistant, error) {
	if opts.Search == nil || opts.Chat == nil || opts.Store == nil {
		return nil, errors.New("assistant: Search, Chat and Store are required")
	}
	if opts.MinRelevance <= 0 {
		opts.MinRelevance = DefaultMinRelevance
	}
	if opts.Sources <= 0 {
		opts.Sources = 5
	}
	if opts.Mode == "" {
		opts.Mode = index.ModeHybrid
	}
	if opts.Sentiment == nil {
		learned := sentiment.Default()
		opts.Sentiment = func(_ context.Context, text string) sentiment.Result { return learned.Classify(text) }
	}
	if opts.Persona == nil {
		opts.Persona = func(string) prompts.Persona { return prompts.Persona{} }
	}
	if opts.Observer == nil {
		opts.Observer = nopObserver{}
	}
	a := &Assistant{opts: opts, log: opts.Logger}
	if opts.Actions != nil {
		a.toolDefs = toolDefs() // the same for every turn
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	return a, nil
}

// Wait blocks until background work (conversation summaries) is done.
func (a *Assistant) Wait() { a.bg.Wait() }

// Answer answers req.Message, calling onText with each piece of the answer
// as it becomes final (checked sentences when the model answers, the
// whole text otherwise), and returns the reply once the turn is stored.
// Errors: ErrInvalid and ErrForbidden for requests to refuse; model
// failures after text was sent; storage failures.
func (a *Assistant) Answer(ctx context.Context, req Request, onText func(string) error) (Reply, error) {
	msg := strings.TrimSpace(req.Message)
	switch {
	case msg == "":
		return Reply{}, fmt.Errorf("%w: message is empty", ErrInvalid)
	case len(msg) > MaxMessageBytes:
		return Reply{}, fmt.Errorf("%w: message is %d bytes; the limit is %d", ErrInvalid, len(msg), MaxMessageBytes)
	case !utf8.ValidString(msg):
		return Reply{}, fmt.Errorf("%w: message is not valid UTF-8", ErrInvalid)
	}
	// A client that names no conversation replays the transcript instead
	// (OpenAI clients without user): find the conversation it continues,
	// so that storage grows with the conversation, not its square.
	replayed := req.ConversationID == ""
	if replayed && len(req.History) > 0 {
		found, ok, err := a.opts.Store.FindContinuation(ctx, req.Tenant, conversation.Digest(req.History))
		if err != nil {
			return Reply{}, err
		}
		if ok {
			req.ConversationID = found
		}
	}
	id := req.ConversationID
	if id == "" {
		id = conversation.NewID()
	} else if err := conversation.ValidateID(id); err != nil {
		return Reply{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	req.ConversationID = id // background work (summaries) names the conversation too
	defer a.locks.lock(req.Tenant + "\x00" + id)()

	conv, err := a.open(ctx, req, id)
	if err != nil {
		return Reply{}, err
	}
	if onText == nil {
		onText = func(string) error { return nil }
	}
	start := time.Now()
	var firstText time.Duration
	emit := func(text string) error {
		if firstText == 0 {
			firstText = max(time.Since(start), time.Millisecond)
		}
		return onText(text)
	}
	t := &turn{req: req, conv: conv, persona: a.opts.Persona(req.Tenant), emit: emit, replayed: replayed, firstText: &firstText}
	t.catalog = a.catalog(ctx, req.Tenant)
	mood := a.opts.Sentiment(ctx, msg)
	t.user = conversation.Message{Role: conversation.RoleUser, Content: msg, Sentiment: &mood}
	if conv.Language == "" || hasLetters(msg) {
		// "2" or "👍" keep the conversation's language.
		conv.Language = lang.Detect(msg)
	}
	// An answer to a flow's question ("it doesn't fit" as a return's
	// reason) is not a turn of mood: it neither lengthens the negative
	// streak nor, being the flow's business, hands the shopper over
	// mid-flow. The rules still judge it for requests and high risk.
	answersFlow := a.opts.Actions != nil && actions.AwaitsAnswer(conv)
	switch {
	case mood.Label != sentiment.Negative:
		conv.NegativeStreak = 0
	case !answersFlow:
		conv.NegativeStreak++
	}
	remember(&conv.Details, msg, t.catalog)
	if conv.ResolvedAt != nil {
		// The shopper wrote again: the conversation is open once more.
		if err := a.opts.Store.Reopen(ctx, req.Tenant, id); err != nil {
			return Reply{}, err
		}
		conv.ResolvedAt = nil
	}
	t.reply = Reply{ConversationID: id, Language: conv.Language, Sentiment: mood, Sources: []conversation.Source{}}
	var reading *actions.Reading
	t.reply.Intent = string(actions.None)
	if a.opts.Intent != nil {
		rd := a.opts.Intent(ctx, msg)
		reading = &rd
		none := rd.AsNone() // what a turn no action answers reports
		t.reply.IntentConfidence, t.reply.IntentBy = none.Confidence, none.By
	}

	if conv.HeldBy != "" {
		// A person has taken over: the assistant stays silent; the
		// message reaches them through the conversation's events.
		return a.held(ctx, t)
	}
	if !conv.Escalated {
		signal := mood
		if answersFlow {
			signal.Handoff = "" // the rules alone judge an answer to a flow's question
		}
		d := a.opts.Rules.Decide(handoff.Signals{Message: msg, Sentiment: signal,
			NegativeStreak: conv.NegativeStreak, Unanswered: conv.Unanswered})
		if d.Escalate && d.Reason != handoff.ReasonUnanswered {
			return a.escalate(ctx, t, d)
		}
	}
	if a.opts.Actions != nil {
		res, handled, err := a.opts.Actions.Handle(ctx, actions.Request{Tenant: req.Tenant, Source: req.Source,
			Language: conv.Language, Message: msg, Conv: conv, Reading: reading})
		if err != nil {
			return Reply{}, err
		}
		if handled {
			return a.act(ctx, t, res)
		}
		t.reply.IntentConfidence, t.reply.IntentBy = res.Confidence, res.By
	}
	if r, done, err := a.curatedFirst(ctx, t); done || err != nil {
		return r, err
	}
	return a.answer(ctx, t)
}

// open loads the conversation, or starts it (with any history the client
// sent).
func (a *Assistant) open(ctx context.Context, req Request, id string) (*conversation.Conversation, error) {
	conv, err := a.opts.Store.Load(ctx, req.Tenant, id)
	if errors.Is(err, conversation.ErrNotFound) {
		conv = &conversation.Conversation{ID: id, Tenant: req.Tenant, CustomerID: req.CustomerID, Session: req.Session}
		if len(req.History) > 0 {
			history := req.History
			if len(history) > conversation.MaxMessages/2 {
				history = history[len(history)-conversation.MaxMessages/2:]
			}
			for _, m := range history {
				remember(&conv.Details, m.Content, nil)
			}
			if err := a.opts.Store.Save(ctx, conv, history, nil); err != nil {
				return nil, err
			}
		}
		return conv, nil
	}
	if err != nil {
		return nil, err
	}
	// A turn is verified by its own request only: a conversation bound to
	// a customer continues only with that customer vouched for again, and
	// looks to anyone else, anonymous callers included, like one that
	// does not exist.
	if conv.CustomerID != "" && conv.CustomerID != req.CustomerID || conv.Session != req.Session {
		return nil, fmt.Errorf("%w: conversation %s", ErrForbidden, id)
	}
	if conv.CustomerID == "" {
		conv.CustomerID = req.CustomerID
	}
	return conv, nil
}

func (a *Assistant) catalog(ctx context.Context, tenant string) *catalog.Snapshot {
	if a.opts.Catalog == nil {
		return nil
	}
	snap, err := a.opts.Catalog(ctx, tenant)
	if err != nil {
		a.log.Warn("catalog unavailable; the grounding check runs without product names", "tenant", tenant, "err", err)
	}
	return snap
}

type nopObserver struct{}

func (nopObserver) Answered(string)    {}
func (nopObserver) CheckFailed(string) {}
func (nopObserver) Escalated(string)   {}
