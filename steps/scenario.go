// Package steps holds the godog step definitions: thin handlers over
// internal/check, one file per concept. Every scenario gets its own state
// (a *scenario built by Register, called from the scenario initializer), so
// scenarios can run concurrently and in any order.
package steps

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/schema"
)

// Env is what every scenario of one run shares (read-only while it runs).
// Package graphconformtest builds it from a graphconformtest.Target and the
// run's options, after checking them; that is the way to run the steps.
// Register expects an Env as graphconformtest makes it: a base URL without a
// trailing slash, a token function, a client with the timeouts and retries
// the run wants.
type Env struct {
	// BaseURL is the service root up to and including the version segment,
	// without a trailing slash.
	BaseURL string
	// Client sends every request (nil: http.DefaultClient).
	Client *http.Client
	// Token returns the read/write bearer token for the next request.
	Token func(ctx context.Context) (string, error)
	// ReadToken returns a read-only token; nil: the scenarios that need one
	// are skipped with the reason.
	ReadToken func(ctx context.Context) (string, error)
	// Secrets returns the values to keep out of every rendering of an
	// exchange, besides the token the request carries (nil: none). It is
	// called for every request, so a token refreshed during the run is
	// covered from then on.
	Secrets  func() []string
	Fixtures fs.FS // laid out as fixtures/ is
	// ConfigID and AssignmentID name existing resources to use instead of
	// provisioning; both or neither.
	ConfigID, AssignmentID string
	RunID                  string        // names what the run creates: graphconform-<RunID>-...
	Timeout                time.Duration // per request; 0: DefaultTimeout
	// Leftover is told about every resource the scenario could not delete or
	// restore after it ran (nil: ignored). Called from scenario goroutines.
	Leftover func(msg string)
	// LostCreate is told the displayName of every enrollment configuration
	// the scenario POSTed without learning the outcome (no answer within the
	// timeout, the answer cut off, a 504): the service may have created it,
	// and only its name can find it. The run looks it up by that name before
	// it ends (nil: it is reported as a leftover). Called from scenario
	// goroutines.
	LostCreate func(name string)
	// Transcript is given, once the scenario and its cleanup are over, every
	// exchange it had, rendered and redacted, and when it failed a bash
	// script that replays them with curl (nil: ignored). scenarioID is
	// godog's id of the scenario. Called from scenario goroutines.
	Transcript func(scenarioID, transcript, replay string)
	// Seed is the run's seed; generated bodies derive from it and the
	// scenario, so one seed replays a run exactly (steps/generated.go).
	Seed int64
	// Cases is how many bodies a generated scenario sends; 0: DefaultCases.
	Cases int
	// Convergence is how long a collection may lag a write it shows; 0:
	// DefaultConvergence; negative: not at all (steps/convergence.go).
	Convergence time.Duration
}

// DefaultTimeout bounds one request when Env.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// version is the base URL's last segment ("v1.0", "beta", "localtest").
func (e *Env) version() string {
	return e.BaseURL[strings.LastIndex(e.BaseURL, "/")+1:]
}

func (e *Env) secrets() []string {
	if e.Secrets == nil {
		return nil
	}
	return e.Secrets()
}

func (e *Env) client() *http.Client {
	if e.Client != nil {
		return e.Client
	}
	return http.DefaultClient
}

// Requirement tag prefix and level tags.
const (
	ReqTagPrefix      = "@req:"
	OpTagPrefix       = "@op:" // the operation a feature checks, such as @op:enrollmentConfigurationAssignment.update
	TagMust           = "@must"
	TagShould         = "@should"
	TagNeedsReadToken = "@needs:read-token"
)

// scenario is the state of one scenario.
type scenario struct {
	env  *Env
	name string
	req  string // requirement id, from the @req: tag

	// The resources the scenario works on.
	configID, assignmentID string
	givenAssignment        bool // assignmentID is the user's (Env.AssignmentID): restored, never deleted
	originalTarget         any  // the assignment's target before the scenario changed anything
	wrote                  bool // a request that may change state was sent
	created                []created
	// subjectID is the entity the example is about: the one its path (or
	// collection) addresses, or the one its POST created.
	subjectID string
	// overrides are the values the scenario gave an entity instead of the
	// example's (a graphconform- displayName, a concrete @odata.type): the
	// entity as the service should hold it is the example with these applied.
	overrides map[string]any

	// What the next requests address: the scenario's resources unless a
	// step points elsewhere (an unknown id).
	addr struct{ configID, assignmentID string }
	// Modifiers for the next request the scenario sends (see request.go).
	next requestMods

	// What was sent and what came back.
	sent any             // decoded body of the last request sent with a body (nil when not JSON)
	last *check.Exchange // last exchange the Then steps look at
	// Every exchange of the scenario, its cleanup's included (http.go).
	transcript check.Transcript
}

// Register adds the step definitions and hooks for one scenario to sc.
func Register(sc *godog.ScenarioContext, env *Env) {
	s := &scenario{env: env}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.name = p.Name
		for _, t := range p.Tags {
			if id, ok := strings.CutPrefix(t.Name, ReqTagPrefix); ok {
				s.req = id
			}
		}
		return ctx, nil
	})
	// The hooks run in the order they are added: this one before the cleanups
	// (provisioning.go), handOver after them.
	sc.After(func(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
		s.transcript.Cleanup()
		return ctx, nil
	})
	// Every failure names its requirement. The *check.Failure is changed in
	// place: a hook returning err again would have godog print it twice.
	sc.StepContext().After(func(ctx context.Context, _ *godog.Step, _ godog.StepResultStatus, err error) (context.Context, error) {
		check.Attribute(err, s.req)
		return ctx, nil
	})
	s.registerProvisioning(sc)
	s.registerRequest(sc)
	s.registerResponse(sc)
	s.registerBody(sc)
	s.registerReadBack(sc)
	s.registerCreated(sc)
	s.registerGenerated(sc)
	s.registerConcurrency(sc)
	s.registerNegotiation(sc)
	s.registerPermissions(sc)
	s.registerKey(sc)
	s.registerConvergence(sc)
	sc.After(s.handOver)
}

// handOver gives the run the scenario's transcript and, when the scenario
// failed, its replay script.
func (s *scenario) handOver(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
	if s.env.Transcript == nil || s.transcript.Len() == 0 {
		return ctx, nil
	}
	var replay string
	if err != nil && !errors.Is(err, godog.ErrSkip) {
		title := s.name
		if s.req != "" {
			title = s.req + " " + title
		}
		replay = s.transcript.Script(check.ReplayOptions{
			Title: title, Finding: check.Headline(err), BaseURL: s.env.BaseURL, NamePrefix: NamePrefix, RunID: s.env.RunID,
		})
	}
	s.env.Transcript(p.Id, s.transcript.String(), replay)
	return ctx, nil
}

func (s *scenario) schemas() (*schema.Set, error) { return schema.Default() }

func (s *scenario) timeout() time.Duration {
	if s.env.Timeout > 0 {
		return s.env.Timeout
	}
	return DefaultTimeout
}

func (s *scenario) lastExchange() (*check.Exchange, error) {
	if s.last == nil {
		return nil, fmt.Errorf("no request has been sent in this scenario yet")
	}
	return s.last, nil
}

// skip is a skip with its reason: godog reports it skipped, never passed or failed.
func skip(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{godog.ErrSkip}, args...)...)
}
