// Package suite runs the conformance suite: one constructor for `go test`
// and the graphconform CLI. It builds the godog TestSuite over the embedded
// (or given) features, the step definitions in package steps and a target,
// and returns a result requirement by requirement.
package suite

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"

	"github.com/graphconform/graphconform/features"
	"github.com/graphconform/graphconform/fixtures"
	"github.com/graphconform/graphconform/internal/syncio"
	"github.com/graphconform/graphconform/internal/target"
	"github.com/graphconform/graphconform/steps"
)

// Options configure one run.
type Options struct {
	Target   *target.Target // required
	Features fs.FS          // feature files (any layout; every *.feature is read); nil: the embedded ones
	Fixtures fs.FS          // laid out as fixtures/; nil: the embedded ones
	Tags     string         // godog tag expression, e.g. "@must && ~@needs:read-token"
	// Formats are godog formatter specs: "pretty", "progress", "junit",
	// "cucumber", each optionally ":FILE". Specs without a file write to
	// Output. None: godog prints nothing (the caller reports from Result).
	Formats []string
	Output  io.Writer // nil: os.Stdout (only used by formats without a file)
	Colors  bool      // ANSI colours in godog's console output

	// Concurrency is how many scenarios run at once. 0: 4 for a disposable
	// target, 1 for anything else and whenever ConfigID is given (scenarios
	// then share one assignment).
	Concurrency int
	// ConfigID and AssignmentID: use these existing resources instead of
	// provisioning new ones (both or neither).
	ConfigID, AssignmentID string
	// AllowWrites is the user's consent to write to a target that is not
	// disposable. Run refuses such a target without it, before any request.
	AllowWrites bool
	Timeout     time.Duration // per request; 0: target.DefaultTimeout
	Seed        int64         // scenario order; 0: a random seed (reported in Result.Seed)
	TestingT    *testing.T    // optional: run each scenario as a subtest
}

// Statuses of a scenario.
const (
	StatusPassed    = "passed"
	StatusFailed    = "failed"
	StatusSkipped   = "skipped"
	StatusUndefined = "undefined"
	StatusPending   = "pending"
)

// Requirement is the outcome of one scenario; a Scenario Outline gives one
// per example row, all with the same ID.
type Requirement struct {
	ID        string // ECA-UPDATE-001
	Level     string // MUST or SHOULD
	Statement string // the RFC 2119 sentence under the scenario title
	Scenario  string // the scenario's name (an outline's row filled in)
	Feature   string // the feature file it comes from
	Status    string // passed, failed, skipped, undefined, pending
	// Reason says why it failed (requirement id, "got X; want Y", detail) or
	// was skipped; the evidence is separate. Redacted.
	Reason string
	// Evidence is the rendered request line, status, relevant headers and
	// body excerpt of the failing exchange. Redacted.
	Evidence string
}

// Result is the outcome of a run, requirement by requirement.
type Result struct {
	Requirements []Requirement // sorted by ID, then scenario name
	Seed         int64         // reuse with Options.Seed to replay the order
	RunID        string        // in the displayName of everything the run created
	Concurrency  int
	Duration     time.Duration
	// Leftovers lists what the run created and could not delete (or could
	// not restore), for the user to clean up (graphconform sweep).
	Leftovers []string
	godogCode int
}

// ExitCode is 0 when every selected scenario passed or was skipped, 1 otherwise.
func (r *Result) ExitCode() int {
	if r.godogCode != 0 || len(r.Failed()) > 0 {
		return 1
	}
	return 0
}

// Failed lists the scenarios that failed, were undefined or pending.
func (r *Result) Failed() []Requirement {
	var out []Requirement
	for _, q := range r.Requirements {
		if q.Status != StatusPassed && q.Status != StatusSkipped {
			out = append(out, q)
		}
	}
	return out
}

// FailedIDs lists the distinct requirement ids that did not pass, sorted.
func (r *Result) FailedIDs() []string {
	seen := map[string]bool{}
	var ids []string
	for _, q := range r.Failed() {
		if !seen[q.ID] {
			seen[q.ID] = true
			ids = append(ids, q.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

// Count returns how many scenarios ended with status.
func (r *Result) Count(status string) int {
	n := 0
	for _, q := range r.Requirements {
		if q.Status == status {
			n++
		}
	}
	return n
}

// Run runs the selected scenarios against opts.Target. An error means the
// run could not be made (bad options, unreadable features); a failing
// target is a Result with ExitCode 1.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if err := validate(&opts); err != nil {
		return nil, err
	}
	inv, err := inventory(opts.Features, opts.Tags)
	if err != nil {
		return nil, err
	}
	runID, err := newRunID()
	if err != nil {
		return nil, err
	}
	res := &Result{RunID: runID, Seed: opts.Seed, Concurrency: opts.Concurrency}
	if len(inv.pickles) == 0 {
		return res, nil
	}
	if res.Seed == 0 {
		res.Seed = randomSeed()
	}

	col := newCollector(inv)
	env := &steps.Env{
		Target:       opts.Target,
		Fixtures:     opts.Fixtures,
		ConfigID:     opts.ConfigID,
		AssignmentID: opts.AssignmentID,
		RunID:        runID,
		Timeout:      opts.Timeout,
		Leftover:     col.leftover,
	}
	format, out, err := formats(opts)
	if err != nil {
		return nil, err
	}
	ts := godog.TestSuite{
		Name: "graphconform",
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			steps.Register(sc, env)
			col.register(sc)
		},
		Options: &godog.Options{
			Strict:         true, // an undefined or pending step fails the run
			Randomize:      res.Seed,
			Concurrency:    opts.Concurrency,
			Tags:           opts.Tags,
			Paths:          []string{"."},
			FS:             opts.Features,
			Format:         format,
			Output:         out,
			NoColors:       !opts.Colors,
			DefaultContext: ctx,
			TestingT:       opts.TestingT,
		},
	}
	started := time.Now()
	res.godogCode = ts.Run()
	res.Duration = time.Since(started)
	if res.godogCode == 2 {
		return nil, errors.New("godog refused its options (see its message on stderr)")
	}
	res.Requirements, res.Leftovers = col.result(opts.Target.Secrets)
	return res, nil
}

func validate(opts *Options) error {
	t := opts.Target
	if t == nil {
		return errors.New("no target")
	}
	if t.BaseURL == "" || t.Writer == nil {
		return errors.New("target has no base URL or no token")
	}
	if !t.Disposable && !opts.AllowWrites {
		return fmt.Errorf("refusing to run against %s without consent: the suite creates, changes and deletes resources there (names starting %q, or the ids you give); pass --allow-writes to allow it", t.BaseURL, steps.NamePrefix)
	}
	if (opts.ConfigID == "") != (opts.AssignmentID == "") {
		return errors.New("give both a configuration id and an assignment id, or neither")
	}
	if opts.Concurrency < 0 {
		return fmt.Errorf("concurrency %d is negative", opts.Concurrency)
	}
	if opts.Concurrency == 0 {
		opts.Concurrency = 1
		if t.Disposable && opts.ConfigID == "" {
			opts.Concurrency = 4
		}
	}
	if opts.ConfigID != "" && opts.Concurrency > 1 {
		return fmt.Errorf("concurrency %d with a given assignment: scenarios would race on the one assignment; use 1", opts.Concurrency)
	}
	if err := checkTags(opts.Tags); err != nil {
		return err
	}
	if opts.Features == nil {
		opts.Features = features.FS
	}
	if opts.Fixtures == nil {
		opts.Fixtures = fixtures.FS
	}
	return nil
}

// checkTags accepts godog's tag filter syntax: "@a && ~@b" (and, not),
// alternatives separated by commas (or). godog itself panics on an empty
// term and silently matches nothing on Cucumber-style "and/or/not" words.
func checkTags(expr string) error {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	const want = `want godog's syntax: "@a && ~@b" (and, not), alternatives separated by commas (or), e.g. "@must && ~@needs:read-token,@req:ECA-UPDATE-101"`
	for _, alt := range strings.Split(expr, ",") {
		for _, term := range strings.Split(alt, "&&") {
			t := strings.TrimSpace(term)
			name := strings.TrimPrefix(strings.TrimPrefix(t, "~"), "@")
			switch {
			case name == "":
				return fmt.Errorf("tags %q: an empty term; %s", expr, want)
			case strings.ContainsAny(t, " ()|!\t"):
				return fmt.Errorf("tags %q: term %q is not a tag; %s", expr, t, want)
			}
		}
	}
	return nil
}

// formats turns Options.Formats into godog's Format string, checking names
// and files first (godog itself would only print to stderr and give up).
func formats(opts Options) (string, io.Writer, error) {
	out := opts.Output
	if out == nil {
		out = os.Stdout
	}
	specs := opts.Formats
	if len(specs) == 0 {
		// godog needs a formatter; this one writes nowhere.
		return "progress", io.Discard, nil
	}
	available := formatters.AvailableFormatters()
	for _, spec := range specs {
		name, file, hasFile := strings.Cut(spec, ":")
		if _, ok := available[name]; !ok || name == "" {
			names := make([]string, 0, len(available))
			for n := range available {
				names = append(names, n)
			}
			sort.Strings(names)
			return "", nil, fmt.Errorf("unknown format %q; want one of %s, optionally followed by :FILE", spec, strings.Join(names, ", "))
		}
		if strings.Contains(spec, ",") {
			return "", nil, fmt.Errorf("format %q: one format per entry", spec)
		}
		if hasFile {
			if file == "" {
				return "", nil, fmt.Errorf("format %q: empty file name after ':'", spec)
			}
			f, err := os.Create(file)
			if err != nil {
				return "", nil, fmt.Errorf("format %q: %w", spec, err)
			}
			f.Close()
		}
	}
	return strings.Join(specs, ","), syncio.NewWriter(out), nil
}

func newRunID() (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("run id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func randomSeed() int64 {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	var n int64
	for _, x := range b[:7] {
		n = n<<8 | int64(x)
	}
	if n == 0 {
		n = 1
	}
	return n
}
