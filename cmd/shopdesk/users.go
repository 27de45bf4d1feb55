package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/shopdesk/shopdesk/staff"
	"github.com/shopdesk/shopdesk/tenant"
)

const usersUsage = `usage: shopdesk users add|passwd [--tenant T] [--role admin|agent] [--password-stdin] NAME
       shopdesk users role [--tenant T] --role admin|agent NAME
       shopdesk users list|remove [--tenant T] [NAME]`

// cmdUsers manages the staff accounts that sign in to the console.
// Passwords are read from the terminal, from standard input with
// --password-stdin, or from SHOPDESK_PASSWORD; never from the command
// line.
func cmdUsers(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usersUsage)
	}
	verb := args[0]
	own, rest := splitFlags(args[1:], []string{"tenant", "role"}, []string{"password-stdin"})
	fs := flag.NewFlagSet("users", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tn := fs.String("tenant", tenant.Default, "tenant the account belongs to")
	role := fs.String("role", staff.RoleAgent, "admin or agent")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, pos, err := loadConfig("users", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if err := tenant.Validate(*tn); err != nil {
		return err
	}
	need := map[string]int{"add": 1, "passwd": 1, "role": 1, "remove": 1, "list": 0}
	n, known := need[verb]
	if !known || len(pos) != n {
		return errors.New(usersUsage)
	}
	db, closeDB, err := openDatabase(cfg.DataDir)
	if err != nil {
		return err
	}
	defer closeDB()
	store, err := staff.Open(ctx, staff.Options{DB: db})
	if err != nil {
		return err
	}
	switch verb {
	case "list":
		users, err := store.Users(ctx, *tn)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.Role, u.CreatedAt.Format("2006-01-02 15:04"))
		}
		return tw.Flush()
	case "remove":
		if err := store.Remove(ctx, *tn, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed %s from tenant %s; their sessions ended\n", pos[0], *tn)
		return nil
	case "role":
		if err := store.SetRole(ctx, *tn, pos[0], *role); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is now %s; their sessions ended\n", pos[0], *role)
		return nil
	}
	password := getenv("SHOPDESK_PASSWORD")
	if password == "" || *fromStdin {
		if password, err = readPassword(stdin, stderr, *fromStdin); err != nil {
			return err
		}
	} else if err := staff.CheckPassword(password); err != nil {
		return err
	}
	if verb == "passwd" {
		if err := store.SetPassword(ctx, *tn, pos[0], password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "changed the password of %s; their sessions ended\n", pos[0])
		return nil
	}
	u, err := store.Add(ctx, *tn, pos[0], password, *role)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s (%s) to tenant %s; they sign in at /console\n", u.Name, u.Role, u.Tenant)
	return nil
}

// readPassword reads a password without echo from the terminal (twice),
// or one line from stdin.
func readPassword(stdin io.Reader, stderr io.Writer, fromStdin bool) (string, error) {
	if f, ok := stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), staff.CheckPassword(string(a))
	}
	if !fromStdin {
		return "", errors.New("standard input is not a terminal: pass --password-stdin with the password on standard input, or set SHOPDESK_PASSWORD")
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 2048)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	return pw, staff.CheckPassword(pw)
}
