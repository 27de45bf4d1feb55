package inference

import (
	"context"
	"fmt"
	"time"

	"github.com/ollama/ollama/api"
)

// EmbedRequest asks for one vector per input text.
type EmbedRequest struct {
	// Model is the Ollama tag.
	Model string
	Input []string
	// Dimensions, if positive, asks Ollama to truncate and renormalize each
	// vector to that many dimensions (it leaves shorter vectors alone).
	Dimensions int
	Options    map[string]any
	KeepAlive  *time.Duration
}

// EmbedResponse holds one vector per input, in input order.
type EmbedResponse struct {
	Embeddings   [][]float32
	PromptTokens int
}

// Embed embeds req.Input in batches of Options.EmbedBatch. Each batch may go
// to a different host; a batch that fails is retried on another host.
func (c *Client) Embed(ctx context.Context, req EmbedRequest) (EmbedResponse, error) {
	out := EmbedResponse{Embeddings: make([][]float32, 0, len(req.Input))}
	var keep *api.Duration
	if req.KeepAlive != nil {
		keep = &api.Duration{Duration: *req.KeepAlive}
	}
	for start := 0; start < len(req.Input); start += c.opts.EmbedBatch {
		part := req.Input[start:min(start+c.opts.EmbedBatch, len(req.Input))]
		var resp *api.EmbedResponse
		err := c.call(ctx, (*Host).embLimiter, req.Model, func(h *Host, _ *bool) error {
			r, err := h.api.Embed(ctx, &api.EmbedRequest{
				Model:      req.Model,
				Input:      part,
				Dimensions: req.Dimensions,
				Options:    req.Options,
				KeepAlive:  keep,
			})
			resp = r
			return err
		})
		if err != nil {
			return EmbedResponse{}, err
		}
		if len(resp.Embeddings) != len(part) {
			return EmbedResponse{}, &Error{Kind: ErrUpstream, Model: req.Model,
				Err: fmt.Errorf("ollama returned %d embeddings for %d inputs", len(resp.Embeddings), len(part))}
		}
		out.Embeddings = append(out.Embeddings, resp.Embeddings...)
		out.PromptTokens += resp.PromptEvalCount
	}
	return out, nil
}
