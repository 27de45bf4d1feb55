package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/index"
)

// knowledgeKinds are the kinds the document filter offers.
var knowledgeKinds = []string{index.KindFAQ, index.KindPolicy, index.KindProduct, index.KindPage, index.KindTranscript}

// rankCell is one retriever's rank of a hit.
type rankCell struct {
	Retriever string
	Rank      int
}

// previewHit is a search hit with its ranks in a stable order.
type previewHit struct {
	searchHit
	RankList []rankCell
}

// knowledgeData is the knowledge page.
type knowledgeData struct {
	Kinds       []string
	Modes       []string
	Kind, After string
	Next        string
	Documents   []index.DocInfo
	Query, Mode string
	Searched    bool
	Hits        []previewHit
	Degraded    []string
	TookMS      float64
}

const knowledgePageSize = 50

// knowledgePage serves GET /console/knowledge?kind=&after=&q=&mode=: the
// tenant's documents, and a search preview showing where each retriever
// ranked each hit.
func (s *Server) knowledgePage(c *gin.Context) error {
	if err := s.knowledgeEnabled(); err != nil {
		return err
	}
	ctx, t := c.Request.Context(), tenantOf(c)
	d := knowledgeData{Kinds: knowledgeKinds, Modes: []string{"", index.ModeKeyword, index.ModeVector}, Kind: c.Query("kind"), After: c.Query("after"), Query: strings.TrimSpace(c.Query("q")), Mode: c.Query("mode")}
	if d.Kind != "" && !slices.Contains(knowledgeKinds, d.Kind) {
		return invalid("kind", "kind must be one of %s", strings.Join(knowledgeKinds, ", "))
	}
	docs, err := s.opts.Documents.Documents(ctx, t, d.Kind, d.After, knowledgePageSize)
	if err != nil {
		return err
	}
	d.Documents = docs
	if len(docs) == knowledgePageSize {
		d.Next = docs[len(docs)-1].ID
	}
	if d.Query != "" {
		res, hits, err := s.runSearch(ctx, t, searchRequest{Query: d.Query, Mode: d.Mode, K: 10})
		if err != nil {
			return err
		}
		d.Searched, d.Degraded, d.TookMS = true, res.Degraded, float64(res.Took.Microseconds())/1000
		for _, h := range hits {
			p := previewHit{searchHit: h}
			for r, n := range h.Ranks {
				p.RankList = append(p.RankList, rankCell{r, n})
			}
			sort.Slice(p.RankList, func(i, j int) bool { return p.RankList[i].Retriever < p.RankList[j].Retriever })
			d.Hits = append(d.Hits, p)
		}
	}
	v := s.view(c, "knowledge", "knowledge")
	v.Data = d
	if n, ok := c.GetQuery("deleted"); ok {
		v.Notice = v.T("deleted")
		if deletedNoticeID(n) {
			v.Notice += ": " + n
		}
	}
	s.render(c, http.StatusOK, v)
	return nil
}

// knowledgeUpload serves POST /console/knowledge/upload: the files of a
// multipart form (the page sends it with the CSRF header, showing the
// upload's progress), read as POST /api/documents reads them. It answers
// with a line saying what went in.
func (s *Server) knowledgeUpload(c *gin.Context) error {
	if err := s.knowledgeEnabled(); err != nil {
		return err
	}
	docs, problems, err := s.readUploads(c)
	if err != nil {
		return err
	}
	res, err := s.opts.Documents.Ingest(c.Request.Context(), tenantOf(c), docs, nil)
	if err != nil {
		return err
	}
	lang := consoleLang(c)
	v := &consoleView{Lang: lang}
	msg := fmt.Sprintf("%s: %d %s, %d %s, %d %s.", v.T("uploaded"), res.Added, v.T("added"), res.Replaced, v.T("updated_docs"), res.Unchanged, v.T("unchanged"))
	for _, p := range problems {
		msg += fmt.Sprintf("\n%s: %s", p.Where, p.Err)
	}
	for _, f := range res.Failed {
		msg += fmt.Sprintf("\n%s%s: %s", f.ID, f.Source, f.Err)
	}
	c.String(http.StatusOK, "%s", msg)
	return nil
}

// deletedNoticeID reports whether the ?deleted= of the knowledge page may
// be shown in its status line: a document ID (at most 256 bytes) of
// printable characters without spaces. Anything else, such as a sentence
// in a link someone made, is dropped and the line just says "Deleted".
func deletedNoticeID(id string) bool {
	if id == "" || len(id) > 256 || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// knowledgeDelete serves POST /console/knowledge/delete (id=).
func (s *Server) knowledgeDelete(c *gin.Context) error {
	if err := s.knowledgeEnabled(); err != nil {
		return err
	}
	id := strings.TrimSpace(c.PostForm("id"))
	if id == "" || len(id) > 512 {
		return invalid("id", "name the document to delete")
	}
	ok, err := s.opts.Documents.Delete(c.Request.Context(), tenantOf(c), id)
	if err != nil {
		return err
	}
	if !ok {
		return documentNotFound(id)
	}
	c.Redirect(http.StatusSeeOther, consolePath+"/knowledge?deleted="+url.QueryEscape(id))
	return nil
}
