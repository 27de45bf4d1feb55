package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/index/qdrant"
	"github.com/shopdesk/shopdesk/prompts"
	"github.com/shopdesk/shopdesk/server"
	"github.com/shopdesk/shopdesk/tenant"
	"github.com/shopdesk/shopdesk/widget"
)

// setting is one configuration value. Every setting can be given as a
// flag, an environment variable or a key in the YAML file; precedence is
// flag > environment > file > default.
type setting struct {
	Key     string // YAML key; the flag is the key with '-' for '_'
	Env     string
	Default string
	Usage   string
	Secret  bool
	Bool    bool // a switch: --name alone means true
}

func (s setting) flagName() string { return strings.ReplaceAll(s.Key, "_", "-") }

// settings is the one table behind flags, --help, the config file and the
// README's configuration section.
var settings = []setting{
	{Key: "config", Env: "SHOPDESK_CONFIG", Usage: "YAML file holding any of these settings and the model catalog (`models:`); catalog edits apply without a restart"},
	{Key: "addr", Env: "SHOPDESK_ADDR", Default: "127.0.0.1:8080", Usage: "address the API listens on; without API keys only loopback is served"},
	{Key: "data", Env: "SHOPDESK_DATA", Default: "./data", Usage: "data directory (indexes, databases, a private Ollama's models)"},
	{Key: "ollama_host", Env: "OLLAMA_HOST", Default: "http://127.0.0.1:11434", Usage: "Ollama base URL; a comma-separated list spreads load over several hosts"},
	{Key: "chat_model", Env: "SHOPDESK_CHAT_MODEL", Usage: "Ollama tag serving the default chat model (overrides the catalog)"},
	{Key: "embed_model", Env: "SHOPDESK_EMBED_MODEL", Usage: "Ollama tag serving the default embedding model (overrides the catalog)"},
	{Key: "api_keys", Env: "SHOPDESK_API_KEYS", Secret: true, Usage: "comma-separated `tenant:key` pairs; a key without a tenant belongs to tenant `default`; keys are at least 16 characters"},
	{Key: "admin_keys", Env: "SHOPDESK_ADMIN_KEYS", Secret: true, Usage: "comma-separated keys, at least 16 characters each, for /api/admin (backups) and `shopdesk backup` against a running server; tenant API keys never reach /api/admin"},
	{Key: "ollama_concurrency", Env: "SHOPDESK_OLLAMA_CONCURRENCY", Default: "4", Usage: "generations in flight per Ollama host (embeddings have the same allowance)"},
	{Key: "ollama_queue", Env: "SHOPDESK_OLLAMA_QUEUE", Default: "32", Usage: "requests that may wait per Ollama host; beyond that clients get 503 with Retry-After"},
	{Key: "queue_timeout", Env: "SHOPDESK_QUEUE_TIMEOUT", Default: "30s", Usage: "longest wait in the queue before a 503"},
	{Key: "request_timeout", Env: "SHOPDESK_REQUEST_TIMEOUT", Default: "10m", Usage: "longest generation or embedding call"},
	{Key: "trusted_proxies", Env: "SHOPDESK_TRUSTED_PROXIES", Usage: "comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For names the client; by default none is trusted and the client is the connection's address"},
	{Key: "max_body", Env: "SHOPDESK_MAX_BODY", Default: "4MiB", Usage: "largest request body (KiB, MiB suffixes allowed)"},
	{Key: "max_upload", Env: "SHOPDESK_MAX_UPLOAD", Default: "64MiB", Usage: "largest document upload to /api/documents"},
	{Key: "vector_store", Env: "SHOPDESK_VECTOR_STORE", Default: "embedded", Usage: "where chunk embeddings live: embedded (in the data directory), qdrant, or none (keyword search only)"},
	{Key: "qdrant_url", Env: "SHOPDESK_QDRANT_URL", Default: "http://127.0.0.1:6334", Usage: "Qdrant's gRPC address (https:// for TLS), with vector_store qdrant"},
	{Key: "qdrant_api_key", Env: "SHOPDESK_QDRANT_API_KEY", Secret: true, Usage: "Qdrant API key"},
	{Key: "qdrant_quantization", Env: "SHOPDESK_QDRANT_QUANTIZATION", Default: "none", Usage: "none, or int8: the collection keeps int8 codes of its vectors in RAM and rescores the best candidates against the originals (an existing collection is switched)"},
	{Key: "rrf_k", Env: "SHOPDESK_RRF_K", Default: "60", Usage: "reciprocal rank fusion constant: larger values flatten the weight of top ranks"},
	{Key: "keyword_weight", Env: "SHOPDESK_KEYWORD_WEIGHT", Default: "1", Usage: "weight of keyword search in hybrid fusion"},
	{Key: "vector_weight", Env: "SHOPDESK_VECTOR_WEIGHT", Default: "1", Usage: "weight of vector search in hybrid fusion"},
	{Key: "max_per_doc", Env: "SHOPDESK_MAX_PER_DOC", Default: "2", Usage: "most chunks of one document in a search result"},
	{Key: "retrieval_timeout", Env: "SHOPDESK_RETRIEVAL_TIMEOUT", Default: "2s", Usage: "time limit for each of keyword and vector search; past it the other's results are used"},
	{Key: "chunk_tokens", Env: "SHOPDESK_CHUNK_TOKENS", Default: "320", Usage: "chunk size budget in tokens (FAQ entries and products stay whole)"},
	{Key: "chunk_overlap", Env: "SHOPDESK_CHUNK_OVERLAP", Default: "48", Usage: "tokens of a chunk's end repeated at the start of the next one in the same section"},
	{Key: "ingest", Env: "SHOPDESK_INGEST", Usage: "files or folders ingested into tenant default at start (comma-separated); unchanged documents are skipped"},
	{Key: "merchant", Env: "SHOPDESK_MERCHANT", Usage: "the shop's name as the assistant says it (per tenant: `tenants:` in the config file); without one, replies say \"our team\""},
	{Key: "merchant_zh", Env: "SHOPDESK_MERCHANT_ZH", Usage: "the shop's Chinese name, for Chinese replies"},
	{Key: "assistant_name", Env: "SHOPDESK_ASSISTANT_NAME", Default: "the shop assistant", Usage: "the name the assistant gives itself"},
	{Key: "assistant_style", Env: "SHOPDESK_ASSISTANT_STYLE", Usage: "extra guidance on the assistant's persona and tone, in the merchant's words"},
	{Key: "min_relevance", Env: "SHOPDESK_MIN_RELEVANCE", Default: "0.4", Usage: "share of a question's terms the retrieved passages must cover (0-1) before the assistant answers; below it, it says it does not know"},
	{Key: "answer_sources", Env: "SHOPDESK_ANSWER_SOURCES", Default: "5", Usage: "passages given to the model for one answer"},
	{Key: "answer_mode", Env: "SHOPDESK_ANSWER_MODE", Default: "generate", Usage: "generate (the model answers from the passages) or faq_first (an FAQ entry whose question matches strongly is the reply, word for word, without the model); per tenant: `tenants:` in the config file"},
	{Key: "learn_phrasings", Env: "SHOPDESK_LEARN_PHRASINGS", Default: "review", Usage: "what a confirmed question answered from an FAQ entry or curated answer becomes: review (a candidate phrasing of it, for staff to approve), auto (approved at once) or off; per tenant like answer_mode"},
	{Key: "learn_confirm", Env: "SHOPDESK_LEARN_CONFIRM", Default: "thumbs_up", Usage: "what confirms an answer for learn_phrasings: thumbs_up, or thumbs_up_or_quiet_end (also a conversation that ended right after it, without a follow-up, a \"don't know\" or a hand-off); per tenant like answer_mode"},
	{Key: "sentiment", Env: "SHOPDESK_SENTIMENT", Default: "learned", Usage: "how shopper mood is read: learned (the shipped mood model, both languages, with a confidence), lexicon (rules) or model (asks the chat model, lexicon when it fails)"},
	{Key: "intent_vote", Env: "SHOPDESK_INTENT_VOTE", Default: "auto", Usage: "auto: at start, in the background, embed the labelled intent examples with the embedding model and let the nearest ones vote if that measures better on dev (never with the fallback stand-in); off: the intent classifier alone"},
	{Key: "handoff_webhook", Env: "SHOPDESK_HANDOFF_WEBHOOK", Usage: "URL that receives a JSON notice when a conversation is handed to a person (retried until delivered); with several tenants, set it per tenant (`tenants:` in the config file)"},
	{Key: "handoff_secret", Env: "SHOPDESK_HANDOFF_SECRET", Secret: true, Usage: "key for the X-Shopdesk-Signature HMAC-SHA256 header on hand-off notices (per tenant like handoff_webhook)"},
	{Key: "handoff_negative_turns", Env: "SHOPDESK_HANDOFF_NEGATIVE_TURNS", Default: "2", Usage: "consecutive negative shopper messages that hand the conversation to a person"},
	{Key: "handoff_unanswered", Env: "SHOPDESK_HANDOFF_UNANSWERED", Default: "2", Usage: "\"don't know\" answers in a conversation that hand it to a person"},
	{Key: "commerce", Env: "SHOPDESK_COMMERCE", Default: "embedded", Usage: "where orders, customers and the catalog come from: embedded (`shopdesk import`), http (the merchant's API, `commerce_http:` in the config file) or none"},
	{Key: "commerce_import", Env: "SHOPDESK_COMMERCE_IMPORT", Usage: "files imported into tenant default's embedded store at start, as comma-separated kind=path (customers=..., orders=..., products=...)"},
	{Key: "catalog_ttl", Env: "SHOPDESK_CATALOG_TTL", Default: "5m", Usage: "how long a tenant's catalog and order statistics from the merchant's API (commerce http) serve before they are fetched again, in the background; the embedded store's are reloaded after each import that changes them"},
	{Key: "customer_token_secret", Env: "SHOPDESK_CUSTOMER_TOKEN_SECRET", Secret: true, Usage: "key that signs customer tokens (X-Customer-Token), with which a merchant vouches for a signed-in shopper; with several tenants, set it per tenant"},
	{Key: "widget_keys", Env: "SHOPDESK_WIDGET_KEYS", Usage: "publishable keys (pk_…, comma-separated) of the chat widget on a server with one tenant; with several, set them per tenant (`tenants: <t>: widget: {keys, origins}`)"},
	{Key: "widget_origins", Env: "SHOPDESK_WIDGET_ORIGINS", Usage: "origins (scheme://host[:port], comma-separated) of the pages that may use widget_keys"},
	{Key: "widget_session_limit", Env: "SHOPDESK_WIDGET_SESSION_LIMIT", Default: "30/m", Usage: "requests one chat widget session may make (N/s, N/m or N/h, also the burst); beyond it 429 with Retry-After"},
	{Key: "widget_ip_limit", Env: "SHOPDESK_WIDGET_IP_LIMIT", Default: "300/m", Usage: "chat widget requests one client address may make (N/s, N/m or N/h)"},
	{Key: "return_window_days", Env: "SHOPDESK_RETURN_WINDOW_DAYS", Default: "30", Usage: "days after delivery within which the guided return accepts items"},
	{Key: "return_holiday", Env: "SHOPDESK_RETURN_HOLIDAY", Usage: "seasonal return extension, MM-DD..MM-DD:MM-DD: items delivered in the season can be returned until that day of the next year (e.g. 11-01..12-24:01-31)"},
	{Key: "conversation_retention", Env: "SHOPDESK_CONVERSATION_RETENTION", Default: "180d", Usage: "how long a conversation is kept after its last message (e.g. 90d, 720h; 0 keeps them forever); older ones are pruned daily with their details and notices"},
	{Key: "model_gate", Env: "SHOPDESK_MODEL_GATE", Usage: "golden set (JSONL; comma-separated files are one set) that a catalog edit changing the assistant's chat model must pass: the new model is evaluated in the background and applies only if it scores no worse than the current one (see `shopdesk eval answers`)"},
	{Key: "model_gate_tolerance", Env: "SHOPDESK_MODEL_GATE_TOLERANCE", Default: "0.02", Usage: "how much lower than the current model's a new chat model's gate score, and each of its metrics, may be and still pass (0-1)"},
	{Key: "model_gate_timeout", Env: "SHOPDESK_MODEL_GATE_TIMEOUT", Default: "30m", Usage: "longest model gate decision (both evaluations); past it the current model stays"},
	{Key: "log_level", Env: "SHOPDESK_LOG_LEVEL", Default: "info", Usage: "debug, info, warn or error"},
	{Key: "log_format", Env: "SHOPDESK_LOG_FORMAT", Default: "text", Usage: "text or json"},
	{Key: "ollama_bin", Env: "SHOPDESK_OLLAMA_BIN", Usage: "ollama executable to start privately (own port and models directory under the data directory) when OLLAMA_HOST is not set"},
	{Key: "pull", Env: "SHOPDESK_PULL", Default: "false", Bool: true, Usage: "at start, pull catalog models missing from Ollama"},
	{Key: "fallback_gguf", Env: "SHOPDESK_FALLBACK_GGUF", Usage: "GGUF file imported and used for a default model that is missing and cannot be pulled (demo and offline use)"},
	{Key: "demo_admin", Env: "SHOPDESK_DEMO_ADMIN", Usage: "demo only (make run): when tenant default has no console account at start, make an admin of this name with a random password, printed once on the terminal; refused when API keys are set (the server then listens beyond loopback)"},
}

// fileOnlyKeys may appear in the config file without being settings.
var fileOnlyKeys = []string{"models", "tenants", "commerce_http"}

// config is the resolved, validated configuration.
type config struct {
	Path             string
	Addr             string
	DataDir          string
	OllamaHosts      []string
	ChatModel        string
	EmbedModel       string
	APIKeys          []server.APIKey
	AdminKeys        []string
	Concurrency      int
	Queue            int
	QueueTimeout     time.Duration
	RequestTimeout   time.Duration
	TrustedProxies   []string
	MaxBody          int64
	MaxUpload        int64
	VectorStore      string
	QdrantURL        string
	QdrantAPIKey     string
	QdrantQuant      string
	RRFK             float64
	KeywordWeight    float64
	VectorWeight     float64
	MaxPerDoc        int
	RetrievalTimeout time.Duration
	ChunkTokens      int
	ChunkOverlap     int
	Ingest           []string
	LogLevel         slog.Level
	LogFormat        string
	OllamaBin        string
	Pull             bool
	FallbackGGUF     string
	Persona          prompts.Persona
	// Tenants are the config file's per-tenant settings.
	Tenants          map[string]tenantSettings
	MinRelevance     float64
	AnswerSources    int
	AnswerMode       string
	LearnPhrasings   string
	LearnConfirm     string
	Sentiment        string
	IntentVote       string
	HandoffWebhook   string
	HandoffSecret    string
	NegativeTurns    int
	UnansweredTurns  int
	Commerce         string
	CommerceImport   []importSpec
	CatalogTTL       time.Duration
	CustomerSecret   string
	ReturnWindowDays int
	ReturnHoliday    *actions.Holiday
	// Widget holds the top-level widget_keys and widget_origins;
	// WidgetKeys every tenant's keys once checked (checkWidget).
	Widget             widgetSettings
	WidgetKeys         []widget.Key
	WidgetSessionLimit widget.Limit
	WidgetIPLimit      widget.Limit
	// Retention is conversation_retention; negative keeps conversations
	// forever.
	Retention time.Duration
	// ModelGate is the golden set a chat model change must pass; empty
	// lets changes apply at once.
	ModelGate          string
	ModelGateTolerance float64
	ModelGateTimeout   time.Duration

	values  map[string]string
	sources map[string]string // "flag", "env", "file" or "default"
	getenv  func(string) string
}

// explicit reports whether key was set by flag, environment or file.
func (c *config) explicit(key string) bool { return c.sources[key] != "default" }

// newFlagSet registers every setting as a flag on a new FlagSet.
func newFlagSet(name string, stderr io.Writer) (*flag.FlagSet, map[string]*string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := map[string]*string{}
	for _, s := range settings {
		v := &settingFlag{isBool: s.Bool}
		fs.Var(v, s.flagName(), s.Usage+" ("+s.Env+")")
		vals[s.Key] = &v.value
	}
	fs.Usage = func() { printUsage(stderr, name) }
	return fs, vals
}

// settingFlag holds a flag's text; switches accept a bare --name.
type settingFlag struct {
	value  string
	isBool bool
}

func (f *settingFlag) String() string     { return f.value }
func (f *settingFlag) Set(v string) error { f.value = v; return nil }
func (f *settingFlag) IsBoolFlag() bool   { return f.isBool }

// loadConfig parses args (after the subcommand) and resolves every
// setting. It returns the positional arguments left over.
func loadConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (*config, []string, error) {
	fs, flagVals := newFlagSet(name, stderr)
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	setByFlag := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { setByFlag[strings.ReplaceAll(f.Name, "-", "_")] = true })

	path := *flagVals["config"]
	if !setByFlag["config"] {
		path = getenv("SHOPDESK_CONFIG")
	}
	fileVals := map[string]string{}
	if path != "" {
		var err error
		if fileVals, err = readConfigFile(path); err != nil {
			return nil, nil, err
		}
	}

	c := &config{values: map[string]string{}, sources: map[string]string{}, getenv: getenv}
	for _, s := range settings {
		v, src := s.Default, "default"
		if fv, ok := fileVals[s.Key]; ok {
			v, src = fv, "file"
		}
		if ev := getenv(s.Env); ev != "" {
			v, src = ev, "env"
		}
		if setByFlag[s.Key] {
			v, src = *flagVals[s.Key], "flag"
		}
		c.values[s.Key], c.sources[s.Key] = v, src
	}
	c.Path = path
	if err := c.parse(); err != nil {
		return nil, nil, err
	}
	if path != "" {
		var err error
		if c.Tenants, err = readTenants(path); err != nil {
			return nil, nil, err
		}
	}
	if err := c.checkTenants(); err != nil {
		return nil, nil, err
	}
	if err := c.checkWidget(); err != nil {
		return nil, nil, err
	}
	return c, fs.Args(), nil
}

// readConfigFile reads the settings in a YAML file, as strings. Unknown
// keys are errors, so a typo does not silently leave a default in place.
func readConfigFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	out := map[string]string{}
	for k, v := range raw {
		if slices.Contains(fileOnlyKeys, k) {
			continue
		}
		if k == "config" || !slices.ContainsFunc(settings, func(s setting) bool { return s.Key == k }) {
			return nil, fmt.Errorf("config file %s: unknown setting %q (see shopdesk help)", path, k)
		}
		switch x := v.(type) {
		case []any:
			parts := make([]string, 0, len(x))
			for _, p := range x {
				parts = append(parts, fmt.Sprint(p))
			}
			out[k] = strings.Join(parts, ",")
		case map[string]any:
			return nil, fmt.Errorf("config file %s: %s must be a value or a list, not a mapping", path, k)
		case nil:
		default:
			out[k] = fmt.Sprint(x)
		}
	}
	return out, nil
}

// parse converts and validates the raw values.
func (c *config) parse() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		s := lookupSetting(key)
		errs = append(errs, fmt.Errorf("%s=%q (from %s): %s", s.Env, c.maskedValue(key), c.sources[key], fmt.Sprintf(format, args...)))
	}
	intVal := func(key string, min int) int {
		n, err := strconv.Atoi(strings.TrimSpace(c.values[key]))
		if err != nil || n < min {
			bad(key, "want a whole number of at least %d", min)
		}
		return n
	}
	durVal := func(key string) time.Duration {
		d, err := time.ParseDuration(strings.TrimSpace(c.values[key]))
		if err != nil || d <= 0 {
			bad(key, "want a positive duration such as 30s or 5m")
		}
		return d
	}

	c.Addr = strings.TrimSpace(c.values["addr"])
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr", "want host:port")
	}
	c.DataDir = c.values["data"]
	if c.DataDir == "" {
		bad("data", "must not be empty")
	}
	for _, h := range strings.Split(c.values["ollama_host"], ",") {
		if h = strings.TrimSpace(h); h != "" {
			c.OllamaHosts = append(c.OllamaHosts, h)
		}
	}
	if len(c.OllamaHosts) == 0 {
		bad("ollama_host", "name at least one Ollama host")
	}
	c.ChatModel = strings.TrimSpace(c.values["chat_model"])
	c.EmbedModel = strings.TrimSpace(c.values["embed_model"])
	keys, err := parseAPIKeys(c.values["api_keys"])
	if err != nil {
		bad("api_keys", "%v", err)
	}
	c.APIKeys = keys
	if strings.TrimSpace(c.values["demo_admin"]) != "" && len(keys) > 0 {
		bad("demo_admin", "a demo admin is for a server on this machine alone; with API keys set the server listens beyond loopback, so make a real account with `shopdesk users add --role admin NAME` instead")
	}
	if c.AdminKeys, err = parseAdminKeys(c.values["admin_keys"], keys); err != nil {
		bad("admin_keys", "%v", err)
	}
	c.Concurrency = intVal("ollama_concurrency", 1)
	c.Queue = intVal("ollama_queue", 0)
	c.QueueTimeout = durVal("queue_timeout")
	c.RequestTimeout = durVal("request_timeout")
	for _, p := range strings.Split(c.values["trusted_proxies"], ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			bad("trusted_proxies", "%q is neither an IP address nor a CIDR", p)
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	if c.MaxBody, err = parseBytes(c.values["max_body"]); err != nil || c.MaxBody < 1024 {
		bad("max_body", "want a size of at least 1KiB, such as 4MiB")
	}
	if c.MaxUpload, err = parseBytes(c.values["max_upload"]); err != nil || c.MaxUpload < 1024 {
		bad("max_upload", "want a size of at least 1KiB, such as 64MiB")
	}
	c.VectorStore = c.values["vector_store"]
	switch c.VectorStore {
	case "embedded", "qdrant", "none":
	default:
		bad("vector_store", "want embedded, qdrant or none")
	}
	c.QdrantURL, c.QdrantAPIKey = c.values["qdrant_url"], c.values["qdrant_api_key"]
	if c.QdrantQuant = c.values["qdrant_quantization"]; c.QdrantQuant != qdrant.QuantizationNone && c.QdrantQuant != qdrant.QuantizationInt8 {
		bad("qdrant_quantization", "want none or int8")
	}
	floatVal := func(key string, min float64) float64 {
		f, err := strconv.ParseFloat(strings.TrimSpace(c.values[key]), 64)
		if err != nil || f < min {
			bad(key, "want a number of at least %g", min)
		}
		return f
	}
	c.RRFK = floatVal("rrf_k", 1)
	c.KeywordWeight = floatVal("keyword_weight", 0)
	c.VectorWeight = floatVal("vector_weight", 0)
	c.MaxPerDoc = intVal("max_per_doc", 1)
	c.RetrievalTimeout = durVal("retrieval_timeout")
	c.ChunkTokens = intVal("chunk_tokens", 32)
	c.ChunkOverlap = intVal("chunk_overlap", 0)
	if c.ChunkOverlap >= c.ChunkTokens {
		bad("chunk_overlap", "must be smaller than SHOPDESK_CHUNK_TOKENS")
	}
	for _, p := range strings.Split(c.values["ingest"], ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.Ingest = append(c.Ingest, p)
		}
	}
	if d, err := parseDays(c.values["conversation_retention"]); err != nil {
		bad("conversation_retention", "want a duration such as 180d or 720h, or 0 to keep conversations forever")
	} else if c.Retention = d; d == 0 {
		c.Retention = -1
	}
	if err := c.LogLevel.UnmarshalText([]byte(c.values["log_level"])); err != nil {
		bad("log_level", "want debug, info, warn or error")
	}
	c.LogFormat = c.values["log_format"]
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log_format", "want text or json")
	}
	c.OllamaBin = c.values["ollama_bin"]
	if c.Pull, err = strconv.ParseBool(c.values["pull"]); err != nil {
		bad("pull", "want true or false")
	}
	c.FallbackGGUF = c.values["fallback_gguf"]
	c.Persona = prompts.Persona{Merchant: c.values["merchant"], MerchantZh: c.values["merchant_zh"],
		Assistant: c.values["assistant_name"], Style: c.values["assistant_style"]}
	if c.MinRelevance = floatVal("min_relevance", 0); c.MinRelevance > 1 {
		bad("min_relevance", "want a number between 0 and 1")
	}
	c.AnswerSources = intVal("answer_sources", 1)
	for _, f := range []struct {
		key string
		dst *string
	}{{"answer_mode", &c.AnswerMode}, {"learn_phrasings", &c.LearnPhrasings}, {"learn_confirm", &c.LearnConfirm}} {
		*f.dst = strings.TrimSpace(c.values[f.key])
		if err := checkChoice(f.key, *f.dst); err != nil {
			bad(f.key, "%v", err)
		}
	}
	c.Sentiment = c.values["sentiment"]
	if c.Sentiment != "learned" && c.Sentiment != "lexicon" && c.Sentiment != "model" {
		bad("sentiment", "want learned, lexicon or model")
	}
	c.IntentVote = c.values["intent_vote"]
	if c.IntentVote != "auto" && c.IntentVote != "off" {
		bad("intent_vote", "want auto or off")
	}
	c.HandoffWebhook, c.HandoffSecret = strings.TrimSpace(c.values["handoff_webhook"]), c.values["handoff_secret"]
	if c.HandoffWebhook != "" {
		if err := checkWebhookURL(c.HandoffWebhook); err != nil {
			bad("handoff_webhook", "%v", err)
		}
	}
	c.Commerce = c.values["commerce"]
	if c.Commerce != "embedded" && c.Commerce != "http" && c.Commerce != "none" {
		bad("commerce", "want embedded, http or none")
	}
	if c.CommerceImport, err = parseImports(c.values["commerce_import"]); err != nil {
		bad("commerce_import", "%v", err)
	}
	c.CatalogTTL = durVal("catalog_ttl")
	c.CustomerSecret = c.values["customer_token_secret"]
	c.ReturnWindowDays = intVal("return_window_days", 1)
	if v := strings.TrimSpace(c.values["return_holiday"]); v != "" {
		if c.ReturnHoliday, err = actions.ParseHoliday(v); err != nil {
			bad("return_holiday", "%v", err)
		}
	}
	c.parseWidget(bad)
	c.ModelGate = strings.TrimSpace(c.values["model_gate"])
	if c.ModelGateTolerance = floatVal("model_gate_tolerance", 0); c.ModelGateTolerance > 1 {
		bad("model_gate_tolerance", "want a number between 0 and 1")
	}
	c.ModelGateTimeout = durVal("model_gate_timeout")
	c.NegativeTurns = intVal("handoff_negative_turns", 1)
	c.UnansweredTurns = intVal("handoff_unanswered", 1)
	return errors.Join(errs...)
}

func lookupSetting(key string) setting {
	for _, s := range settings {
		if s.Key == key {
			return s
		}
	}
	panic("no setting " + key)
}

func (c *config) maskedValue(key string) string {
	v := c.values[key]
	if lookupSetting(key).Secret && v != "" {
		return fmt.Sprintf("<%d characters, hidden>", len(v))
	}
	return v
}

// logAttrs lists every setting, secrets masked, with where it came from.
func (c *config) logAttrs() []any {
	var attrs []any
	for _, s := range settings {
		attrs = append(attrs, slog.String(s.Key, c.maskedValue(s.Key)+" ("+c.sources[s.Key]+")"))
	}
	return attrs
}

// parseAPIKeys reads "tenant:key,key2" lists.
func parseAPIKeys(raw string) ([]server.APIKey, error) {
	var keys []server.APIKey
	for _, item := range strings.Split(raw, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		t, k, found := strings.Cut(item, ":")
		if !found {
			t, k = tenant.Default, item
		}
		t, k = strings.TrimSpace(t), strings.TrimSpace(k)
		if err := tenant.Validate(t); err != nil {
			// The text before ':' may be part of a key: do not echo it.
			return nil, fmt.Errorf("API key %d: the tenant before ':' is not a valid tenant name (letters, digits, '.', '_', '-')", len(keys)+1)
		}
		if len(k) < 16 {
			return nil, fmt.Errorf("API key %d (tenant %s) is shorter than 16 characters", len(keys)+1, t)
		}
		keys = append(keys, server.APIKey{Tenant: t, Key: k})
	}
	return keys, nil
}

// parseBytes reads sizes such as 4096, 512KiB, 4MiB, 1GiB (KB/MB/GB too).
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a size: %q", s)
	}
	return n * mult, nil
}

// parseDays reads a Go duration that may also be whole days ("180d").
func parseDays(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("not a number of days: %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("not a duration: %q", s)
	}
	return d, nil
}
