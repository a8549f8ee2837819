package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/cleanup"
	"github.com/graphconform/graphconform/internal/transport"
	"github.com/graphconform/graphconform/steps"
)

// sweepCommand is `graphconform sweep --target URL [--older-than DUR] [--allow-writes]`: it lists the
// enrollment configurations whose displayName starts with graphconform- and, with --allow-writes, deletes
// those older than DUR (by createdDateTime). It touches nothing else. Without --allow-writes it only lists.
func sweepCommand(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("graphconform sweep", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	targetURL := fs.String("target", "", "the service's `URL` up to and including the version segment (env "+envTarget+")")
	token := fs.String("token", "", "bearer `token` (env "+envToken+"); or AZURE_* client credentials")
	olderThan := fs.Duration("older-than", 0, "delete only configurations created longer ago than this `duration` (e.g. 2h); 0: all")
	allowWrites := fs.Bool("allow-writes", false, "delete (env "+envAllowWrites+"=1); without it the leftovers are only listed")
	timeout := fs.Duration("timeout", defaultTimeout, "time limit of each request")
	tf := addTargetFlags(fs, false)
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "graphconform sweep: "+format+"\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage: graphconform sweep --target URL [--older-than DUR] [--allow-writes]\n\n"+
				"Lists the enrollment configurations named %s* (what runs create) and, with --allow-writes, deletes\n"+
				"them; nothing else is touched. Exit codes: 0 done, 1 a request failed, 2 bad usage or configuration.\n\nFlags:\n", steps.NamePrefix)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		return fail("%s (see graphconform sweep -h)", flagError(fs, err))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if !set["target"] {
		*targetURL = strings.TrimSpace(env(envTarget))
	}
	if !set["token"] {
		*token = strings.TrimSpace(env(envToken))
	}
	if !set["allow-writes"] {
		if v := strings.TrimSpace(env(envAllowWrites)); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fail("%s=%q: want 1 or 0", envAllowWrites, v)
			}
			*allowWrites = b
		}
	}
	if *olderThan < 0 || *timeout <= 0 {
		return fail("--older-than must not be negative and --timeout must be positive")
	}
	if *targetURL == "" {
		return fail("--target URL is required: sweep cleans up a service reached by URL")
	}
	base, err := transport.ValidateBaseURL(*targetURL)
	if err != nil {
		return fail("--target: %s", oneLine(err.Error()))
	}
	tgt, err := makeTarget(ctx, targetRequest{Kind: kindRemote, URL: base, Token: *token, Env: env, Flags: tf})
	if err != nil {
		return fail("%s", errorLine(err))
	}
	defer tgt.Shutdown()
	red := check.NewRedactor(append([]string{*token}, tgt.Secrets...))

	// The process ends soon after: the idle connections of a transport NewClient cloned are not worth closing.
	client, rt, _ := transport.NewClient(tgt.Client, *timeout)
	svc := cleanup.Service{BaseURL: base, Client: client, Token: tgt.Token.Token}
	found, listed, err := svc.List(ctx, func(name string) bool { return strings.HasPrefix(name, steps.NamePrefix) })
	if err != nil {
		fmt.Fprintf(stderr, "graphconform sweep: %s\n", check.Visible(red.String(oneLine(err.Error()))))
		return 1
	}
	now := time.Now()
	var del []cleanup.Config
	fmt.Fprintf(stdout, "%s: %d of %d enrollment configurations are named %s*\n", base, len(found), listed, steps.NamePrefix)
	unusable := 0
	for _, c := range found {
		why := ""
		switch {
		case c.Unusable != "":
			// Never sent: an id the service chose could point the DELETE, and the token, anywhere.
			why = "kept: its id cannot be a URL path segment (" + c.Unusable + "); delete it by hand"
			unusable++
		case *olderThan > 0 && c.Created.IsZero():
			why = "kept: no createdDateTime to compare with --older-than"
		case *olderThan > 0 && now.Sub(c.Created) < *olderThan:
			why = "kept: younger than " + olderThan.String()
		}
		verb := "delete"
		if why != "" {
			verb = "keep"
		} else {
			del = append(del, c)
		}
		fmt.Fprintf(stdout, "  %-6s %s %s created %s%s\n", verb, strconv.Quote(c.ID), strconv.Quote(c.Name), check.Visible(cmp.Or(c.CreatedText, "(unknown)")), parenthesize(why))
	}
	if !*allowWrites {
		fmt.Fprintf(stdout, "dry run: nothing deleted; pass --allow-writes (or %s=1) to delete the %d marked delete\n", envAllowWrites, len(del))
		return 0
	}
	failed := 0
	for _, c := range del {
		if err := svc.Delete(ctx, c); err != nil {
			failed++
			fmt.Fprintf(stderr, "graphconform sweep: delete %s: %s\n", strconv.Quote(c.ID), check.Visible(red.String(oneLine(err.Error()))))
			continue
		}
		fmt.Fprintf(stdout, "  deleted %s\n", strconv.Quote(c.ID))
	}
	fmt.Fprintf(stdout, "deleted %d, kept %d, failed %d; retries %d\n", len(del)-failed, len(found)-len(del), failed+unusable, rt.Retries())
	if failed+unusable > 0 {
		return 1
	}
	return 0
}

func parenthesize(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
