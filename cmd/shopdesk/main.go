// Command shopdesk is an AI customer-support server that runs entirely on
// the merchant's own hardware, over a local Ollama.
//
//	shopdesk serve      serve the API
//	shopdesk doctor     check Ollama, the models and the data directory
//	shopdesk models     list, pull or import models
//	shopdesk ingest     add documents to the knowledge base
//	shopdesk search     search the knowledge base
//	shopdesk answers    import curated answers
//	shopdesk eval       measure retrieval, or answers (eval answers), on a labelled set
//	shopdesk export     write fine-tuning data (export training)
//	shopdesk train      retrain the intent classifier with the merchant's examples
//	shopdesk erase-customer  remove a shopper's conversations and personal data
//	shopdesk gaps       list the questions the knowledge base does not settle
//	shopdesk users      manage the console's staff accounts
//	shopdesk backup     back up the data directory, while the server runs too
//	shopdesk restore    restore a backup into a data directory
//	shopdesk config     show the settings in force
//	shopdesk version    print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "shopdesk:", err)
		os.Exit(1)
	}
}

// errUsage reports a command line that could not be understood; the usage
// has already been printed.
var errUsage = errors.New("usage")

// run is the whole program: tests call it with their own arguments,
// environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		printUsage(stderr, "")
		return errUsage
	}
	cmd, rest := args[1], args[2:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "doctor":
		return cmdDoctor(ctx, rest, getenv, stdout, stderr)
	case "models":
		return cmdModels(ctx, rest, getenv, stdout, stderr)
	case "ingest":
		return cmdIngest(ctx, rest, getenv, stdout, stderr)
	case "import":
		return cmdImport(ctx, rest, getenv, stdout, stderr)
	case "search":
		return cmdSearch(ctx, rest, getenv, stdout, stderr)
	case "answers":
		return cmdAnswers(ctx, rest, getenv, stdout, stderr)
	case "eval":
		return cmdEval(ctx, rest, getenv, stdout, stderr)
	case "export":
		return cmdExport(ctx, rest, getenv, stdout, stderr)
	case "train":
		return cmdTrain(ctx, rest, getenv, stdout, stderr)
	case "erase-customer":
		return cmdEraseCustomer(ctx, rest, getenv, stdout, stderr)
	case "gaps":
		return cmdGaps(ctx, rest, getenv, stdout, stderr)
	case "users":
		return cmdUsers(ctx, rest, getenv, os.Stdin, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, rest, getenv, stdout, stderr)
	case "config":
		return cmdConfig(rest, getenv, stdout, stderr)
	case "version", "--version":
		return cmdVersion(stdout)
	case "help", "-h", "-help", "--help":
		printUsage(stdout, "")
		return nil
	default:
		fmt.Fprintf(stderr, "shopdesk: unknown command %q\n\n", cmd)
		printUsage(stderr, "")
		return errUsage
	}
}

var commands = []struct{ name, usage string }{
	{"serve", "serve the API (OpenAI-compatible under /v1)"},
	{"doctor", "check Ollama, every configured model and the data directory, with a fix for each problem"},
	{"models [list]", "list the model catalog and whether each model is installed"},
	{"models pull [ID...]", "make sure every configured model (or those named) is installed, pulling from the registry"},
	{"models import NAME FILE.gguf [--adapter LORA.gguf]", "create Ollama model NAME from a local GGUF file, with a LoRA adapter over it (Modelfile ADAPTER) if given"},
	{"ingest [--tenant T] [--kind K] [--format F] [--map M] PATH...", "add or replace documents from files and folders (JSONL, JSON, CSV, Markdown, HTML, text, PDF)"},
	{"import [--tenant T] [--format F] [--map M] customers|orders|products FILE...", "load the shop's customers, orders or catalog (CSV or JSON) into the embedded store; re-import keeps it in sync"},
	{"search [--tenant T] [--mode M] [--k N] [--json] QUERY", "search the knowledge base (hybrid, keyword or vector)"},
	{"answers import [--tenant T] FILE...", "load curated answers (JSONL or CSV: question, answer, alternates, lang, tags); re-import updates by question"},
	{"eval --docs D.jsonl --queries Q.jsonl [--mode M] [--k N] [--json]", "measure retrieval on a labelled set against stock Bleve, in a fresh index"},
	{"users add|passwd|role|remove|list [--tenant T] [--role admin|agent] NAME", "manage the staff accounts that sign in to the console (password from the terminal, --password-stdin or SHOPDESK_PASSWORD)"},
	{"gaps [--tenant T] [--since DATE] [--json]", "list the questions the knowledge base does not settle, grouped, with the nearest document"},
	{"eval answers --set GOLDEN.jsonl [--model ID|TAG] [--json] [-v]", "run golden conversations through the whole answer pipeline: source and fact recall, refusals, routing, citations, grounding removals, latency"},
	{"erase-customer [--tenant T] ID", "remove a shopper's conversations, remembered details and the personal fields of their return requests"},
	{"export training [--tenant T] [--since DATE] [--min-rating up] [--format chat-jsonl] [--out FILE]", "write approved curated answers, approved FAQ candidates and conversations rated up, personal data removed, as fine-tuning data"},
	{"train intents [--out FILE]", "fine-tune the intent classifier with the merchant's examples (<data>/intents.jsonl); refused if worse on the test sets"},
	{"backup DIR", "write a consistent backup of the data directory into DIR (through the running server, if one is)"},
	{"restore [--force] DIR", "restore a backup into the data directory; no server may be running, and stores there are replaced only with --force"},
	{"config [--markdown]", "print the settings in force and where each came from (or the settings table)"},
	{"version", "print the version"},
}

func printUsage(w io.Writer, cmd string) {
	fmt.Fprintln(w, "Usage: shopdesk COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range commands {
		if cmd == "" || strings.HasPrefix(c.name, cmd) {
			fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.usage)
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Settings (flag, environment variable, config file key; flags win over the")
	fmt.Fprintln(w, "environment, which wins over the file, which wins over the default):")
	fmt.Fprintln(w)
	for _, s := range settings {
		def := s.Default
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(w, "  --%s, %s, %s\n      %s\n      default: %s\n", s.flagName(), s.Env, s.Key, strings.ReplaceAll(s.Usage, "`", ""), def)
	}
}

// settingsMarkdown renders the settings table for the README.
func settingsMarkdown(w io.Writer) {
	fmt.Fprintln(w, "| Environment | Flag | File key | Default | Meaning |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	for _, s := range settings {
		def := "`" + s.Default + "`"
		if s.Default == "" {
			def = "—"
		}
		key := "`" + s.Key + "`"
		if s.Key == "config" {
			key = "—"
		}
		fmt.Fprintf(w, "| `%s` | `--%s` | %s | %s | %s |\n", s.Env, s.flagName(), key, def, s.Usage)
	}
}

func cmdConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	markdown := false
	var rest []string
	for _, a := range args {
		if a == "--markdown" || a == "-markdown" {
			markdown = true
			continue
		}
		rest = append(rest, a)
	}
	if markdown {
		settingsMarkdown(stdout)
		return nil
	}
	cfg, _, err := loadConfig("config", rest, getenv, stderr)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tVALUE\tFROM")
	for _, s := range settings {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Env, cfg.maskedValue(s.Key), cfg.sources[s.Key])
	}
	return tw.Flush()
}
