package main

import (
	"context"
	"fmt"
	"io"

	"github.com/shopdesk/shopdesk/doctor"
	"github.com/shopdesk/shopdesk/models"
)

// printFinding prints one finding: ok lines alone, the others with their
// fix.
func printFinding(w io.Writer, f doctor.Finding) {
	switch f.Level {
	case doctor.OK:
		fmt.Fprintf(w, "ok    %s\n", f.What)
	case doctor.Warn:
		fmt.Fprintf(w, "warn  %s\n      fix: %s\n", f.What, f.Fix)
	default:
		fmt.Fprintf(w, "FAIL  %s\n      fix: %s\n", f.What, f.Fix)
	}
}

func cmdDoctor(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := loadConfig("doctor", args, getenv, stderr)
	if err != nil {
		return err
	}
	var rep doctor.Report
	cat, err := models.Load(cfg.Path, models.Overrides{ChatTag: cfg.ChatModel, EmbedTag: cfg.EmbedModel})
	if err != nil {
		rep.Findings = append(rep.Findings, doctor.Finding{Level: doctor.Fail, What: "model catalog: " + err.Error(), Fix: "correct the models section of " + cfg.Path})
	} else {
		rep.Findings = append(rep.Findings, doctor.Okf("model catalog: %s (%d models; chat %s, embedding %s)", cat.Source, len(cat.Entries()),
			cat.Default(models.KindChat).ID, cat.Default(models.KindEmbedding).ID))
	}
	opts := doctor.Options{Catalog: func() *models.Catalog { return cat }, DataDir: cfg.DataDir}
	infer, err := newInference(cfg, cfg.OllamaHosts, nil)
	if err != nil {
		rep.Findings = append(rep.Findings, doctor.Finding{Level: doctor.Fail, What: err.Error(), Fix: "set OLLAMA_HOST to URLs such as http://127.0.0.1:11434"})
	} else {
		opts.Hosts = infer.Hosts()
	}
	examined := doctor.New(opts).Examine(ctx)
	rep.Findings = append(rep.Findings, examined.Findings...)
	for _, f := range rep.Findings {
		printFinding(stdout, f)
	}
	if n := rep.Failures(); n > 0 {
		return fmt.Errorf("doctor found %d problem(s)", n)
	}
	fmt.Fprintln(stdout, "\nall checks passed")
	return nil
}
