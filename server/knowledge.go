package server

import (
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/formats"
	"github.com/shopdesk/shopdesk/tenant"
)

// Documents stores the merchant's knowledge; *index.Index is one.
type Documents interface {
	Ingest(ctx context.Context, tenant string, docs []index.Document, progress func(done, total int)) (index.IngestResult, error)
	Delete(ctx context.Context, tenant, docID string) (bool, error)
	Document(ctx context.Context, tenant, docID string) (index.DocInfo, bool, error)
	Documents(ctx context.Context, tenant, kind, after string, limit int) ([]index.DocInfo, error)
}

// Searcher searches the merchant's knowledge; *index.Index is one.
type Searcher interface {
	Search(ctx context.Context, tenant, query string, opts index.SearchOptions) (index.SearchResult, error)
}

func tenantOf(c *gin.Context) string {
	t, _ := tenant.From(c.Request.Context())
	return t
}

func (s *Server) knowledgeEnabled() error {
	if s.opts.Documents == nil || s.opts.Search == nil {
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "knowledge_unavailable",
			Message: "The knowledge base is not available on this server."}
	}
	return nil
}

// documentInput is a document as the API takes it.
type documentInput struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Text  string   `json:"text"`
	URL   string   `json:"url"`
	Kind  string   `json:"kind"`
	Lang  string   `json:"lang"`
	Tags  []string `json:"tags"`
}

type documentsInput struct {
	documentInput
	Documents []documentInput `json:"documents"`
}

// ingestResponse reports an ingest: the index's counts and the parts of
// uploaded files that could not be read.
type ingestResponse struct {
	index.IngestResult
	Problems []formats.Problem `json:"problems,omitempty"`
}

// createDocuments serves POST /api/documents: a JSON document, a JSON
// {"documents": [...]}, or a multipart upload of files in any supported
// format ("file" fields, with optional "kind", "format" and mapping
// fields). It answers 200 with what went in and what did not.
func (s *Server) createDocuments(c *gin.Context) error {
	if err := s.knowledgeEnabled(); err != nil {
		return err
	}
	var docs []index.Document
	var problems []formats.Problem
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		var err error
		if docs, problems, err = s.readUploads(c); err != nil {
			return err
		}
	} else {
		var in documentsInput
		if err := s.readJSON(c, &in); err != nil {
			return err
		}
		list, source := in.Documents, func(i int) string { return fmt.Sprintf("documents[%d]", i) }
		if list == nil {
			list, source = []documentInput{in.documentInput}, func(int) string { return "request body" }
		}
		if len(list) == 0 {
			return invalid("documents", "documents must contain at least one document")
		}
		for i, d := range list {
			docs = append(docs, index.Document{ID: d.ID, Title: d.Title, Text: d.Text, URL: d.URL, Kind: d.Kind, Lang: d.Lang,
				Tags: d.Tags, Whole: d.Kind == index.KindFAQ || d.Kind == index.KindProduct, Source: source(i)})
		}
	}
	res, err := s.opts.Documents.Ingest(c.Request.Context(), tenantOf(c), docs, nil)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, ingestResponse{IngestResult: res, Problems: problems})
	return nil
}

// readUploads reads the files of a multipart upload.
func (s *Server) readUploads(c *gin.Context) ([]index.Document, []formats.Problem, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.opts.MaxUploadBytes)
	if err := c.Request.ParseMultipartForm(32 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, nil, err
		}
		return nil, nil, invalid("file", "the upload is not a valid multipart form: %v", err)
	}
	form := c.Request.MultipartForm
	defer form.RemoveAll()
	value := func(key string) string {
		if v := form.Value[key]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	opts := formats.Options{Kind: value("kind"), Format: value("format"), Mapping: formats.Mapping{
		Records: value("records"), ID: value("id_field"), Title: value("title_field"), URL: value("url_field"),
		Tags: value("tags_field"), GroupBy: value("group_by"),
	}}
	if t := value("text_fields"); t != "" {
		opts.Mapping.Text = strings.Split(t, ",")
	}
	files := form.File["file"]
	if len(files) == 0 {
		return nil, nil, invalid("file", `attach the documents as "file" fields`)
	}
	var docs []index.Document
	var problems []formats.Problem
	for _, fh := range files {
		name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
		if name == "." || name == "/" || name == "" {
			name = "upload"
		}
		o := opts
		o.Name = name
		if o.Format == "" && formats.FormatOf(name) == "" {
			problems = append(problems, formats.Problem{Where: name, Err: "unknown file type; use .jsonl .json .csv .tsv .md .html .txt .pdf, or send a format field"})
			continue
		}
		res, err := readUpload(fh, o)
		if err != nil {
			problems = append(problems, formats.Problem{Where: name, Err: strings.TrimPrefix(err.Error(), name+": ")})
			continue
		}
		docs = append(docs, res.Docs...)
		problems = append(problems, res.Problems...)
	}
	return docs, problems, nil
}

func readUpload(fh *multipart.FileHeader, opts formats.Options) (formats.Result, error) {
	f, err := fh.Open()
	if err != nil {
		return formats.Result{}, err
	}
	defer f.Close()
	return formats.Read(f, opts)
}

// listDocuments serves GET /api/documents?kind=&after=&limit=.
func (s *Server) listDocuments(c *gin.Context) error {
	if err := s.knowledgeEnabled(); err != nil {
		return err
	}
	limit := 100
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return invalid("limit", "limit must be between 1 and 1000")
		}
		limit = n
	}
	docs, err := s.opts.Documents.Documents(c.Request.Context(), tenantOf(c), c.Query("kind"), c.Query("after"), limit)
	if err != nil {
		return err
	}
	out := gin.H{"documents": docs}
	if docs == nil {
		out["documents"] = []index.DocInfo{}
	}
	if len(docs) == limit {
		out["next"] = docs[len(docs)-1].ID
	}
	c.JSON(http.StatusOK, out)
	return nil
}

func documentID(c *gin.Context) (string, error) {
	id := strings.TrimPrefix(c.Param("id"), "/")
	if id == "" {
		return "", invalid("id", "name the document: /api/documents/{id}")
	}
	return id, nil
}

func documentNotFound(id string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "document_not_found",
		Message: fmt.Sprintf("No document %q.", id)}
}

// getDocument serves GET /api/documents/{id}.
func (s *Server) getDocument(c *gin.Context) error {
	if err := s.knowledgeEnabled(); err != nil {
		return err
	}
	id, err := documentID(c)
	if err != nil {
		return err
	}
	d, ok, err := s.opts.Documents.Document(c.Request.Context(), tenantOf(c), id)
	if err != nil {
		return err
	}
	if doc, isPhrasings := strings.CutSuffix(id, "/phrasings"); !ok && isPhrasings {
		return s.documentPhrasings(c, doc)
	}
	if !ok {
		return documentNotFound(id)
	}
	c.JSON(http.StatusOK, d)
	return nil
}

// deleteDocument serves DELETE /api/documents/{id}.
func (s *Server) deleteDocument(c *gin.Context) error {
	if err := s.knowledgeEnabled(); err != nil {
		return err
	}
	id, err := documentID(c)
	if err != nil {
		return err
	}
	ok, err := s.opts.Documents.Delete(c.Request.Context(), tenantOf(c), id)
	if err != nil {
		return err
	}
	if !ok {
		return documentNotFound(id)
	}
	c.Status(http.StatusNoContent)
	return nil
}

type searchRequest struct {
	Query     string `json:"query"`
	Mode      string `json:"mode"`
	K         int    `json:"k"`
	MaxPerDoc int    `json:"max_per_doc"`
}

type searchHit struct {
	ID       string             `json:"id"`
	DocID    string             `json:"doc_id"`
	Title    string             `json:"title"`
	Heading  string             `json:"heading,omitempty"`
	URL      string             `json:"url,omitempty"`
	Kind     string             `json:"kind"`
	Lang     string             `json:"lang"`
	Position int                `json:"position"`
	Text     string             `json:"text"`
	Score    float64            `json:"score"`
	Ranks    map[string]int     `json:"ranks"`
	Scores   map[string]float64 `json:"scores"`
}

// search serves POST /api/search: {"query", "mode"?, "k"?, "max_per_doc"?}.
func (s *Server) search(c *gin.Context) error {
	if err := s.knowledgeEnabled(); err != nil {
		return err
	}
	var req searchRequest
	if err := s.readJSON(c, &req); err != nil {
		return err
	}
	res, hits, err := s.runSearch(c.Request.Context(), tenantOf(c), req)
	if err != nil {
		return err
	}
	out := gin.H{"mode": res.Mode, "hits": hits, "took_ms": float64(res.Took.Microseconds()) / 1000}
	if len(res.Degraded) > 0 {
		out["degraded"] = res.Degraded
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// runSearch checks a search request and runs it for the tenant, returning
// the result and its hits as the API shows them (with each retriever's
// rank).
func (s *Server) runSearch(ctx context.Context, t string, req searchRequest) (index.SearchResult, []searchHit, error) {
	if strings.TrimSpace(req.Query) == "" {
		return index.SearchResult{}, nil, invalid("query", "query is required")
	}
	if req.K < 0 || req.K > 100 {
		return index.SearchResult{}, nil, invalid("k", "k must be between 1 and 100")
	}
	switch req.Mode {
	case "", index.ModeHybrid, index.ModeKeyword, index.ModeVector:
	default:
		return index.SearchResult{}, nil, invalid("mode", "mode %q is not one of hybrid, keyword, vector", req.Mode)
	}
	res, err := s.opts.Search.Search(ctx, t, req.Query, index.SearchOptions{Mode: req.Mode, K: req.K, MaxPerDoc: req.MaxPerDoc})
	if err != nil {
		if errors.Is(err, index.ErrBadQuery) {
			return index.SearchResult{}, nil, invalid("mode", "%s", strings.TrimPrefix(err.Error(), index.ErrBadQuery.Error()+": "))
		}
		return index.SearchResult{}, nil, err
	}
	hits := make([]searchHit, 0, len(res.Hits))
	for _, h := range res.Hits {
		hits = append(hits, searchHit{ID: h.Key(), DocID: h.DocID, Title: h.Title, Heading: h.Heading, URL: h.URL, Kind: h.Kind,
			Lang: h.Lang, Position: h.Position, Text: h.Text, Score: h.Score, Ranks: h.Ranks, Scores: h.Scores})
	}
	return res, hits, nil
}
