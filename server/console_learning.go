package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/faqs"
	"github.com/shopdesk/shopdesk/insights"
	"github.com/shopdesk/shopdesk/learning"
)

// learningData is the learning page: what waits for review, and the
// questions nothing answers.
type learningData struct {
	FAQs      []faqs.Candidate
	Phrasings []learning.Phrasing
	Curated   []curated.Answer
	Gaps      []insights.Gap
}

const learningPageSize = 50

// learningPage serves GET /console/learning.
func (s *Server) learningPage(c *gin.Context) error {
	ctx, t := c.Request.Context(), tenantOf(c)
	var d learningData
	var err error
	if s.opts.FAQs != nil {
		if d.FAQs, err = s.opts.FAQs.List(ctx, t, faqs.Pending, learningPageSize); err != nil {
			return err
		}
	}
	if s.opts.Phrasings != nil {
		if d.Phrasings, err = s.opts.Phrasings.List(ctx, t, learning.StatusCandidate, 0, learningPageSize); err != nil {
			return err
		}
	}
	if s.opts.Curated != nil {
		if d.Curated, err = s.opts.Curated.List(ctx, t, "", learningPageSize); err != nil {
			return err
		}
	}
	if s.opts.Insights != nil {
		if d.Gaps, err = s.opts.Insights.Gaps(ctx, t, time.Now().UTC().AddDate(0, 0, -30), 20); err != nil {
			return err
		}
	}
	v := s.view(c, "learning", "learning")
	v.Data = d
	if done, ok := learningDone[c.Query("done")]; ok {
		v.Notice = v.T("decided") + " " + v.T(done)
	}
	s.render(c, http.StatusOK, v)
	return nil
}

// learningDecide serves POST /console/learning/{faq|phrasing|curated}/{action}
// with the item's id (and its edited words) in the form: approve or
// reject an FAQ candidate or a phrasing, save or delete a curated answer.
// The stores are the ones the API's learning routes use.
func (s *Server) learningDecide(c *gin.Context) error {
	ctx, t := c.Request.Context(), tenantOf(c)
	kind, action, id := c.Param("kind"), c.Param("action"), strings.TrimSpace(c.PostForm("id"))
	question, answer := strings.TrimSpace(c.PostForm("question")), strings.TrimSpace(c.PostForm("answer"))
	number := func() (int64, error) {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n < 1 {
			return 0, invalid("id", "name the item by its number")
		}
		return n, nil
	}
	var err error
	switch kind + "/" + action {
	case "faq/approve", "faq/reject":
		f, ferr := s.faqCandidates()
		n, nerr := number()
		if err = firstErr(ferr, nerr); err != nil {
			return err
		}
		if action == "approve" {
			_, err = f.Approve(ctx, t, n, question, answer)
		} else {
			_, err = f.Reject(ctx, t, n)
		}
		err = faqError(err)
	case "phrasing/approve", "phrasing/reject":
		n, nerr := number()
		if err = firstErr(s.learningEnabled(), nerr); err != nil {
			return err
		}
		if action == "approve" {
			_, err = s.opts.Phrasings.Approve(ctx, t, n, question)
		} else {
			_, err = s.opts.Phrasings.Reject(ctx, t, n)
		}
	case "curated/save":
		if err = s.curatedEnabled(); err != nil {
			return err
		}
		a, ok, gerr := s.opts.Curated.Get(ctx, t, id)
		if gerr != nil || !ok {
			return firstErr(gerr, curatedNotFound(id))
		}
		a.Question, a.Answer = question, answer
		_, err = s.opts.Curated.Update(ctx, t, id, a)
	case "curated/delete":
		if err = s.curatedEnabled(); err != nil {
			return err
		}
		var ok bool
		if ok, err = s.opts.Curated.Delete(ctx, t, id); err == nil && !ok {
			err = curatedNotFound(id)
		}
	default:
		return curatedNotFound(id)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, consolePath+"/learning?done="+learningDone[action])
	return nil
}

// learningDone maps the ?done= of the learning page to the text key of
// its status line; any other value, from a link someone made, shows none.
var learningDone = map[string]string{"approve": "approve", "reject": "reject", "save": "save", "delete": "delete"}

// firstErr is the first error that is not nil.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
