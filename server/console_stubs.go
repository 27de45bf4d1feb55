package server

import "github.com/gin-gonic/gin"

func (s *Server) knowledgePage(c *gin.Context) error   { return s.knowledgeEnabled() }
func (s *Server) knowledgeUpload(c *gin.Context) error { return s.knowledgeEnabled() }
func (s *Server) knowledgeDelete(c *gin.Context) error { return s.knowledgeEnabled() }
func (s *Server) learningPage(c *gin.Context) error    { return s.knowledgeEnabled() }
func (s *Server) learningDecide(c *gin.Context) error  { return s.knowledgeEnabled() }
func (s *Server) insightsPage(c *gin.Context) error    { return s.knowledgeEnabled() }
func (s *Server) modelsPage(c *gin.Context) error      { return s.knowledgeEnabled() }

// Doctor examines the installation.
type Doctor interface{}
