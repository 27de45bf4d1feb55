package server

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
)

// maxEmbeddingInputs matches OpenAI's limit on inputs per request.
const maxEmbeddingInputs = 2048

// embeddings serves POST /v1/embeddings.
func (s *Server) embeddings(c *gin.Context) error {
	var req embeddingRequest
	if err := s.readJSON(c, &req); err != nil {
		return err
	}
	entry, err := s.lookup(c, req.Model, models.KindEmbedding)
	if err != nil {
		return err
	}
	inputs, aerr := decodeEmbeddingInput(req.Input)
	if aerr != nil {
		return aerr
	}
	asBase64 := false
	switch req.EncodingFormat {
	case "", "float":
	case "base64":
		asBase64 = true
	default:
		return invalid("encoding_format", "encoding_format %q is not one of float, base64", req.EncodingFormat)
	}
	dims := 0
	if req.Dimensions != nil {
		if *req.Dimensions < 1 {
			return invalid("dimensions", "dimensions must be at least 1")
		}
		dims = *req.Dimensions
	}

	ctx, cancel := s.requestContext(c)
	defer cancel()
	resp, err := s.opts.Embed.Embed(ctx, inference.EmbedRequest{
		Model:      entry.Tag,
		Input:      inputs,
		Dimensions: dims,
		Options:    entry.RequestOptions(),
		KeepAlive:  entry.KeepAlive,
	})
	if err != nil {
		return modelError(err, entry)
	}
	if len(resp.Embeddings) != len(inputs) {
		return &inference.Error{Kind: inference.ErrUpstream, Model: entry.Tag,
			Err: fmt.Errorf("%d vectors for %d inputs", len(resp.Embeddings), len(inputs))}
	}
	if dims > 0 && len(resp.Embeddings) > 0 && len(resp.Embeddings[0]) < dims {
		n := len(resp.Embeddings[0])
		return invalid("dimensions", "%s makes %d-dimensional vectors; dimensions must be at most %d", entry.ID, n, n)
	}
	out := embeddingList{Object: "list", Model: entry.ID, Data: make([]embeddingData, len(resp.Embeddings)),
		Usage: embeddingUsage{PromptTokens: resp.PromptTokens, TotalTokens: resp.PromptTokens}}
	for i, vec := range resp.Embeddings {
		var v any = vec
		if asBase64 {
			v = encodeFloats(vec)
		}
		out.Data[i] = embeddingData{Object: "embedding", Index: i, Embedding: v}
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// decodeEmbeddingInput accepts a string or an array of strings.
func decodeEmbeddingInput(raw json.RawMessage) ([]string, *apiError) {
	if isNull(raw) {
		return nil, invalid("input", "input is required: a string or an array of strings")
	}
	many, ok := stringOrList(raw)
	if !ok {
		if t := bytes.TrimSpace(raw); len(t) > 1 && t[0] == '[' && (t[1] == '[' || (t[1] >= '0' && t[1] <= '9')) {
			return nil, unsupported("input", "token arrays are not supported; send the text itself")
		}
		return nil, invalid("input", "input must be a string or an array of strings")
	}
	if len(many) == 1 && many[0] == "" && bytes.TrimSpace(raw)[0] == '"' {
		return nil, invalid("input", "input must not be empty")
	}
	if len(many) == 0 {
		return nil, invalid("input", "input must not be an empty array")
	}
	if len(many) > maxEmbeddingInputs {
		return nil, invalid("input", "at most %d inputs are allowed per request", maxEmbeddingInputs)
	}
	for i, s := range many {
		if s == "" {
			return nil, invalid(fmt.Sprintf("input[%d]", i), "inputs must not be empty strings")
		}
	}
	return many, nil
}

// encodeFloats packs a vector as little-endian float32s in base64, as
// OpenAI does for encoding_format "base64".
func encodeFloats(vec []float32) string {
	buf := make([]byte, 4*len(vec))
	for i, f := range vec {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(buf)
}
