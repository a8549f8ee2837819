package steps

// Steps that send generated bodies (internal/generate): valid ones that must be stored exactly,
// invalid ones that must be refused without a trace, and ones Graph does not pin down that must at least
// not break anything. A failing case is shrunk to a minimal body and reported with the seed that
// regenerates it and a curl command that reproduces it.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/generate"
	"github.com/graphconform/graphconform/internal/schema"
	"github.com/graphconform/graphconform/internal/transport"
)

// Step expressions, compiled once: godog compiles a string expression every time a scenario registers it.
var (
	reValidPatches        = regexp.MustCompile(`^the client PATCHes the assignment with generated valid bodies$`)
	reClassPatches        = regexp.MustCompile(`^the client PATCHes the assignment with generated bodies of the class "([^"]+)"$`)
	reValidCreates        = regexp.MustCompile(`^the client creates assignments with generated valid bodies$`)
	reValidConfigurations = regexp.MustCompile(`^the client creates enrollment configurations of the type "([^"]+)" with generated valid bodies$`)
	reStoredExactly       = regexp.MustCompile(`^each generated body was (?:accepted|created), echoed and read back exactly$`)
	reRefused             = regexp.MustCompile(`^each generated body was refused with 400 and a Graph error, and left the assignment unchanged$`)
	reBrokeNothing        = regexp.MustCompile(`^no generated body was answered with a server error or changed what it must not$`)
)

// DefaultCases is how many bodies a generated scenario sends when Env.Cases is 0. Against a service on
// this machine (a mock, a test server), enough for every deterministic case of most classes and some
// random ones; against any other, two: each class is a scenario of its own, so every class is still sent,
// and the whole run stays within Graph's throttling budget.
func DefaultCases(local bool) int {
	if local {
		return 10
	}
	return 2
}

// local reports whether the service runs on this machine (a loopback address): a mock or a test
// server, where requests are cheap and any value the metadata allows may be sent.
func (e *Env) local() bool { return transport.Loopback(e.BaseURL) }

// shrinkBudget bounds the tries spent shrinking one failing case (each try is a write and a read or
// two), and the time: a try that waits (a list that lags) must not stretch the run.
func shrinkBudget(local bool) (tries int, d time.Duration) {
	if local {
		return 200, 2 * time.Second
	}
	return 12, time.Minute
}

const entityType = "microsoft.graph.enrollmentConfigurationAssignment"

// generated is the per-scenario state of these steps.
type generated struct {
	s       *scenario
	sent    int   // cases sent
	failure error // the first failing case, shrunk and explained
}

func (s *scenario) registerGenerated(sc *godog.ScenarioContext) {
	gs := &generated{s: s}
	sc.Step(reValidPatches, func(ctx context.Context) error {
		return gs.run(ctx, gs.patch(), func(g *generate.Generator, n int) ([]*generate.Case, error) { return g.ValidPatches(n) })
	})
	sc.Step(reClassPatches, func(ctx context.Context, class string) error {
		c, ok := generate.ParseClass(class)
		if !ok {
			return fmt.Errorf("no mutation class %q (a feature bug); known: %v %v", class, generate.Invalid(), generate.Unpinned())
		}
		return gs.run(ctx, gs.patch(), func(g *generate.Generator, n int) ([]*generate.Case, error) { return g.Patches(c, n) })
	})
	sc.Step(reValidCreates, func(ctx context.Context) error {
		op := gs.create(s.assignmentsURL(),
			schema.AssignmentCreate, "/target", declaredTargetType)
		return gs.run(ctx, op, func(g *generate.Generator, n int) ([]*generate.Case, error) { return g.ValidCreates(n) })
	})
	sc.Step(reValidConfigurations, func(ctx context.Context, typ string) error {
		op := gs.create(s.env.BaseURL+"/deviceManagement/deviceEnrollmentConfigurations",
			schema.ConfigurationCreate, "", "microsoft.graph."+string(schema.Configuration))
		return gs.run(ctx, op, func(g *generate.Generator, n int) ([]*generate.Case, error) {
			return g.ValidConfigurations(n, s.displayName(), typ)
		})
	})
	result := func() error {
		if gs.failure != nil {
			return gs.failure
		}
		if gs.sent == 0 {
			return fmt.Errorf("no generated body was sent (a feature bug: send them first)")
		}
		return nil
	}
	sc.Step(reStoredExactly, result)
	sc.Step(reRefused, result)
	sc.Step(reBrokeNothing, result)
}

// operation sends one case and checks what came back as the case's verdict demands.
type operation struct {
	body schema.Name // the request schema the bodies are judged by
	run  func(ctx context.Context, c *generate.Case) caseResult
}

// caseResult is how one case went: a failure, what kind of failure (shrinking keeps the kind), the
// exchange that showed it, and the write that sent the case (what a curl line reproduces; a failure may
// show only on the read after it).
type caseResult struct {
	err   error
	kind  string
	ex    *check.Exchange
	write *check.Exchange
}

// failing returns the constructor of the failures of the case that write sent.
func failing(write *check.Exchange) func(err error, kind string, ex *check.Exchange) caseResult {
	return func(err error, kind string, ex *check.Exchange) caseResult {
		return caseResult{err: err, kind: kind, ex: ex, write: write}
	}
}

const kindNoResponse = "no response"

// generator is the scenario's generator: the run's seed, the scenario as the stream.
func (gs *generated) generator() (*generate.Generator, error) {
	set, err := gs.s.schemas()
	if err != nil {
		return nil, err
	}
	return generate.New(generate.Config{
		Seed:    gs.s.env.Seed,
		Stream:  gs.s.req + " " + gs.s.name,
		Version: gs.s.env.version(),
		Wild:    gs.s.env.local(),
		Schemas: set,
	}), nil
}

func (gs *generated) cases() int {
	if gs.s.env.Cases > 0 {
		return gs.s.env.Cases
	}
	return DefaultCases(gs.s.env.local())
}

// run sends the cases make draws, in order, and stops at the first failure, which it shrinks and
// records; the step itself fails only when the scenario cannot be carried out.
func (gs *generated) run(ctx context.Context, op operation, draw func(*generate.Generator, int) ([]*generate.Case, error)) error {
	g, err := gs.generator()
	if err != nil {
		return err
	}
	cases, err := draw(g, gs.cases())
	if err != nil {
		return err
	}
	for i, c := range cases {
		gs.sent++
		r := op.run(ctx, c)
		if r.err == nil {
			continue
		}
		if ctx.Err() != nil {
			return r.err
		}
		gs.failure = gs.explain(ctx, g, op, i, len(cases), c, r)
		return nil
	}
	return nil
}

// explain shrinks a failing case and says how to replay and reproduce it.
func (gs *generated) explain(ctx context.Context, g *generate.Generator, op operation, i, n int, c *generate.Case, r caseResult) error {
	small, last, tries := c, r, 0
	if r.kind != kindNoResponse { // every try would wait a whole timeout
		budget, d := shrinkBudget(gs.s.env.local())
		deadline := time.Now().Add(d)
		judge := func(k *generate.Case) (generate.Expect, error) { return g.Judge(op.body, k) }
		small, tries = generate.Shrink(c, judge, func(k *generate.Case) bool {
			if ctx.Err() != nil || time.Now().After(deadline) {
				return false
			}
			kr := op.run(ctx, k)
			if kr.err != nil && kr.kind == r.kind {
				last = kr
				return true
			}
			return false
		}, budget)
	}
	err := check.Within(last.err, fmt.Sprintf("generated case %d of %d (%s)", i+1, n, c.Name))
	f, ok := check.AsFailure(err)
	if !ok {
		return err
	}
	var d []string
	if f.Detail != "" {
		d = append(d, f.Detail)
	}
	why := ""
	if small.Expect.Why != "" {
		why = ": " + small.Expect.Why
	}
	d = append(d, fmt.Sprintf("the body is %s%s", small.Expect.Verdict, why))
	if small != c {
		d = append(d, fmt.Sprintf("shrunk from %d to %d bytes in %d tries; the command sends the shrunk body",
			len(c.Body()), len(small.Body()), tries))
	}
	d = append(d, fmt.Sprintf("replay: --seed %d generates this case again", gs.s.env.Seed))
	secrets := gs.s.env.secrets()
	if last.write != nil {
		d = append(d, "reproduce: "+check.Curl(last.write))
		secrets = append(secrets, last.write.Secrets...)
	}
	if last.ex != nil {
		secrets = append(secrets, last.ex.Secrets...)
	}
	f.Detail = check.Redact(strings.Join(d, "\n"), secrets)
	return f
}

// patch is the operation "PATCH the scenario's assignment": what it must do depends on the verdict.
func (gs *generated) patch() operation {
	s := gs.s
	baseline := s.originalTarget
	read := func(ctx context.Context) (*check.Exchange, any, error) {
		ex, err := s.send(ctx, http.MethodGet, s.assignmentURL(), nil, requestMods{})
		if err != nil {
			return ex, nil, err
		}
		if err := check.Status(ex, http.StatusOK); err != nil {
			return ex, nil, check.Within(err, "reading the assignment back")
		}
		doc, err := check.DecodeJSON(ex.Body)
		if err != nil {
			return ex, nil, check.Within(check.JSONPointer(ex, "/target", "a target"), "reading the assignment back")
		}
		t, _ := check.Resolve(doc, "/target")
		return ex, t, nil
	}
	restore := func(ctx context.Context) {
		body, _ := json.Marshal(map[string]any{"target": baseline})
		_, _ = s.send(ctx, http.MethodPatch, s.assignmentURL(), body, requestMods{})
	}
	return operation{
		body: schema.AssignmentPatch,
		run: func(ctx context.Context, c *generate.Case) caseResult {
			s.wrote = true
			ex, err := s.send(ctx, http.MethodPatch, s.assignmentURL(), c.Body(), requestMods{})
			failed := failing(ex)
			if err != nil {
				return failed(err, kindNoResponse, ex)
			}
			switch c.Expect.Verdict {
			case generate.Accept:
				if err := check.Success(ex); err != nil {
					return failed(err, statusKind(ex), ex)
				}
				sent := c.Node.Value(generate.LastWins).(map[string]any)
				if len(strings.TrimSpace(string(ex.Body))) > 0 {
					if err := echoes(ex, sent); err != nil {
						return failed(check.Within(err, "the response does not echo the body sent"), "echo", ex)
					}
				}
				rex, got, err := read(ctx)
				if err != nil {
					return failed(err, "read back", rex)
				}
				baseline = got
				if err := echoes(rex, sent); err != nil {
					return failed(check.Within(err, "a GET does not return what was stored"), "read back", rex)
				}
			case generate.Reject:
				if err := check.Status(ex, http.StatusBadRequest); err != nil {
					return failed(err, statusKind(ex), ex)
				}
				set, err := s.schemas()
				if err != nil {
					return failed(err, "schemas", ex)
				}
				if err := check.Schema(ex, set, s.env.version(), schema.Error); err != nil {
					return failed(err, "error body", ex)
				}
				rex, got, err := read(ctx)
				if err != nil {
					return failed(err, "read back", rex)
				}
				if !check.Equal(got, baseline) {
					restore(ctx)
					return failed(check.Within(check.JSONPointer(rex, "/target", baseline), "the refused body changed the assignment"),
						"changed", rex)
				}
			case generate.Either:
				if err := check.NotServerError(ex); err != nil {
					return failed(err, "server error", ex)
				}
				rex, got, err := read(ctx)
				if err != nil {
					return failed(err, "read back", rex)
				}
				var readings []any
				for _, a := range c.Expect.Alternatives {
					if m, ok := a.(map[string]any); ok {
						readings = append(readings, m["target"])
					}
				}
				if err := check.OneOf(rex, "/target", readings, []any{baseline}, declaredTargetType); err != nil {
					restore(ctx)
					return failed(check.Within(err, "the target is neither the one before nor one reading of the body"), "changed", rex)
				}
				baseline = got
				if r := gs.onlyTheAssignment(ctx); r.err != nil {
					r.write = ex
					return r
				}
			}
			return caseResult{}
		},
	}
}

// onlyTheAssignment: the configuration still lists exactly the scenario's assignment (nothing was
// created or removed beside it).
func (gs *generated) onlyTheAssignment(ctx context.Context) caseResult {
	failed := failing(nil)
	ex, ids, err := gs.s.awaitAssignmentIDs(ctx)
	if err != nil {
		return failed(err, "unrelated state", ex)
	}
	if err := gs.s.onlyAssignment(ex, ids); err != nil {
		return failed(err, "unrelated state", ex)
	}
	return caseResult{}
}

// collectionIDs lists the ids in a collection response's "value".
func collectionIDs(ex *check.Exchange) ([]string, error) {
	doc, err := check.DecodeJSON(ex.Body)
	if err != nil {
		return nil, failure(ex, "a JSON collection body", "a body that is not JSON")
	}
	items, _ := check.Resolve(doc, "/value")
	list, ok := items.([]any)
	if !ok {
		return nil, failure(ex, `a "value" array`, "none")
	}
	ids := make([]string, 0, len(list))
	for _, it := range list {
		m, _ := it.(map[string]any)
		id, _ := m["id"].(string)
		ids = append(ids, id)
	}
	return ids, nil
}

// echoes: the body holds the target sent (as ECA-UPDATE-101 compares it) and every other member sent.
func echoes(ex *check.Exchange, sent map[string]any) error {
	if t, ok := sent["target"]; ok {
		if err := holds(ex, "/target", t, declaredTargetType); err != nil {
			return err
		}
	}
	rest := map[string]any{}
	for k, v := range sent {
		if k != "target" {
			rest[k] = v
		}
	}
	if len(rest) == 0 {
		return nil
	}
	return holds(ex, "", rest, entityType)
}

// holds is check.Contains, except that a member sent as null may come back null or not at all: a
// nullable property without a value, either way.
func holds(ex *check.Exchange, pointer string, want any, declared string) error {
	m, isObj := want.(map[string]any)
	if !isObj {
		return check.Contains(ex, pointer, want, declared)
	}
	w, nulls := withoutNulls(m, pointer)
	if err := check.Contains(ex, pointer, w, declared); err != nil {
		return err
	}
	doc, err := check.DecodeJSON(ex.Body)
	if err != nil {
		return check.JSONPointer(ex, pointer, want) // says why the body is not JSON
	}
	for _, ptr := range nulls {
		if v, ok := check.Resolve(doc, ptr); ok && v != nil {
			return check.JSONPointer(ex, ptr, nil)
		}
	}
	return nil
}

// withoutNulls copies m without its null members, at any depth, and lists their pointers.
func withoutNulls(m map[string]any, prefix string) (map[string]any, []string) {
	out := make(map[string]any, len(m))
	var nulls []string
	for k, v := range m {
		ptr := prefix + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
		switch x := v.(type) {
		case nil:
			nulls = append(nulls, ptr)
		case map[string]any:
			inner, n := withoutNulls(x, ptr)
			out[k] = inner
			nulls = append(nulls, n...)
		default:
			out[k] = v
		}
	}
	return out, nulls
}

func statusKind(ex *check.Exchange) string {
	if ex.Status >= 500 {
		return "server error"
	}
	return "status"
}

// create is the operation "POST to url": the body must be created as sent and read back exactly at
// the new entity's URL; the entity is deleted after the scenario.
func (gs *generated) create(collection string, name schema.Name, pointer, declared string) operation {
	s := gs.s
	return operation{
		body: name,
		run: func(ctx context.Context, c *generate.Case) caseResult {
			// As any create, awaited once sent even when the run stops meanwhile (send), so it can be deleted.
			ex, err := s.send(ctx, http.MethodPost, collection, c.Body(), requestMods{})
			failed := failing(ex)
			if err != nil {
				return failed(err, kindNoResponse, ex)
			}
			if err := check.Success(ex); err != nil {
				return failed(err, statusKind(ex), ex)
			}
			id, err := s.createdFrom(ex, "/id") // deleted after the scenario
			if err != nil {
				if !s.createdAbove(collection) {
					s.leftover("POST %s answered %d with no usable id, so what it created was not deleted: %s", collection, ex.Status, firstLine(err, ex))
				}
				return failed(err, "echo", ex)
			}
			sent := c.Node.Value(generate.LastWins).(map[string]any)
			want := any(sent)
			if pointer != "" {
				want, _ = check.Resolve(sent, pointer)
			}
			if err := holds(ex, pointer, want, declared); err != nil {
				return failed(check.Within(err, "the response does not echo the body sent"), "echo", ex)
			}
			rex, err := s.send(ctx, http.MethodGet, collection+"/"+segment(id), nil, requestMods{})
			if err != nil {
				return failed(err, kindNoResponse, rex)
			}
			if err := check.Status(rex, http.StatusOK); err != nil {
				return failed(check.Within(err, "reading the created entity back"), "read back", rex)
			}
			if err := holds(rex, pointer, want, declared); err != nil {
				return failed(check.Within(err, "a GET does not return what was created"), "read back", rex)
			}
			return caseResult{}
		},
	}
}
