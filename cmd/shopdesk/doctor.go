package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
)

// minOllama is the oldest Ollama shopdesk is known to work with.
const minOllama = "0.12.0"

// testedOllama is the Ollama version the test suite runs against.
const testedOllama = "0.17.4"

// doctor collects check results and prints them with a fix for each
// failure.
type doctor struct {
	w        io.Writer
	failures int
}

func (d *doctor) ok(format string, args ...any) {
	fmt.Fprintf(d.w, "ok    %s\n", fmt.Sprintf(format, args...))
}

func (d *doctor) warn(what, fix string) {
	fmt.Fprintf(d.w, "warn  %s\n      fix: %s\n", what, fix)
}

func (d *doctor) fail(what, fix string) {
	d.failures++
	fmt.Fprintf(d.w, "FAIL  %s\n      fix: %s\n", what, fix)
}

func cmdDoctor(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := loadConfig("doctor", args, getenv, stderr)
	if err != nil {
		return err
	}
	d := &doctor{w: stdout}
	cat, err := models.Load(cfg.Path, models.Overrides{ChatTag: cfg.ChatModel, EmbedTag: cfg.EmbedModel})
	if err != nil {
		d.fail("model catalog: "+err.Error(), "correct the models section of "+cfg.Path)
	} else {
		d.ok("model catalog: %s (%d models; chat %s, embedding %s)", cat.Source, len(cat.Entries()),
			cat.Default(models.KindChat).ID, cat.Default(models.KindEmbedding).ID)
	}

	infer, err := newInference(cfg, cfg.OllamaHosts, nil)
	if err != nil {
		d.fail(err.Error(), "set OLLAMA_HOST to URLs such as http://127.0.0.1:11434")
	} else {
		for _, h := range infer.Hosts() {
			checkHost(ctx, d, h, cat)
		}
	}
	checkDataDir(d, cfg.DataDir)

	if d.failures > 0 {
		return fmt.Errorf("doctor found %d problem(s)", d.failures)
	}
	fmt.Fprintln(stdout, "\nall checks passed")
	return nil
}

func checkHost(ctx context.Context, d *doctor, h *inference.Host, cat *models.Catalog) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := h.Version(ctx)
	if err != nil {
		d.fail(fmt.Sprintf("Ollama at %s does not answer: %v", h.URL, err),
			"start Ollama there (`ollama serve`, or `make ollama` then `bin/ollama serve`), or point OLLAMA_HOST at a running one")
		return
	}
	if olderThan(v, minOllama) {
		d.warn(fmt.Sprintf("Ollama at %s is version %s, older than %s", h.URL, v, minOllama),
			"upgrade Ollama (shopdesk is tested with "+testedOllama+")")
	} else {
		d.ok("Ollama at %s answers, version %s", h.URL, v)
	}
	if cat == nil {
		return
	}
	have, err := h.Models(ctx)
	if err != nil {
		d.fail(fmt.Sprintf("cannot list the models on %s: %v", h.URL, err), "check the Ollama log on that host")
		return
	}
	for _, e := range cat.Entries() {
		if e.Kind == models.KindAssistant {
			continue // it generates with a chat entry, checked on its own
		}
		if inference.Installed(have, e.Tag) {
			d.ok("model %s (%s, Ollama %s) is installed on %s", e.ID, e.Kind, e.Tag, h.URL)
			continue
		}
		d.fail(fmt.Sprintf("model %s (%s) needs Ollama model %s, which %s does not have", e.ID, e.Kind, e.Tag, h.URL),
			fmt.Sprintf("`shopdesk models pull`; without network, `shopdesk models import %s /path/to/model.gguf`", e.Tag))
	}
}

func checkDataDir(d *doctor, dir string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		d.fail(fmt.Sprintf("data directory %s cannot be created: %v", dir, err), "create it, or choose another with SHOPDESK_DATA")
		return
	}
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		d.fail(fmt.Sprintf("data directory %s is not writable: %v", dir, err), "give shopdesk's user write access, or choose another with SHOPDESK_DATA")
		return
	}
	f.Close()
	os.Remove(f.Name())
	d.ok("data directory %s is writable", dir)
}

// olderThan compares dotted version numbers ("0.17.4"); versions that do
// not parse (development builds) are never older.
func olderThan(v, min string) bool {
	parse := func(s string) ([]int, bool) {
		s = strings.TrimPrefix(strings.SplitN(s, "-", 2)[0], "v")
		var out []int
		for _, p := range strings.Split(s, ".") {
			n, err := strconv.Atoi(p)
			if err != nil {
				return nil, false
			}
			out = append(out, n)
		}
		return out, true
	}
	a, ok1 := parse(v)
	b, ok2 := parse(min)
	if !ok1 || !ok2 {
		return false
	}
	return slices.Compare(a, b) < 0
}
