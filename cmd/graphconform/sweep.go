package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/target"
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

	client, rt := sendingClient(tgt, *timeout)
	s := sweeper{t: tgt, base: base, client: client}
	found, listed, err := s.list(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "graphconform sweep: %s\n", check.Visible(red.String(oneLine(err.Error()))))
		return 1
	}
	now := time.Now()
	var del []leftover
	fmt.Fprintf(stdout, "%s: %d of %d enrollment configurations are named %s*\n", base, len(found), listed, steps.NamePrefix)
	unusable := 0
	for _, l := range found {
		why := ""
		switch {
		case l.unusable != "":
			// Never sent: an id the service chose could point the DELETE, and the token, anywhere.
			why = "kept: its id cannot be a URL path segment (" + l.unusable + "); delete it by hand"
			unusable++
		case *olderThan > 0 && l.created.IsZero():
			why = "kept: no createdDateTime to compare with --older-than"
		case *olderThan > 0 && now.Sub(l.created) < *olderThan:
			why = "kept: younger than " + olderThan.String()
		}
		verb := "delete"
		if why != "" {
			verb = "keep"
		} else {
			del = append(del, l)
		}
		fmt.Fprintf(stdout, "  %-6s %s %s created %s%s\n", verb, strconv.Quote(l.id), strconv.Quote(l.name), check.Visible(l.createdText()), parenthesize(why))
	}
	if !*allowWrites {
		fmt.Fprintf(stdout, "dry run: nothing deleted; pass --allow-writes (or %s=1) to delete the %d marked delete\n", envAllowWrites, len(del))
		return 0
	}
	failed := 0
	for _, l := range del {
		if err := s.delete(ctx, l.id); err != nil {
			failed++
			fmt.Fprintf(stderr, "graphconform sweep: delete %s: %s\n", l.id, check.Visible(red.String(oneLine(err.Error()))))
			continue
		}
		fmt.Fprintf(stdout, "  deleted %s\n", l.id)
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

type leftover struct {
	id, name string
	created  time.Time
	rawTime  string
	unusable string // why id cannot go into a request path (check.KeyProblem); "" when it can
}

func (l leftover) createdText() string {
	if l.rawTime == "" {
		return "(unknown)"
	}
	return l.rawTime
}

// sweeper talks to the service with the target's client and credential.
type sweeper struct {
	t      *target.Target
	base   string
	client *http.Client
}

const maxSweepPages = 100

// list pages through the configurations and returns those named graphconform-*, and how many it saw.
// A nextLink is followed only on the target's own scheme and host: the token goes nowhere else.
func (s sweeper) list(ctx context.Context) ([]leftover, int, error) {
	next := s.base + "/deviceManagement/deviceEnrollmentConfigurations"
	baseURL, _ := url.Parse(s.base)
	var out []leftover
	seen := 0
	for page := 0; next != ""; page++ {
		if page == maxSweepPages {
			return out, seen, fmt.Errorf("more than %d pages of configurations; stopped", maxSweepPages)
		}
		u, err := url.Parse(next)
		if err != nil || u.Scheme != baseURL.Scheme || !strings.EqualFold(u.Host, baseURL.Host) {
			return out, seen, fmt.Errorf("the service's @odata.nextLink leads away from %s://%s; not following it", baseURL.Scheme, baseURL.Host)
		}
		resp, body, err := s.do(ctx, http.MethodGet, next)
		if err != nil {
			return out, seen, err
		}
		if resp.StatusCode != http.StatusOK {
			return out, seen, fmt.Errorf("GET %s: status %d: %s", u.Path, resp.StatusCode, errorCode(body))
		}
		var col struct {
			Value    []map[string]any `json:"value"`
			NextLink string           `json:"@odata.nextLink"`
		}
		if err := json.Unmarshal(body, &col); err != nil {
			return out, seen, fmt.Errorf("GET %s: the body is not a collection: %v", u.Path, err)
		}
		for _, v := range col.Value {
			seen++
			id, _ := v["id"].(string)
			name, _ := v["displayName"].(string)
			if !strings.HasPrefix(name, steps.NamePrefix) {
				continue
			}
			l := leftover{id: id, name: name, unusable: check.KeyProblem(id)}
			if ts, ok := v["createdDateTime"].(string); ok {
				l.rawTime = ts
				if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
					l.created = t
				}
			}
			out = append(out, l)
		}
		next = col.NextLink
	}
	return out, seen, nil
}

func (s sweeper) delete(ctx context.Context, id string) error {
	u := s.base + "/deviceManagement/deviceEnrollmentConfigurations/" + url.PathEscape(id)
	resp, body, err := s.do(ctx, http.MethodDelete, u)
	if err != nil {
		return err
	}
	switch {
	case resp.StatusCode/100 == 2, resp.StatusCode == http.StatusNotFound: // gone either way
		return nil
	}
	return fmt.Errorf("status %d: %s", resp.StatusCode, errorCode(body))
}

func (s sweeper) do(ctx context.Context, method, u string) (*http.Response, []byte, error) {
	tok, err := s.t.Token.Token(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("token: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	return resp, body, err
}

// errorCode is Graph's error.code from an error body, or a short excerpt.
func errorCode(body []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Code != "" {
		return e.Error.Code
	}
	s := oneLine(string(body))
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return strconv.Quote(s)
}
