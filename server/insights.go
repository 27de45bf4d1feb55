package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/insights"
)

// Insights computes KPIs and content gaps; *insights.Insights is one.
type Insights interface {
	KPIs(ctx context.Context, tenant string, from, to time.Time) (insights.Report, error)
	Gaps(ctx context.Context, tenant string, since time.Time, limit int) ([]insights.Gap, error)
}

func (s *Server) insights() (Insights, error) {
	if s.opts.Insights == nil {
		return nil, &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "assistant_unavailable",
			Message: "The support assistant is not available on this server."}
	}
	return s.opts.Insights, nil
}

// dayParam reads a YYYY-MM-DD or RFC 3339 time from the query.
func dayParam(c *gin.Context, name string, def time.Time) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, invalid(name, "%s must be a date (2026-11-30) or an RFC 3339 time", name)
}

// kpis serves GET /api/insights/kpis?from=&to= (dates, UTC; default the
// last 30 days, to exclusive), as JSON, or CSV per day with Accept:
// text/csv.
func (s *Server) kpis(c *gin.Context) error {
	rep, err := s.kpiReport(c)
	if err != nil {
		return err
	}
	if strings.Contains(c.GetHeader("Accept"), "text/csv") {
		return writeKPIsCSV(c, rep)
	}
	c.JSON(http.StatusOK, rep)
	return nil
}

// kpiReport is the tenant's KPIs over the query's from and to (dates,
// UTC; default the last 30 days, to exclusive).
func (s *Server) kpiReport(c *gin.Context) (insights.Report, error) {
	in, err := s.insights()
	if err != nil {
		return insights.Report{}, err
	}
	today := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	to, err := dayParam(c, "to", today)
	if err != nil {
		return insights.Report{}, err
	}
	from, err := dayParam(c, "from", to.AddDate(0, 0, -30))
	if err != nil {
		return insights.Report{}, err
	}
	if !from.Before(to) {
		return insights.Report{}, invalid("from", "from must be before to")
	}
	if to.Sub(from) > insights.MaxRange {
		return insights.Report{}, invalid("from", "a report covers at most %d days", int(insights.MaxRange.Hours()/24))
	}
	return in.KPIs(c.Request.Context(), tenantOf(c), from, to)
}

func writeKPIsCSV(c *gin.Context, rep insights.Report) error {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="shopdesk-kpis.csv"`)
	w := csv.NewWriter(c.Writer)
	reasons := map[string]bool{}
	for _, d := range rep.Days {
		for r := range d.HandoffsByReason {
			reasons[r] = true
		}
	}
	var rs []string
	for r := range reasons {
		rs = append(rs, r)
	}
	sort.Strings(rs)
	head := []string{"day", "conversations", "automated_resolution_rate", "handoff_rate", "dont_know_rate", "fallback_rate",
		"answers", "thumbs_up", "thumbs_down", "csat", "csat_responses", "first_answer_p50_ms", "first_answer_p95_ms"}
	for _, r := range rs {
		head = append(head, "handoffs_"+r)
	}
	w.Write(head)
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	for _, d := range rep.Days {
		row := []string{d.Day, strconv.Itoa(d.Conversations), f(d.AutomatedResolutionRate), f(d.HandoffRate), f(d.DontKnowRate), f(d.FallbackRate),
			strconv.Itoa(d.Answers), strconv.Itoa(d.ThumbsUp), strconv.Itoa(d.ThumbsDown), f(d.CSAT), strconv.Itoa(d.CSATResponses),
			strconv.Itoa(d.FirstAnswerP50MS), strconv.Itoa(d.FirstAnswerP95MS)}
		for _, r := range rs {
			row = append(row, strconv.Itoa(d.HandoffsByReason[r]))
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("%w: %w", errClientGone, err)
	}
	return nil
}

// gaps serves GET /api/insights/gaps?since=&limit=: the questions the
// knowledge base does not settle, grouped (default: the last 30 days).
func (s *Server) gaps(c *gin.Context) error {
	in, err := s.insights()
	if err != nil {
		return err
	}
	since, err := dayParam(c, "since", time.Now().UTC().AddDate(0, 0, -30))
	if err != nil {
		return err
	}
	limit, err := strconv.Atoi(c.DefaultQuery("limit", "50"))
	if err != nil || limit < 1 || limit > 500 {
		return invalid("limit", "limit must be a whole number from 1 to 500")
	}
	gaps, err := in.Gaps(c.Request.Context(), tenantOf(c), since, limit)
	if err != nil {
		return err
	}
	if gaps == nil {
		gaps = []insights.Gap{}
	}
	c.JSON(http.StatusOK, gin.H{"since": since, "gaps": gaps})
	return nil
}
