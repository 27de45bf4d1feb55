package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/doctor"
	"github.com/shopdesk/shopdesk/models"
)

// Doctor examines the installation; *doctor.Doctor is one.
type Doctor interface {
	Examine(ctx context.Context) doctor.Report
}

// modelsData is the models page.
type modelsData struct {
	Entries []models.Entry
	Source  string
	Report  doctor.Report
	// Examined: a doctor ran (the server has one).
	Examined bool
}

// modelsPage serves GET /console/models: the catalog, what each Ollama
// host has installed, and the doctor's findings (`shopdesk doctor`'s).
func (s *Server) modelsPage(c *gin.Context) error {
	cat := s.opts.Models.Catalog()
	d := modelsData{Entries: cat.Entries(), Source: cat.Source}
	if s.opts.Doctor != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 15*time.Second)
		defer cancel()
		d.Report, d.Examined = s.opts.Doctor.Examine(ctx), true
	}
	v := s.view(c, "models", "models")
	v.Subtitle, v.Data = cat.Source, d
	s.render(c, http.StatusOK, v)
	return nil
}
