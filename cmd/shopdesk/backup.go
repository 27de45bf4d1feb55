package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/backup"
)

// cmdBackup writes a backup of the data directory into DIR. With a
// server running (it holds the directory's lock), the server makes the
// copy, so that it is consistent with what it is writing, and the
// command moves it to DIR; otherwise the command copies the stores
// itself.
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, pos, err := loadConfig("backup", args, getenv, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: shopdesk backup [flags] DIR (a new or empty directory)")
	}
	dir := pos[0]
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: a backup goes into a new or empty directory", dir)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "shopdesk.db")); err != nil {
		return fmt.Errorf("nothing to back up: the data directory %s has no shopdesk.db (set --data)", cfg.DataDir)
	}
	log := newLogger(cfg, stderr)
	var m *backup.Manifest
	release, err := lockData(cfg.DataDir)
	switch {
	case errors.Is(err, errInUse):
		fmt.Fprintf(stdout, "a shopdesk server is using %s: asking it for the backup\n", cfg.DataDir)
		m, err = backupThroughServer(ctx, cfg, dir)
	case err != nil:
		return err
	default:
		defer release()
		var kb *knowledgeBase
		if kb, err = openKnowledge(ctx, cfg, nil, nil, log); err != nil {
			return err
		}
		m, err = backupStores(ctx, kb, dir)
		if cerr := kb.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	printManifest(stdout, "backup written to "+dir, m)
	return nil
}

// backupThroughServer asks the server on cfg.Addr for a backup and moves
// it from the data directory's backups folder to dir.
func backupThroughServer(ctx context.Context, cfg *config, dir string) (*backup.Manifest, error) {
	name := "cli-" + time.Now().UTC().Format("20060102-150405")
	body, _ := json.Marshal(map[string]string{"name": name})
	url := "http://" + localAddr(cfg.Addr) + "/api/admin/backup"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if len(cfg.AdminKeys) > 0 {
		req.Header.Set("Authorization", "Bearer "+cfg.AdminKeys[0])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("the server using %s does not answer at %s (set --addr to where it listens): %w", cfg.DataDir, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("backup through %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusCreated {
		var e struct{ Error struct{ Message string } }
		json.Unmarshal(data, &e)
		hint := ""
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			hint = "; set admin_keys (SHOPDESK_ADMIN_KEYS) to one of the server's admin keys"
		}
		return nil, fmt.Errorf("the server at %s refused the backup (%d): %s%s", url, resp.StatusCode, e.Error.Message, hint)
	}
	var reply backupReply
	if err := json.Unmarshal(data, &reply); err != nil || reply.Path != backupsDir+"/"+name {
		return nil, fmt.Errorf("the server at %s answered the backup with something else: %.200s", url, data)
	}
	src := filepath.Join(cfg.DataDir, backupsDir, name)
	m, err := backup.Move(src, dir)
	if err != nil {
		return nil, fmt.Errorf("the server wrote the backup to %s, but it could not be moved to %s: %w", src, dir, err)
	}
	return m, nil
}

// localAddr is where a command on this host reaches a server listening
// on addr.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// cmdRestore restores a backup into the data directory, which no server
// may be using.
func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	own, rest := splitFlags(args, nil, []string{"force"})
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	force := fs.Bool("force", false, "replace the stores of a data directory that has some")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, pos, err := loadConfig("restore", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: shopdesk restore [--force] [flags] DIR")
	}
	release, err := lockData(cfg.DataDir)
	if errors.Is(err, errInUse) {
		return fmt.Errorf("stop the server first: a restore replaces the stores under it (%w)", err)
	}
	if err != nil {
		return err
	}
	defer release()
	m, err := backup.Restore(ctx, pos[0], cfg.DataDir, backup.RestoreOptions{Stores: storeEntries, Keep: keepEntries, Force: *force})
	if err != nil {
		return err
	}
	// The restored stores open, and hold what the manifest says.
	kb, err := openKnowledge(ctx, cfg, nil, nil, newLogger(cfg, stderr))
	if err != nil {
		return fmt.Errorf("restored %s, but its stores do not open: %w", pos[0], err)
	}
	defer kb.Close()
	for t, want := range m.Contents.Documents {
		if docs, _, err := kb.Count(ctx, t); err != nil || docs != want {
			return fmt.Errorf("restored %s, but tenant %s has %d documents (%v), not the %d of the manifest", pos[0], t, docs, err, want)
		}
	}
	printManifest(stdout, "restored "+pos[0]+" into "+cfg.DataDir, m)
	if m.Contents.VectorSpace == "" {
		fmt.Fprintln(stdout, "the backup holds no vectors: the next start embeds the knowledge base again (from the embedding cache it holds)")
	}
	return nil
}

// printManifest says what a backup holds.
func printManifest(w io.Writer, what string, m *backup.Manifest) {
	var size int64
	for _, f := range m.Files {
		size += f.Size
	}
	var tenants []string
	docs := 0
	for t, n := range m.Contents.Documents {
		tenants = append(tenants, fmt.Sprintf("%s %d", t, n))
		docs += n
	}
	slices.Sort(tenants)
	vectors := "none copied"
	if m.Contents.VectorSpace != "" {
		vectors = m.Contents.VectorSpace
	}
	fmt.Fprintf(w, "%s: taken %s by shopdesk %s; %d documents (%s), %d chunks; vectors: %s; %d files, %.1f MiB\n",
		what, m.CreatedAt.Format(time.RFC3339), m.Version, docs, strings.Join(tenants, ", "), m.Contents.Chunks, vectors,
		len(m.Files), float64(size)/(1<<20))
}
