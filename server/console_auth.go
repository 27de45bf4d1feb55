package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/staff"
	"github.com/shopdesk/shopdesk/tenant"
)

// loginForm is what the login page shows again after a failure.
type loginForm struct {
	Tenant, Name, Next string
}

// safeNext is where to go after signing in: a console path, never
// another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, consolePath+"/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") || strings.Contains(next, "..") ||
		strings.HasPrefix(next, consolePath+"/login") {
		return consolePath + "/inbox"
	}
	return next
}

// loginPage serves GET /console/login.
func (s *Server) loginPage(c *gin.Context) error {
	if s.opts.Staff != nil {
		if _, err := s.staffSessionOf(c); err == nil {
			c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
			return nil
		}
	}
	v := s.view(c, "login", "login")
	v.Data = loginForm{Tenant: tenant.Default, Next: safeNext(c.Query("next"))}
	s.render(c, http.StatusOK, v)
	return nil
}

// login serves POST /console/login: the same answer, after the same time,
// for an unknown name, a wrong password and a locked account.
func (s *Server) login(c *gin.Context) error {
	if s.opts.Staff == nil {
		s.consoleFail(c, http.StatusServiceUnavailable, "no_staff")
		return nil
	}
	var tooBig *http.MaxBytesError
	if err := c.Request.ParseForm(); errors.As(err, &tooBig) {
		return err
	}
	form := loginForm{Tenant: strings.TrimSpace(c.PostForm("tenant")), Name: strings.TrimSpace(c.PostForm("name")), Next: safeNext(c.PostForm("next"))}
	if form.Tenant == "" {
		form.Tenant = tenant.Default
	}
	token, _, err := s.opts.Staff.Login(c.Request.Context(), form.Tenant, form.Name, c.PostForm("password"), c.ClientIP())
	if err != nil {
		if !errors.Is(err, staff.ErrBadLogin) {
			return err
		}
		s.log.Info("console login failed", keyRequestID, requestID(c), keyTenant, form.Tenant)
		v := s.view(c, "login", "login")
		v.Error, v.Data = v.T("bad_login"), form
		s.render(c, http.StatusUnauthorized, v)
		return nil
	}
	s.log.Info("console login", keyRequestID, requestID(c), keyTenant, form.Tenant, "staff", form.Name)
	s.setSessionCookie(c, token)
	c.Redirect(http.StatusSeeOther, form.Next)
	return nil
}

// logout serves POST /console/logout: the session ends on the server, so
// its cookie opens nothing any more.
func (s *Server) logout(c *gin.Context) error {
	token, _ := c.Cookie(consoleCookie)
	if err := s.opts.Staff.Logout(c.Request.Context(), token); err != nil {
		return err
	}
	s.setSessionCookie(c, "")
	c.Redirect(http.StatusSeeOther, consolePath+"/login")
	return nil
}

// usersPage serves GET /console/users: the tenant's console accounts.
// They are managed with `shopdesk users`, which the page explains.
func (s *Server) usersPage(c *gin.Context) error {
	users, err := s.opts.Staff.Users(c.Request.Context(), tenantOf(c))
	if err != nil {
		return err
	}
	v := s.view(c, "users", "users")
	v.Data = users
	s.render(c, http.StatusOK, v)
	return nil
}
