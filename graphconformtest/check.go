package graphconformtest

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/cleanup"
	"github.com/graphconform/graphconform/internal/syncio"
	"github.com/graphconform/graphconform/internal/transport"
	"github.com/graphconform/graphconform/steps"
)

// Check runs the selected scenarios against target and returns their outcomes, requirement by requirement.
// The CLI's exit code, console summary and reports are all built from the Result.
//
// Calling Check (or Run) against a service is the caller's consent to write to it: the scenarios create
// enrollment configurations and assignments there (every displayName starts with "graphconform-" and the run's
// id), change and delete them, and delete nothing they did not create. With Existing they change the given
// assignment and restore it afterwards.
//
// Before any scenario, a preflight reads the deviceEnrollmentConfigurations collection once with each token and
// stops the run with a *ConfigError holding a *PreflightError when the answer shows a configuration problem rather
// than a conformance one: the service cannot be reached or its TLS not verified, it rejects the token (401) or
// finds it lacks a permission (403), or what answers is not a Graph service (404 on the collection, a redirect, a
// web page). It is on by default, in Run too, so a wrong port or token fails in one line instead of failing every
// requirement; SkipPreflight leaves it out for a service that answers 401 or 403 to a valid token.
//
// The error is non-nil only when the run could not be made; then nothing was sent but the preflight's read. A
// configuration problem is a *ConfigError. A service that fails requirements is a Result whose Passed is false.
//
// The run stops early when ctx ends (an interrupt, a deadline: context.Cause says why) or when the target stops
// answering (three requests in a row without a response). Then no new scenario starts and no new request is
// sent; a create already sent is awaited (its answer names what to delete). The scenarios not run, or cut short,
// are StatusNotRun with the reason, and the run did not pass. What the scenarios created is still deleted. A
// create whose answer was lost (timed out, cut off) is looked up by its name before Check returns and deleted;
// so is, after an early stop, anything named after the run. What could not be deleted is in Result.Leftovers.
func Check(ctx context.Context, target Target, opts ...Option) (*Result, error) {
	p, err := prepare(ctx, target, opts)
	if err != nil {
		return nil, err
	}
	defer p.release()
	if err := p.preflight(ctx); err != nil {
		return nil, err
	}
	return p.run(ctx, nil), nil
}

// plan is a checked configuration: what to run, against what, how.
type plan struct {
	cfg     config
	inv     *inv
	target  Target
	client  *http.Client
	retry   *transport.RetryTransport
	release func()       // closes what transport.NewClient made
	direct  *http.Client // client without the retries, for the preflight
	secrets *secretSet
	// token and readToken record every token their source hands out in secrets.
	token, readToken func(context.Context) (string, error)
	preflown         bool // the preflight passed (or was skipped)
}

// prepare checks everything a run needs, in the order a person fixes things (options, features, target,
// credentials), and acquires a first token, so that nothing is sent when anything is wrong.
func prepare(ctx context.Context, target Target, opts []Option) (*plan, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := createFormatFiles(cfg.formats); err != nil {
		return nil, err
	}
	in, err := inventory(cfg.features, cfg.tags)
	if err != nil {
		return nil, err
	}
	if len(in.pickles) == 0 {
		return nil, configErrorf("Tags", "no scenario matches the tags %q", cfg.tags)
	}
	base, err := transport.ValidateBaseURL(target.BaseURL)
	if err != nil {
		return nil, &ConfigError{Setting: "BaseURL", Problem: err.Error(), Err: err}
	}
	target.BaseURL = base
	if target.Token == nil {
		return nil, configErrorf("Token", "the target has no token source; give one with read and write scopes")
	}
	if !cfg.concurrencySet {
		cfg.concurrency = 1
		if cfg.configID == "" && transport.Loopback(base) {
			cfg.concurrency = 4
		}
	}
	if !cfg.casesSet {
		cfg.cases = steps.DefaultCases(transport.Loopback(base))
	}
	if !cfg.convergenceSet {
		cfg.convergence = steps.DefaultConvergence(transport.Loopback(base))
	}
	p := &plan{cfg: cfg, inv: in, target: target, secrets: newSecretSet(cfg.secrets)}
	p.token = p.secrets.record(target.Token)
	if target.ReadToken != nil {
		p.readToken = p.secrets.record(target.ReadToken)
	}
	// A first token now: a credential the authority refuses is a configuration problem, reported before the
	// first request reaches the service.
	if err := p.firstToken(ctx, "Token", p.token); err != nil {
		return nil, err
	}
	if p.readToken != nil {
		if err := p.firstToken(ctx, "ReadToken", p.readToken); err != nil {
			return nil, err
		}
	}
	p.client, p.retry, p.release = transport.NewClient(target.Client, cfg.timeout)
	direct := *p.client
	direct.Transport = p.retry.Base()
	p.direct = &direct
	return p, nil
}

func (p *plan) firstToken(ctx context.Context, setting string, token func(context.Context) (string, error)) error {
	tctx, cancel := context.WithTimeout(ctx, p.cfg.timeout)
	defer cancel()
	tok, err := token(tctx)
	switch {
	case err != nil:
		return &ConfigError{Setting: setting, Problem: "the token source failed: " + p.secrets.redact(err.Error()), Err: err}
	case strings.TrimSpace(tok) == "":
		return configErrorf(setting, "the token source gave an empty token")
	}
	return nil
}

// run runs the scenarios of the requirements in ids (nil: every selected one) and collects their outcomes.
func (p *plan) run(ctx context.Context, ids []string) *Result {
	res := &Result{BaseURL: p.target.BaseURL, RunID: newRunID(), Seed: p.cfg.seed, Concurrency: p.cfg.concurrency, Started: time.Now()}
	if res.Seed == 0 {
		res.Seed = randomSeed()
	}
	pickles := p.inv.pickles
	tags := p.cfg.tags
	if ids != nil {
		pickles = p.inv.of(ids)
		tags = withRequirements(tags, ids)
	}
	stop := newRunStop(ctx)
	defer stop.cancel(nil)
	client := *p.client
	client.Transport = &deadTarget{base: p.client.Transport, stop: stop, limit: deadTargetAfter}
	col := newCollector(pickles, stop)
	env := &steps.Env{
		BaseURL:      p.target.BaseURL,
		Client:       &client,
		Token:        p.token,
		ReadToken:    p.readToken,
		Secrets:      p.secrets.list,
		Fixtures:     p.cfg.fixtures,
		ConfigID:     p.cfg.configID,
		AssignmentID: p.cfg.assignmentID,
		RunID:        res.RunID,
		Timeout:      p.cfg.timeout,
		Leftover:     col.leftover,
		LostCreate:   col.lostCreate,
		Transcript:   col.transcript,
		Seed:         res.Seed,
		Cases:        p.cfg.cases,
		Convergence:  p.cfg.convergence,
	}
	if env.Convergence == 0 {
		env.Convergence = -1 // at once (0 would be the default)
	}
	format, out := "progress", io.Writer(io.Discard) // godog needs a formatter; this one writes nowhere
	if len(p.cfg.formats) > 0 {
		format, out = strings.Join(p.cfg.formats, ","), syncio.NewWriter(p.cfg.formatOut)
	}
	retriesBefore := p.retry.Stats().Retries
	if len(pickles) > 0 {
		ts := godog.TestSuite{
			Name: "graphconform",
			ScenarioInitializer: func(sc *godog.ScenarioContext) {
				steps.Register(sc, env)
				col.register(sc)
			},
			Options: &godog.Options{
				Strict:         true, // an undefined or pending step fails the scenario
				Randomize:      res.Seed,
				Concurrency:    p.cfg.concurrency,
				Tags:           tags,
				Paths:          []string{"."},
				FS:             p.cfg.features,
				Format:         format,
				Output:         out,
				NoColors:       true,
				DefaultContext: stop.ctx,
			},
		}
		// godog's own exit code says no more than the outcomes collected: the verdict is Result.Passed.
		_ = ts.Run()
	}
	res.Outcomes, res.Leftovers = col.result(p.secrets.redactor())
	// What the scenarios could not account for, found by name: the creates whose answer was lost and, when the
	// run stopped early, everything named after it.
	lookup := runLookup{svc: cleanup.Service{BaseURL: p.target.BaseURL, Client: &client, Token: p.token}, runID: res.RunID,
		lost: col.lostCreates(), stopped: stop.why() != "", timeout: p.cfg.timeout}
	for _, l := range lookup.do(ctx) {
		res.Leftovers = append(res.Leftovers, p.secrets.redact(check.Visible(l)))
	}
	res.Duration = time.Since(res.Started)
	res.Retries = p.retry.Stats().Retries - retriesBefore
	return res
}

// withRequirements narrows a godog tag expression to the scenarios of ids. godog's expressions have no
// parentheses: an "or" of "and"s, so the narrowing is distributed over the alternatives.
func withRequirements(tags string, ids []string) string {
	alts := []string{""}
	if strings.TrimSpace(tags) != "" {
		alts = strings.Split(tags, ",")
	}
	var out []string
	for _, alt := range alts {
		for _, id := range ids {
			term := "@req:" + id
			if strings.TrimSpace(alt) != "" {
				term = strings.TrimSpace(alt) + " && " + term
			}
			out = append(out, term)
		}
	}
	return strings.Join(out, ",")
}

// secretSet is what the run keeps out of its output: the caller's Redact values and every token handed out.
// Scenarios add tokens from their goroutines.
type secretSet struct {
	mu   sync.Mutex
	vals []string
	seen map[string]bool
}

func newSecretSet(initial []string) *secretSet {
	s := &secretSet{seen: map[string]bool{}}
	for _, v := range initial {
		s.add(v)
	}
	return s
}

func (s *secretSet) add(v string) {
	if strings.TrimSpace(v) == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.seen[v] {
		s.seen[v] = true
		s.vals = append(s.vals, v)
	}
}

func (s *secretSet) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.vals...)
}

func (s *secretSet) redactor() *check.Redactor { return check.NewRedactor(s.list()) }

func (s *secretSet) redact(text string) string { return s.redactor().String(text) }

// record returns src's Token, adding every token it returns to the set.
func (s *secretSet) record(src TokenSource) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		tok, err := src.Token(ctx)
		if err == nil {
			s.add(tok)
		}
		return tok, err
	}
}

func newRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	return hex.EncodeToString(b)
}

func randomSeed() int64 {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	n := int64(binary.BigEndian.Uint64(b) >> 8) // 56 bits: positive, and short enough to type
	if n == 0 {
		n = 1
	}
	return n
}
