package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
)

func cmdModels(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	sub := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	adapter := new(string)
	if sub == "import" {
		var own []string
		own, args = splitFlags(args, []string{"adapter"}, nil)
		fs := flag.NewFlagSet("models import", flag.ContinueOnError)
		fs.SetOutput(stderr)
		adapter = fs.String("adapter", "", "LoRA adapter GGUF file applied over the base model (Modelfile ADAPTER)")
		if err := fs.Parse(own); err != nil {
			return err
		}
	}
	cfg, rest, err := loadConfig("models "+sub, args, getenv, stderr)
	if err != nil {
		return err
	}
	infer, err := newInference(cfg, cfg.OllamaHosts, nil)
	if err != nil {
		return err
	}
	ov := models.Overrides{ChatTag: cfg.ChatModel, EmbedTag: cfg.EmbedModel}
	switch sub {
	case "list":
		cat, err := models.Load(cfg.Path, ov)
		if err != nil {
			return err
		}
		return listModels(ctx, cat, infer, stdout)
	case "pull":
		cat, err := models.Load(cfg.Path, ov)
		if err != nil {
			return err
		}
		tags := cat.Tags()
		if len(rest) > 0 {
			tags = nil
			for _, name := range rest {
				if e, ok := cat.Lookup(name); ok {
					tags = append(tags, cat.Generator(e).Tag)
				} else {
					tags = append(tags, name)
				}
			}
		}
		failed, err := pullMissing(ctx, infer, tags, stdout, newLogger(cfg, stderr))
		if err != nil {
			return err
		}
		if len(failed) > 0 {
			return fmt.Errorf("%d model(s) could not be installed: %s", len(failed), strings.Join(failed, ", "))
		}
		fmt.Fprintln(stdout, "every model is installed")
		return nil
	case "import":
		if len(rest) != 2 {
			return fmt.Errorf("usage: shopdesk models import NAME BASE.gguf [--adapter LORA.gguf]")
		}
		opts := inference.ImportOptions{Adapter: *adapter}
		if opts.Adapter != "" {
			if _, err := os.Stat(opts.Adapter); err != nil {
				return fmt.Errorf("--adapter: %w", err)
			}
		}
		return importEverywhere(ctx, infer, rest[0], rest[1], opts, stdout)
	default:
		printUsage(stderr, "models")
		return errUsage
	}
}

func listModels(ctx context.Context, cat *models.Catalog, infer *inference.Client, w io.Writer) error {
	type hostModels struct {
		url  string
		have []string
		err  error
	}
	var hosts []hostModels
	for _, h := range infer.Hosts() {
		have, err := h.Models(ctx)
		hosts = append(hosts, hostModels{h.URL, have, err})
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tOLLAMA TAG\tDEFAULT\tINSTALLED")
	var unreachable []error
	for _, e := range cat.Entries() {
		if e.Kind == models.KindAssistant {
			g := cat.Generator(e)
			fmt.Fprintf(tw, "%s\t%s\t(generates with %s)\t\t\n", e.ID, e.Kind, g.ID)
			continue
		}
		var state []string
		for _, h := range hosts {
			switch {
			case h.err != nil:
				state = append(state, "unknown")
			case inference.Installed(h.have, e.Tag):
				state = append(state, "yes")
			default:
				state = append(state, "no")
			}
		}
		def := ""
		if e.Default {
			def = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, e.Kind, e.Tag, def, strings.Join(state, ","))
	}
	tw.Flush()
	for _, h := range hosts {
		if h.err != nil {
			unreachable = append(unreachable, fmt.Errorf("%s: %w", h.url, h.err))
		}
	}
	fmt.Fprintf(w, "\ncatalog: %s\n", cat.Source)
	if len(unreachable) > 0 {
		return fmt.Errorf("cannot reach Ollama: %w", errors.Join(unreachable...))
	}
	return nil
}
