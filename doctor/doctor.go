// Package doctor examines an installation: each Ollama host (does it
// answer, how old is it, which of the catalog's models it has) and the
// data directory. `shopdesk doctor` prints its findings; the console's
// Models page shows them.
package doctor

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
)

// MinOllama is the oldest Ollama shopdesk is known to work with.
const MinOllama = "0.12.0"

// TestedOllama is the Ollama version the test suite runs against.
const TestedOllama = "0.17.4"

// Level is how bad a finding is.
type Level string

// The levels of a finding.
const (
	OK   Level = "ok"
	Warn Level = "warn"
	Fail Level = "fail"
)

// Finding is one thing the doctor looked at: what it found and, unless it
// is OK, how to fix it.
type Finding struct {
	Level Level  `json:"level"`
	What  string `json:"what"`
	Fix   string `json:"fix,omitempty"`
}

// Okf is an OK finding.
func Okf(format string, args ...any) Finding {
	return Finding{Level: OK, What: fmt.Sprintf(format, args...)}
}

// Host is what one Ollama host has installed; Err says why it could not
// be listed.
type Host struct {
	URL     string   `json:"url"`
	Version string   `json:"version,omitempty"`
	Models  []string `json:"models"`
	Err     string   `json:"error,omitempty"`
}

// Report is everything the doctor found.
type Report struct {
	Findings []Finding `json:"findings"`
	Hosts    []Host    `json:"hosts"`
}

// Failures counts the failed findings.
func (r Report) Failures() int {
	n := 0
	for _, f := range r.Findings {
		if f.Level == Fail {
			n++
		}
	}
	return n
}

// Options configure a Doctor.
type Options struct {
	Hosts []*inference.Host
	// Catalog is the catalog in force; nil (or a nil result) skips the
	// model checks.
	Catalog func() *models.Catalog
	DataDir string
	// HostTimeout bounds the checks of one host (default 10s).
	HostTimeout time.Duration
}

// Doctor examines the installation. It holds no state between runs.
type Doctor struct{ opts Options }

// New returns a Doctor.
func New(opts Options) *Doctor {
	if opts.HostTimeout <= 0 {
		opts.HostTimeout = 10 * time.Second
	}
	return &Doctor{opts: opts}
}

// Examine checks every host and then the data directory.
func (d *Doctor) Examine(ctx context.Context) Report {
	var cat *models.Catalog
	if d.opts.Catalog != nil {
		cat = d.opts.Catalog()
	}
	var rep Report
	for _, h := range d.opts.Hosts {
		found, host := d.checkHost(ctx, h, cat)
		rep.Findings = append(rep.Findings, found...)
		rep.Hosts = append(rep.Hosts, host)
	}
	if d.opts.DataDir != "" {
		rep.Findings = append(rep.Findings, DataDir(d.opts.DataDir))
	}
	return rep
}

func (d *Doctor) checkHost(ctx context.Context, h *inference.Host, cat *models.Catalog) ([]Finding, Host) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.HostTimeout)
	defer cancel()
	host := Host{URL: h.URL}
	v, err := h.Version(ctx)
	if err != nil {
		host.Err = err.Error()
		return []Finding{{Fail, fmt.Sprintf("Ollama at %s does not answer: %v", h.URL, err),
			"start Ollama there (`ollama serve`, or `make ollama` then `bin/ollama serve`), or point OLLAMA_HOST at a running one"}}, host
	}
	host.Version = v
	var out []Finding
	if OlderThan(v, MinOllama) {
		out = append(out, Finding{Warn, fmt.Sprintf("Ollama at %s is version %s, older than %s", h.URL, v, MinOllama),
			"upgrade Ollama (shopdesk is tested with " + TestedOllama + ")"})
	} else {
		out = append(out, Okf("Ollama at %s answers, version %s", h.URL, v))
	}
	have, err := h.Models(ctx)
	if err != nil {
		host.Err = err.Error()
		if cat == nil {
			return out, host
		}
		return append(out, Finding{Fail, fmt.Sprintf("cannot list the models on %s: %v", h.URL, err), "check the Ollama log on that host"}), host
	}
	host.Models = have
	if cat == nil {
		return out, host
	}
	for _, e := range cat.Entries() {
		if e.Kind == models.KindAssistant {
			continue // it generates with a chat entry, checked on its own
		}
		if inference.Installed(have, e.Tag) {
			out = append(out, Okf("model %s (%s, Ollama %s) is installed on %s", e.ID, e.Kind, e.Tag, h.URL))
			continue
		}
		out = append(out, Finding{Fail, fmt.Sprintf("model %s (%s) needs Ollama model %s, which %s does not have", e.ID, e.Kind, e.Tag, h.URL),
			fmt.Sprintf("`shopdesk models pull`; without network, `shopdesk models import %s /path/to/model.gguf`", e.Tag)})
	}
	return out, host
}

// DataDir checks that dir exists (or can be made) and is writable.
func DataDir(dir string) Finding {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Finding{Fail, fmt.Sprintf("data directory %s cannot be created: %v", dir, err), "create it, or choose another with SHOPDESK_DATA"}
	}
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return Finding{Fail, fmt.Sprintf("data directory %s is not writable: %v", dir, err), "give shopdesk's user write access, or choose another with SHOPDESK_DATA"}
	}
	f.Close()
	os.Remove(f.Name())
	return Okf("data directory %s is writable", dir)
}

// OlderThan compares dotted version numbers ("0.17.4"); versions that do
// not parse (development builds) are never older.
func OlderThan(v, min string) bool {
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
