// Package server is shopdesk's HTTP API on Gin: the OpenAI-compatible
// endpoints under /v1, health and readiness probes, and metrics.
//
// Handlers return errors; toAPIError is the one place that turns them into
// statuses and OpenAI-shaped bodies. Every request carries a request ID,
// and every /v1 request a tenant, in its context.
package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/tenant"
)

// Generator runs chat generations; *inference.Client is one.
type Generator interface {
	Chat(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error
}

// Embedder turns texts into vectors; *inference.Client is one.
type Embedder interface {
	Embed(ctx context.Context, req inference.EmbedRequest) (inference.EmbedResponse, error)
}

// Catalog supplies the model catalog in force; *models.Store is one.
type Catalog interface {
	Catalog() *models.Catalog
}

// APIKey grants access to the API on behalf of one tenant.
type APIKey struct {
	Key    string
	Tenant string
}

// Options configures a Server. Models, Chat and Embed are required.
type Options struct {
	Models Catalog
	Chat   Generator
	Embed  Embedder
	// Ready reports whether the server can answer (Ollama reachable,
	// default models present); nil means always ready.
	Ready func(ctx context.Context) error
	// APIKeys, if any, are required on /v1 requests as a bearer token.
	// Without keys every request acts for tenant.Default.
	APIKeys []APIKey
	// Documents and Search serve the knowledge base under /api; without
	// them those routes answer 503.
	Documents Documents
	Search    Searcher
	// Assistant and Conversations serve /api/chat, /api/conversations and
	// assistant entries on /v1/chat/completions; without them those
	// answer 503.
	Assistant     Assistant
	Conversations Conversations
	// Curated serves /api/answers; Phrasings serves /api/learning and
	// /api/documents/{id}/phrasings. Without them those answer 503.
	Curated   CuratedAnswers
	Phrasings Phrasings
	// Recommender serves /api/customers/{id}/recommendations.
	Recommender Recommender
	// Eraser serves DELETE /api/customers/{id}/data.
	Eraser Eraser
	// Desk serves feedback, take-over and events on /api/conversations;
	// without it those routes answer 503.
	Desk Desk
	// Rated, if set, is told of each rating (the learning loop).
	Rated func(ctx context.Context, f conversation.Feedback)
	// Resolved, if set, is told when a person resolves a conversation.
	Resolved Resolved
	// FAQs serves /api/learning/faqs: FAQ candidates from people's
	// replies.
	FAQs FAQCandidates
	// Insights serves /api/insights/kpis and /api/insights/gaps.
	Insights Insights
	// Intents serves /api/intents: the merchant's examples, retraining
	// and the classifier's status; without it those answer 503.
	Intents Intents
	// AdminKeys are the bearer tokens that may use /api/admin; tenant API
	// keys never can. Without admin keys, /api/admin is open only on a
	// server with no API keys at all (which serves loopback only).
	AdminKeys []string
	// Backups serves POST /api/admin/backup; without it that answers 503.
	Backups Backups
	// Staff signs people in to the console at /console; without it the
	// console answers 503.
	Staff Staff
	// Doctor, if set, gives the console's Models page its findings and
	// what each Ollama host has installed.
	Doctor Doctor
	// CustomerSecret returns the key that verifies a tenant's
	// X-Customer-Token headers; nil (or a nil result) disables them.
	CustomerSecret func(tenant string) []byte
	// Widget configures the chat widget's endpoints under /widget/v1:
	// publishable keys, sessions and rate limits.
	Widget WidgetOptions
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For names the client; by default none, so a client
	// can never pick its own address by sending the header.
	TrustedProxies []string
	// SessionRecheck is how often a console event stream checks that its
	// session is still live (default 15s); it also checks when the session
	// would expire.
	SessionRecheck time.Duration
	// MaxBodyBytes bounds JSON request bodies (default 4 MiB).
	MaxBodyBytes int64
	// MaxUploadBytes bounds document uploads (default 64 MiB).
	MaxUploadBytes int64
	// RequestTimeout bounds one generation or embedding call (default 10m).
	RequestTimeout time.Duration
	// Metrics, if set, is updated and served on /metrics.
	Metrics *Metrics
	Logger  *slog.Logger
}

// Server is the HTTP API.
type Server struct {
	opts    Options
	log     *slog.Logger
	keys    map[[32]byte]string // sha256(key) → tenant
	widget  *widgetAuth
	admin   map[[32]byte]bool // sha256(admin key)
	engine  *gin.Engine
	metrics *Metrics
	ready   readyCache
}

// New checks opts and builds the routes.
func New(opts Options) (*Server, error) {
	if opts.Models == nil || opts.Chat == nil || opts.Embed == nil {
		return nil, errors.New("server: Models, Chat and Embed are required")
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 4 << 20
	}
	if opts.MaxUploadBytes <= 0 {
		opts.MaxUploadBytes = 64 << 20
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 10 * time.Minute
	}
	s := &Server{opts: opts, log: opts.Logger, metrics: opts.Metrics, keys: map[[32]byte]string{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, k := range opts.APIKeys {
		if err := tenant.Validate(k.Tenant); err != nil {
			return nil, fmt.Errorf("server: API key: %w", err)
		}
		sum := sha256.Sum256([]byte(k.Key))
		if _, dup := s.keys[sum]; dup {
			return nil, errors.New("server: the same API key is listed twice")
		}
		s.keys[sum] = k.Tenant
	}
	s.admin = map[[32]byte]bool{}
	for _, k := range opts.AdminKeys {
		sum := sha256.Sum256([]byte(k))
		if _, dup := s.keys[sum]; dup {
			return nil, errors.New("server: an admin key is also a tenant's API key")
		}
		s.admin[sum] = true
	}
	var err error
	if s.widget, err = newWidgetAuth(opts.Widget, s.keys); err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	s.engine = s.routes()
	if err := s.engine.SetTrustedProxies(opts.TrustedProxies); err != nil {
		return nil, fmt.Errorf("server: trusted proxies: %w", err)
	}
	return s, nil
}

// Handler returns the HTTP handler serving every route.
func (s *Server) Handler() http.Handler { return s.engine }

// handle adapts a handler that returns an error.
func (s *Server) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}

// readyCache remembers the last readiness check briefly, so frequent
// probes do not each query Ollama.
type readyCache struct {
	mu   sync.Mutex
	at   time.Time
	last error
}

const readyTTL = 2 * time.Second

func (r *readyCache) check(ctx context.Context, fn func(context.Context) error) error {
	if fn == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if time.Since(r.at) < readyTTL {
		return r.last
	}
	// The check is shared by every probe, so one probe that gives up early
	// must not cut it short.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	r.last = fn(ctx)
	r.at = time.Now()
	return r.last
}
