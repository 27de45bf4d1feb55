package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Backups writes backups of the data directory for POST
// /api/admin/backup; cmd/shopdesk wires one.
type Backups interface {
	// Backup writes a backup called name into the data directory's
	// backups folder, and returns what to answer (its manifest). An error
	// wrapping fs.ErrExist means the name is taken.
	Backup(ctx context.Context, name string) (any, error)
}

// authenticateAdmin admits admin keys only. A tenant's API key is
// refused (403), however privileged its tenant. On a server with no keys
// of either kind (loopback only, like the rest of the API there) the
// admin routes are open.
func (s *Server) authenticateAdmin(c *gin.Context) {
	if len(s.admin) == 0 {
		if len(s.keys) == 0 {
			c.Next()
			return
		}
		s.writeError(c, &apiError{Status: http.StatusForbidden, Type: "invalid_request_error", Code: "admin_disabled",
			Message: "This server has no admin keys (SHOPDESK_ADMIN_KEYS), and tenant API keys cannot use /api/admin."})
		return
	}
	header := c.GetHeader("Authorization")
	if header == "" {
		s.writeError(c, &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error", Code: "missing_api_key",
			Message: "Missing admin key: send it as an Authorization: Bearer <key> header."})
		return
	}
	scheme, key, _ := strings.Cut(header, " ")
	sum := sha256.Sum256([]byte(strings.TrimSpace(key)))
	switch _, tenantKey := s.keys[sum]; {
	case strings.EqualFold(scheme, "Bearer") && s.admin[sum]:
		c.Next()
	case tenantKey:
		s.writeError(c, &apiError{Status: http.StatusForbidden, Type: "invalid_request_error", Code: "not_an_admin_key",
			Message: "This is a tenant's API key; /api/admin needs an admin key."})
	default:
		s.writeError(c, &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error", Code: "invalid_api_key",
			Message: "Incorrect admin key provided."})
	}
}

// backupName is what a backup may be called: it names a directory under
// the data directory's backups folder, never a path of the client's.
var backupName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

type backupRequest struct {
	// Name names the backup; default: the time, 20261121-030000.
	Name string `json:"name"`
}

// createBackup writes a backup of the stores while the server serves.
func (s *Server) createBackup(c *gin.Context) error {
	if s.opts.Backups == nil {
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "backups_unavailable",
			Message: "Backups are not available on this server."}
	}
	var req backupRequest
	if c.Request.ContentLength != 0 {
		if err := s.readJSON(c, &req); err != nil {
			return err
		}
	}
	if req.Name == "" {
		req.Name = time.Now().UTC().Format("20060102-150405")
	}
	if !backupName.MatchString(req.Name) || strings.Contains(req.Name, "..") {
		return invalid("name", "name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit; it names a directory under the data directory's backups folder.")
	}
	out, err := s.opts.Backups.Backup(c.Request.Context(), req.Name)
	if errors.Is(err, fs.ErrExist) {
		return &apiError{Status: http.StatusConflict, Type: "invalid_request_error", Code: "backup_exists", Param: "name",
			Message: "A backup called " + req.Name + " exists already; choose another name.", Err: err}
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, out)
	return nil
}
