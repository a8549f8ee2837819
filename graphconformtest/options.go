package graphconformtest

import (
	"io"
	"io/fs"
	"time"
)

// DefaultTimeout bounds one request (retries included) when no Timeout is given.
const DefaultTimeout = 30 * time.Second

// An Option configures a run (Run, Check) or the inventory (Requirements).
type Option func(*config)

// config is every option, as given; prepare checks it.
type config struct {
	tags                   string
	configID, assignmentID string
	existing               bool
	concurrency            int
	concurrencySet         bool
	timeout                time.Duration
	timeoutSet             bool
	features, fixtures     fs.FS
	seed                   int64
	cases                  int
	casesSet               bool
	convergence            time.Duration
	convergenceSet         bool
	secrets                []string
	formats                []string
	formatOut              io.Writer
	skipPreflight          bool
}

// Tags selects the scenarios whose tags match expr, in godog's syntax: "@a && ~@b" (and, not), alternatives
// separated by commas (or). Every scenario carries its level (@must, @should), its requirement
// (@req:ECA-UPDATE-001) and its operation (@op:enrollmentConfigurationAssignment.update); scenarios that need a
// read-only token also carry @needs:read-token. Empty: every scenario.
func Tags(expr string) Option { return func(c *config) { c.tags = expr } }

// Existing makes the scenarios work on an existing enrollment configuration and one of its assignments instead
// of creating their own. An assignment a scenario changed is restored afterwards; the configuration is never
// deleted. The scenarios then share the one assignment, so they run one at a time.
func Existing(configID, assignmentID string) Option {
	return func(c *config) { c.configID, c.assignmentID, c.existing = configID, assignmentID, true }
}

// Concurrency sets how many scenarios run at once (1 or more). Default: 4 against a service on this machine
// (a loopback address, such as a test server or the mock), 1 against any other, and 1 with Existing.
func Concurrency(n int) Option { return func(c *config) { c.concurrency, c.concurrencySet = n, true } }

// Timeout bounds each request, retries included (default DefaultTimeout).
func Timeout(d time.Duration) Option { return func(c *config) { c.timeout, c.timeoutSet = d, true } }

// Features runs the .feature files of fsys (every one, at any depth) instead of the embedded ones (package
// features), such as those the doc generator writes.
func Features(fsys fs.FS) Option { return func(c *config) { c.features = fsys } }

// Fixtures reads the scenarios' example bodies from fsys, laid out as package fixtures is, instead of the
// embedded ones.
func Fixtures(fsys fs.FS) Option { return func(c *config) { c.fixtures = fsys } }

// Seed orders the scenarios by seed and generates their bodies from it, to replay a run exactly
// (Result.Seed); default: a random seed.
func Seed(seed int64) Option { return func(c *config) { c.seed = seed } }

// GeneratedCases sets how many bodies each scenario of generated bodies sends (1 or more): valid ones, and
// invalid ones of one mutation class per scenario, the class's own cases first in a fixed order, then random
// ones. Default: 10 against a service on this machine, 2 against any other (within Graph's throttling budget;
// every class is still sent).
func GeneratedCases(n int) Option { return func(c *config) { c.cases, c.casesSet = n, true } }

// ConvergenceWindow sets how long a collection may take to show a write (a list after a create) before the
// requirement fails; the suite lists again with backoff meanwhile. 0: at once. Default: none against a
// service on this machine, 30 s against any other. Showing it at once is a requirement of its own (SHOULD).
func ConvergenceWindow(d time.Duration) Option {
	return func(c *config) { c.convergence, c.convergenceSet = d, true }
}

// Redact keeps more strings out of every output of the run (reasons, evidence, leftovers, formatter output),
// such as a client secret behind a TokenSource. The tokens the TokenSources return are redacted without it.
func Redact(secrets ...string) Option {
	return func(c *config) { c.secrets = append(c.secrets, secrets...) }
}

// Formats writes godog's own reports as the run goes: each spec is a formatter name (pretty, progress, junit,
// cucumber), optionally followed by ":FILE" to write that file; the specs without a file write to w. The text
// of a failure in them is the same redacted text as in the Result. They are godog's own formatters: its junit
// names scenarios, not requirements, and times them as godog does; graphconform's JUnit (`graphconform run
// --format junit:FILE`) is written from the Result instead.
func Formats(w io.Writer, specs ...string) Option {
	return func(c *config) { c.formats, c.formatOut = append(c.formats, specs...), w }
}
