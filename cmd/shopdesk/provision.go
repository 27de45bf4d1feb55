package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
)

// provision makes sure the catalog's models are installed on every host,
// pulling those that are missing. A default model that cannot be pulled is
// replaced by the fallback GGUF, if one is configured; the overrides that
// do so are returned.
func provision(ctx context.Context, cfg *config, infer *inference.Client, ov models.Overrides, out io.Writer, log *slog.Logger) (models.Overrides, error) {
	cat, err := models.Load(cfg.Path, ov)
	if err != nil {
		return ov, err
	}
	failed, err := pullMissing(ctx, infer, cat.Tags(), out, log)
	if err != nil {
		return ov, err
	}
	if len(failed) == 0 {
		return ov, nil
	}
	chat, embed := cat.Default(models.KindChat), cat.Default(models.KindEmbedding)
	needChat, needEmbed := slices.Contains(failed, chat.Tag), slices.Contains(failed, embed.Tag)
	if cfg.FallbackGGUF == "" || (!needChat && !needEmbed) {
		return ov, nil // doctor and /readyz report what is missing
	}
	name := fallbackName(cfg.FallbackGGUF)
	if err := importEverywhere(ctx, infer, name, cfg.FallbackGGUF, inference.ImportOptions{}, out); err != nil {
		return ov, err
	}
	if needChat {
		ov.ChatTag = name
	}
	if needEmbed {
		ov.EmbedTag = name
	}
	log.Warn("using the fallback model for default models that could not be pulled",
		"fallback", name, "file", cfg.FallbackGGUF, "chat", ov.ChatTag, "embedding", ov.EmbedTag)
	fmt.Fprintf(out, "\nUsing %s (from %s) in place of the models that could not be pulled.\n"+
		"It is a tiny demo model: answers will be nonsense. Pull or import a real model, then restart.\n\n", name, cfg.FallbackGGUF)
	return ov, nil
}

// fallbackName derives an Ollama model name from a GGUF file name.
func fallbackName(path string) string {
	base := strings.ToLower(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, base)
}

// pullMissing pulls each tag missing from a host and returns the tags that
// stay missing somewhere, with advice printed for each. A host that does
// not answer is skipped with a warning; if none answers, that is an error.
func pullMissing(ctx context.Context, infer *inference.Client, tags []string, out io.Writer, log *slog.Logger) ([]string, error) {
	var failed []string
	reached := 0
	for _, h := range infer.Hosts() {
		have, err := h.Models(ctx)
		if err != nil {
			log.Warn("skipping an Ollama host that does not answer", "host", h.URL, "err", err)
			continue
		}
		reached++
		for _, tag := range tags {
			if inference.Installed(have, tag) {
				continue
			}
			fmt.Fprintf(out, "pulling %s onto %s\n", tag, h.URL)
			if err := pullWithBar(ctx, h, tag, out); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				fmt.Fprintf(out, "could not pull %s: %v\n  Without network access, import a GGUF file instead:\n    shopdesk models import %s /path/to/model.gguf\n", tag, pullReason(err), tag)
				if !slices.Contains(failed, tag) {
					failed = append(failed, tag)
				}
			}
		}
	}
	if reached == 0 {
		return nil, fmt.Errorf("no Ollama host answers (%d configured)", len(infer.Hosts()))
	}
	return failed, nil
}

// pullReason says why a pull failed without Ollama's internal detail.
func pullReason(err error) string {
	var ie *inference.Error
	if errors.As(err, &ie) && ie.Message != "" {
		return ie.Message
	}
	return err.Error()
}

func pullWithBar(ctx context.Context, h *inference.Host, tag string, out io.Writer) error {
	bar := newBar(out, "  "+tag)
	defer bar.Finish()
	var total int64
	return h.Pull(ctx, tag, func(p inference.Progress) {
		if p.Total > 0 {
			if p.Total != total {
				total = p.Total
				bar.ChangeMax64(total)
			}
			bar.Set64(p.Completed)
		}
		bar.Describe("  " + tag + ": " + p.Status)
	})
}

// importEverywhere creates model name from a GGUF file on every host.
func importEverywhere(ctx context.Context, infer *inference.Client, name, path string, opts inference.ImportOptions, out io.Writer) error {
	for _, h := range infer.Hosts() {
		bar := newBar(out, "  importing "+name)
		err := h.ImportGGUF(ctx, name, path, opts, func(sent, total int64) {
			bar.ChangeMax64(total)
			bar.Set64(sent)
		})
		bar.Finish()
		if err != nil {
			return fmt.Errorf("import %s into %s: %w", path, h.URL, err)
		}
		fmt.Fprintf(out, "created %s on %s\n", name, h.URL)
	}
	return nil
}

// newBar shows transfer progress on a terminal and stays silent when the
// output is a file or a pipe (logs, CI).
func newBar(out io.Writer, desc string) *progressbar.ProgressBar {
	return progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(out),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetVisibility(isTerminal(out)),
	)
}

// isTerminal reports whether w is a terminal, where progress bars belong.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
