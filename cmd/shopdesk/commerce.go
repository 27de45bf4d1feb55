package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/commerce/httpapi"
	"github.com/shopdesk/shopdesk/commerce/sqlstore"
	"github.com/shopdesk/shopdesk/tenant"
)

// importSpec is one file to import: what it holds and where it is.
type importSpec struct {
	Kind sqlstore.Kind
	Path string
}

// parseImports reads "customers=a.csv,orders=b.json" lists.
func parseImports(raw string) ([]importSpec, error) {
	kvs, err := pairs(raw, "%q: want kind=path")
	if err != nil {
		return nil, err
	}
	var out []importSpec
	for _, kv := range kvs {
		k, err := importKind(kv[0])
		if err != nil {
			return nil, err
		}
		out = append(out, importSpec{k, kv[1]})
	}
	return out, nil
}

func importKind(s string) (sqlstore.Kind, error) {
	switch k := sqlstore.Kind(strings.TrimSpace(s)); k {
	case "customers", "orders", "products":
		return k, nil
	}
	return "", fmt.Errorf("%q is not one of customers, orders, products", s)
}

// importFiles imports specs into tenant t and reports each file.
func importFiles(ctx context.Context, store *sqlstore.Store, t string, specs []importSpec, format string, m sqlstore.Mapping, out io.Writer) (problems int, err error) {
	for _, sp := range specs {
		f, err := os.Open(sp.Path)
		if err != nil {
			return problems, fmt.Errorf("import %s: %w", sp.Path, err)
		}
		start := time.Now()
		res, err := store.Import(ctx, t, sp.Kind, filepath.Base(sp.Path), f, format, m)
		f.Close()
		if err != nil {
			return problems, err
		}
		fmt.Fprintf(out, "%s (%s): %d added, %d updated, %d unchanged, %d problem(s) in %s\n", sp.Path, sp.Kind,
			res.Added, res.Updated, res.Unchanged, len(res.Problems), time.Since(start).Round(time.Millisecond))
		for _, p := range res.Problems {
			fmt.Fprintf(out, "  problem: %s: %s\n", p.Where, p.Err)
		}
		problems += len(res.Problems)
	}
	return problems, nil
}

func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	own, rest := splitFlags(args, []string{"tenant", "format", "map"}, nil)
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tn := fs.String("tenant", tenant.Default, "tenant the records belong to")
	format := fs.String("format", "", "csv, json or jsonl; default: by extension")
	mapFlag := fs.String("map", "", "field mapping, ours=theirs pairs: id=customer_number,email=Email")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, pos, err := loadConfig("import", rest, getenv, stderr)
	if err != nil {
		return err
	}
	usage := errors.New("usage: shopdesk import [--tenant T] [--format F] [--map ours=theirs,...] customers|orders|products FILE...")
	if len(pos) < 2 {
		return usage
	}
	kind, err := importKind(pos[0])
	if err != nil {
		return fmt.Errorf("%w\n%v", err, usage)
	}
	if err := tenant.Validate(*tn); err != nil {
		return err
	}
	kvs, err := pairs(*mapFlag, "--map %q: want ours=theirs")
	if err != nil {
		return err
	}
	m := sqlstore.Mapping{}
	for _, kv := range kvs {
		m[kv[0]] = kv[1]
	}
	db, closeDB, err := openDatabase(cfg.DataDir)
	if err != nil {
		return err
	}
	defer closeDB()
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		return err
	}
	var specs []importSpec
	for _, p := range pos[1:] {
		specs = append(specs, importSpec{kind, p})
	}
	problems, err := importFiles(ctx, store, *tn, specs, *format, m, stdout)
	if err != nil {
		return err
	}
	if problems > 0 {
		fmt.Fprintf(stdout, "%d record(s) were not imported; the rest are in\n", problems)
	}
	return nil
}

// openShop returns the configured commerce connector, importing the
// configured files into the embedded store first; nil when commerce is
// off.
func openShop(ctx context.Context, cfg *config, kb *knowledgeBase, stdout io.Writer, log *slog.Logger) (commerce.Connector, error) {
	switch cfg.Commerce {
	case "none":
		return nil, nil
	case "http":
		return openHTTPShop(cfg)
	}
	store, err := sqlstore.Open(ctx, kb.DB)
	if err != nil {
		return nil, err
	}
	if len(cfg.CommerceImport) > 0 {
		if _, err := importFiles(ctx, store, tenant.Default, cfg.CommerceImport, "", nil, stdout); err != nil {
			return nil, fmt.Errorf("import at start: %w", err)
		}
		log.Info("shop data imported at start", "files", len(cfg.CommerceImport))
	}
	return store, nil
}

// openHTTPShop connects to the merchant's API as the config file's
// commerce_http section describes.
func openHTTPShop(cfg *config) (commerce.Connector, error) {
	if cfg.Path == "" {
		return nil, errors.New("commerce http needs a config file with a commerce_http section (see deploy/shopdesk.example.yaml)")
	}
	data, err := os.ReadFile(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	var doc struct {
		HTTP yaml.Node `yaml:"commerce_http"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("config file %s: %w", cfg.Path, err)
	}
	if doc.HTTP.Kind == 0 {
		return nil, fmt.Errorf("config file %s: commerce is http but there is no commerce_http section", cfg.Path)
	}
	hc, err := httpapi.ParseConfig(&doc.HTTP)
	if err != nil {
		return nil, fmt.Errorf("config file %s: commerce_http: %w", cfg.Path, err)
	}
	return httpapi.New(hc, cfg.getenv, nil)
}
