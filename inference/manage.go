package inference

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ollama/ollama/api"
	"github.com/ollama/ollama/fs/ggml"
)

// NormalizeTag spells a model tag the way Ollama lists it: "bge-m3" is
// "bge-m3:latest".
func NormalizeTag(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	name := tag
	if i := strings.LastIndex(tag, "/"); i >= 0 {
		name = tag[i+1:]
	}
	if !strings.Contains(name, ":") {
		tag += ":latest"
	}
	return tag
}

// Installed reports whether tag is among models, as listed by Host.Models.
func Installed(models []string, tag string) bool {
	return slices.Contains(models, NormalizeTag(tag))
}

// Version returns the host's Ollama version.
func (h *Host) Version(ctx context.Context) (string, error) {
	v, err := h.api.Version(ctx)
	if err != nil {
		return "", classify(ctx, h.URL, "", err)
	}
	return v, nil
}

// Digest returns the content digest of the model tag names on the first
// host that has it, or "" if none does: two models under one tag differ
// in digest.
func (c *Client) Digest(ctx context.Context, tag string) (string, error) {
	want := NormalizeTag(tag)
	var lastErr error
	for _, h := range c.hosts {
		resp, err := h.api.List(ctx)
		if err != nil {
			lastErr = classify(ctx, h.URL, "", err)
			continue
		}
		for _, m := range resp.Models {
			if NormalizeTag(m.Name) == want {
				return m.Digest, nil
			}
		}
	}
	return "", lastErr
}

// Models returns the tags of the models the host has, normalized.
func (h *Host) Models(ctx context.Context) ([]string, error) {
	resp, err := h.api.List(ctx)
	if err != nil {
		return nil, classify(ctx, h.URL, "", err)
	}
	tags := make([]string, 0, len(resp.Models))
	for _, m := range resp.Models {
		tags = append(tags, NormalizeTag(m.Name))
	}
	return tags, nil
}

// ModelInfo is what Ollama says about one model.
type ModelInfo struct {
	Family          string
	ParameterSize   string
	Quantization    string
	Capabilities    []string // "completion", "tools", "embedding", "vision", ...
	ContextLength   int
	EmbeddingLength int
}

// Show describes one model; ErrModelNotFound if the host lacks it.
func (h *Host) Show(ctx context.Context, tag string) (ModelInfo, error) {
	resp, err := h.api.Show(ctx, &api.ShowRequest{Model: tag})
	if err != nil {
		return ModelInfo{}, classify(ctx, h.URL, tag, err)
	}
	info := ModelInfo{
		Family:        resp.Details.Family,
		ParameterSize: resp.Details.ParameterSize,
		Quantization:  resp.Details.QuantizationLevel,
	}
	for _, c := range resp.Capabilities {
		info.Capabilities = append(info.Capabilities, string(c))
	}
	for k, v := range resp.ModelInfo {
		n, ok := v.(float64)
		if !ok {
			continue
		}
		switch {
		case strings.HasSuffix(k, ".context_length"):
			info.ContextLength = int(n)
		case strings.HasSuffix(k, ".embedding_length"):
			info.EmbeddingLength = int(n)
		}
	}
	return info, nil
}

// Progress reports a pull or an import step.
type Progress struct {
	Status    string
	Completed int64
	Total     int64
}

// Pull downloads tag from the Ollama registry onto the host, reporting
// progress to fn (which may be nil).
func (h *Host) Pull(ctx context.Context, tag string, fn func(Progress)) error {
	err := h.api.Pull(ctx, &api.PullRequest{Model: tag}, func(p api.ProgressResponse) error {
		if fn != nil {
			fn(Progress{Status: p.Status, Completed: p.Completed, Total: p.Total})
		}
		return nil
	})
	if err != nil {
		return classify(ctx, h.URL, tag, err)
	}
	return nil
}

// ImportOptions customize a model created from a GGUF file.
type ImportOptions struct {
	// Template is an Ollama prompt template; empty keeps the one in the file.
	Template string
	// System is a default system prompt.
	System string
	// Parameters are default options, as in a Modelfile's PARAMETER lines.
	Parameters map[string]any
	// Adapter is a LoRA adapter GGUF file applied over the model, as a
	// Modelfile's ADAPTER line; it must have been trained for that base.
	Adapter string
}

// ImportGGUF creates model name on the host from a local GGUF file, as
// `ollama create` does with a one-line Modelfile (FROM, and ADAPTER with
// opts.Adapter): each file is uploaded as a blob (upload reports bytes
// sent and may be nil), then the model is made. Ollama checks the
// adapter when it creates the model; one it cannot read is ErrBadRequest.
func (h *Host) ImportGGUF(ctx context.Context, name, path string, opts ImportOptions, upload func(sent, total int64)) error {
	// Both files are checked before either is sent, so a wrong adapter
	// leaves nothing behind on the host.
	arch, err := inspectGGUF(name, path, false)
	if err != nil {
		return err
	}
	if opts.Adapter != "" {
		adArch, err := inspectGGUF(name, opts.Adapter, true)
		if err != nil {
			return err
		}
		if adArch != arch {
			return fmt.Errorf("import %s: the adapter %s is for %s models, the base %s is a %s model", name, opts.Adapter, adArch, path, arch)
		}
	}
	digest, err := h.uploadBlob(ctx, name, path, upload)
	if err != nil {
		return err
	}
	stream := false
	req := &api.CreateRequest{
		Model:      name,
		Files:      map[string]string{filepath.Base(path): digest},
		Template:   opts.Template,
		System:     opts.System,
		Parameters: opts.Parameters,
		Stream:     &stream,
	}
	if opts.Adapter != "" {
		ad, err := h.uploadBlob(ctx, name, opts.Adapter, upload)
		if err != nil {
			return err
		}
		req.Adapters = map[string]string{filepath.Base(opts.Adapter): ad}
	}
	if err := h.api.Create(ctx, req, func(api.ProgressResponse) error { return nil }); err != nil {
		return classify(ctx, h.URL, name, err)
	}
	return nil
}

// inspectGGUF checks that path is a GGUF model (or, with adapter, a LoRA
// adapter) and returns the model architecture it is for. Ollama itself
// would take a whole model given as an adapter, and quietly serve that
// model instead.
func inspectGGUF(name, path string, adapter bool) (arch string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("import %s: %w", name, err)
	}
	defer f.Close()
	if err := checkGGUF(f); err != nil {
		return "", fmt.Errorf("import %s from %s: %w", name, path, err)
	}
	g, err := ggml.Decode(f, 0)
	if err != nil {
		return "", fmt.Errorf("import %s from %s: not a readable GGUF file: %w", name, path, err)
	}
	switch kind := g.KV().Kind(); {
	case adapter && kind != "adapter":
		return "", fmt.Errorf("import %s: %s is not a LoRA adapter (its general.type is %q): give the model as the base and its adapter with --adapter", name, path, kind)
	case !adapter && kind == "adapter":
		return "", fmt.Errorf("import %s: %s is a LoRA adapter, not a model: give it with --adapter over the model it was trained for", name, path)
	}
	return g.KV().Architecture(), nil
}

// uploadBlob sends the file at path to the host as a blob and returns its
// digest.
func (h *Host) uploadBlob(ctx context.Context, name, path string, upload func(sent, total int64)) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("import %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("import %s: %w", name, err)
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", fmt.Errorf("import %s: hash %s: %w", name, path, err)
	}
	digest := "sha256:" + hex.EncodeToString(sum.Sum(nil))
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("import %s: %w", name, err)
	}
	var body io.Reader = f
	if upload != nil {
		body = &countingReader{r: f, total: st.Size(), report: upload}
	}
	if err := h.api.CreateBlob(ctx, digest, body); err != nil {
		return "", classify(ctx, h.URL, name, err)
	}
	return digest, nil
}

// checkGGUF reads the magic number so a wrong file fails here with a clear
// message rather than deep inside Ollama.
func checkGGUF(f *os.File) error {
	magic := make([]byte, 4)
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != "GGUF" {
		return errors.New("not a GGUF file (it does not start with the GGUF magic number)")
	}
	_, err := f.Seek(0, io.SeekStart)
	return err
}

type countingReader struct {
	r      io.Reader
	sent   int64
	total  int64
	report func(sent, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.sent += int64(n)
	c.report(c.sent, c.total)
	return n, err
}

// CheckModels reports whether the pool can serve every tag: at least one
// host answers, and each tag is present on some host that answers. The
// error is an *Error: ErrUnavailable or ErrModelNotFound naming what is
// missing.
func (c *Client) CheckModels(ctx context.Context, tags []string) error {
	have := map[string]bool{}
	var reached int
	var lastErr error
	for _, h := range c.hosts {
		models, err := h.Models(ctx)
		if err != nil {
			lastErr = err
			continue
		}
		reached++
		for _, m := range models {
			have[m] = true
		}
	}
	if reached == 0 {
		return &Error{Kind: ErrUnavailable, Err: lastErr}
	}
	var missing []string
	for _, t := range tags {
		if !have[NormalizeTag(t)] && !slices.Contains(missing, t) { // have merges every host's list
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return &Error{Kind: ErrModelNotFound, Model: strings.Join(missing, ", ")}
	}
	return nil
}
