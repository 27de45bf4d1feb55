package server

import (
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/insights"
)

// insightsData is the insights page: each KPI as a chart, then a table.
type insightsData struct {
	From, To                    string
	Report                      insights.Report
	PerDay, Automated, DontKnow barChart
	CSAT, Handoffs              barChart
	Reasons                     []reasonCount
}

// reasonCount is one hand-off reason and how often it came.
type reasonCount struct {
	Reason string
	Count  int
}

// insightsPage serves GET /console/insights?from=&to=: the KPIs GET
// /api/insights/kpis reports, drawn.
func (s *Server) insightsPage(c *gin.Context) error {
	rep, err := s.kpiReport(c)
	if err != nil {
		return err
	}
	v := s.view(c, "insights", "insights")
	d := insightsData{From: rep.From.UTC().Format(time.DateOnly), To: rep.To.UTC().Add(-time.Nanosecond).Format(time.DateOnly), Report: rep}
	var days []string
	var count, automated, dontKnow, csat []float64
	for _, k := range rep.Days {
		days = append(days, k.Day[5:])
		count = append(count, float64(k.Conversations))
		automated = append(automated, k.AutomatedResolutionRate)
		dontKnow = append(dontKnow, k.DontKnowRate)
		csat = append(csat, k.CSAT)
	}
	d.PerDay = bars("per-day", days, count, 0, true, formatCount)
	d.Automated = bars("automated", days, automated, 1, false, formatShare)
	d.DontKnow = bars("dont-know", days, dontKnow, 1, false, formatShare)
	d.CSAT = bars("csat", days, csat, 5, false, formatScore)
	for r, n := range rep.Total.HandoffsByReason {
		d.Reasons = append(d.Reasons, reasonCount{r, n})
	}
	sort.Slice(d.Reasons, func(i, j int) bool {
		return d.Reasons[i].Count > d.Reasons[j].Count || d.Reasons[i].Count == d.Reasons[j].Count && d.Reasons[i].Reason < d.Reasons[j].Reason
	})
	var reasons []string
	var reasonCounts []float64
	for _, r := range d.Reasons {
		reasons, reasonCounts = append(reasons, v.ShortReason(r.Reason)), append(reasonCounts, float64(r.Count))
	}
	d.Handoffs = bars("handoffs", reasons, reasonCounts, 0, true, formatCount)
	v.Subtitle, v.Data = d.From+" – "+d.To, d
	s.render(c, http.StatusOK, v)
	return nil
}
