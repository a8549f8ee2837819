package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/report"
)

// Target kinds, as --target spells them (a URL is the third kind, "remote").
const (
	kindEmbedded  = "embedded"
	kindContainer = "container"
	kindRemote    = "remote"
)

// Environment variables the run command reads. Flags win over them.
const (
	envTarget      = "GRAPHCONFORM_TARGET"
	envToken       = "GRAPH_TOKEN"
	envReadToken   = "GRAPH_READ_TOKEN"
	envAllowWrites = "GRAPHCONFORM_ALLOW_WRITES"
	// envContainerImage names a prebuilt graphmock image (make image tags graphconform/graphmock:latest) for a
	// graphconform binary used away from its checkout, where the image cannot be built from source.
	envContainerImage = "GRAPHCONFORM_CONTAINER_IMAGE"
)

const defaultTimeout = 30 * time.Second

// defaultDeadline bounds a whole run: a full run against a real tenant takes minutes, throttled retries
// included; past half an hour it is stuck, and what is left is better reported as not run.
const defaultDeadline = 30 * time.Minute

// formats godog can write, as --format names them.
var knownFormats = []string{"pretty", "progress", "junit", "cucumber"}

// usageError is a mistake in the command line or the environment: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// formatSpec is one --format value: a godog formatter and the file it writes (empty: the output stream).
type formatSpec struct {
	Name string
	File string
}

func (f formatSpec) String() string {
	if f.File == "" {
		return f.Name
	}
	return f.Name + ":" + f.File
}

// runConfig is the run command's command line and environment, checked.
type runConfig struct {
	Target      string // embedded, container, or the URL as given (graphconformtest checks it)
	Kind        string // embedded, container, remote
	Token       string
	ReadToken   string
	Tags        string
	Formats     []formatSpec
	FeaturesDir string
	ConfigID    string
	AssignID    string
	AllowWrites bool
	// SkipPreflight leaves out the first authenticated read that tells a configuration problem from a
	// conformance one (graphconformtest.SkipPreflight).
	SkipPreflight bool
	Timeout       time.Duration
	Deadline      time.Duration // of the whole run
	Concurrency   int           // as given; see concurrency()
	Seed          int64         // scenario order and generated bodies; 0: random
	Cases         int           // generated bodies per scenario, when set
	Convergence   time.Duration // how long a list may lag a write, when set
	Reports       []string
	// Baseline is the known failures (--baseline), read before the run; nil without one.
	Baseline *report.Baseline
	// Bundle is where to write the certification bundle (--bundle): a directory, or a .tar.gz file.
	Bundle string
	set    map[string]bool // the flags given
}

// multiFlag collects a repeatable flag whose values may also be comma separated.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*m = append(*m, part)
		}
	}
	return nil
}

// runFlags are the flag values before checking, kept apart from the FlagSet so extensions can be added.
type runFlags struct {
	target, token, readToken, tags, features, configID, assignID string
	baseline, bundle                                             string
	formats, reports                                             multiFlag
	allowWrites, showVersion, skipPreflight                      bool
	timeout, deadline                                            time.Duration
	concurrency, cases                                           int
	seed                                                         int64
	convergence                                                  time.Duration
}

func newRunFlagSet(rf *runFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("graphconform run", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by the caller, usage only on -h
	// No flag takes its default from the environment: flag prints defaults in its usage text, and a token must
	// never be printed. The environment is read after parsing.
	fs.StringVar(&rf.target, "target", "", "embedded (default), container, or the service's `URL` up to and including the version segment, e.g. https://graph.microsoft.com/v1.0 (env "+envTarget+")")
	fs.StringVar(&rf.token, "token", "", "bearer `token` for a URL target (env "+envToken+"; prefer the environment: a flag shows in the process list)")
	fs.StringVar(&rf.readToken, "read-token", "", "bearer `token` with read scopes only, for the 403 requirement (env "+envReadToken+"); without it that scenario is skipped")
	fs.StringVar(&rf.tags, "tags", "", "run only scenarios matching the tag `expression`, e.g. '@must', '~@should', '@req:ECA-UPDATE-001'")
	fs.Var(&rf.formats, "format", "output `format`: pretty, progress (default), junit, cucumber; each optionally :FILE; repeatable or comma separated")
	fs.StringVar(&rf.features, "features", "", "run `DIR`/features with the fixtures in DIR/fixtures instead of the embedded ones")
	fs.StringVar(&rf.configID, "config-id", "", "use this existing enrollment configuration `id` instead of creating one")
	fs.StringVar(&rf.assignID, "assignment-id", "", "use this existing assignment `id` (with --config-id) instead of creating one")
	fs.BoolVar(&rf.allowWrites, "allow-writes", false, "let the suite create, change and delete resources on a URL target (env "+envAllowWrites+"=1); required for every URL target")
	fs.DurationVar(&rf.timeout, "timeout", defaultTimeout, "time limit of each request")
	fs.DurationVar(&rf.deadline, "deadline", defaultDeadline, "time limit of the whole run: when it passes, no request is sent any more, the scenarios not yet run are reported not run, and the run cleans up")
	fs.IntVar(&rf.concurrency, "concurrency", 0, "scenarios run at once (default 4 against a mock, 1 against a URL or with --config-id)")
	fs.Int64Var(&rf.seed, "seed", 0, "order the scenarios and generate their bodies with this `seed` (a run prints its seed; default random)")
	fs.IntVar(&rf.cases, "generated-cases", 0, "`N` bodies per scenario of generated bodies (default 10 against a mock, 2 against a URL)")
	fs.DurationVar(&rf.convergence, "convergence-window", 0, "how long a list may take to show a write (default none against a mock, 30s against a URL)")
	fs.Var(&rf.reports, "report", "write the conformance report to `FILE` (.json or .md); repeatable")
	fs.StringVar(&rf.baseline, "baseline", "", "compare with the known failures in `FILE` (a JSON report of an earlier run, or one requirement id per line with why it fails): exit 0 unless a requirement fails that it does not list")
	fs.StringVar(&rf.bundle, "bundle", "", "write a certification bundle to `DIR` (or DIR.tar.gz): the reports, JUnit, every scenario's transcript, a manifest and a SHA-256 of each file (check it with graphconform verify)")
	fs.BoolVar(&rf.skipPreflight, "skip-preflight", false, "send no first read of the collection to tell a wrong URL or token from a failing service (for a service that answers 401 or 403 to a valid token)")
	fs.BoolVar(&rf.showVersion, "version", false, "print the version and exit")
	return fs
}

// check turns parsed flags and the environment into a runConfig, or a usageError saying what is wrong with the
// command line itself. What the values mean for a run (a URL, ids, concurrency, a timeout, tags) is checked by
// graphconformtest, once, and its *ConfigError is mapped back to the flag (configLine).
func (rf *runFlags) check(fs *flag.FlagSet, env func(string) string) (*runConfig, error) {
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q (flags only; see graphconform run -h)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	pick := func(name, flagValue, envName string) string {
		if set[name] {
			return flagValue
		}
		return strings.TrimSpace(env(envName))
	}
	cfg := &runConfig{
		Target:        pick("target", rf.target, envTarget),
		Token:         pick("token", rf.token, envToken),
		ReadToken:     pick("read-token", rf.readToken, envReadToken),
		Tags:          strings.TrimSpace(rf.tags),
		FeaturesDir:   rf.features,
		ConfigID:      strings.TrimSpace(rf.configID),
		AssignID:      strings.TrimSpace(rf.assignID),
		AllowWrites:   rf.allowWrites,
		SkipPreflight: rf.skipPreflight,
		Timeout:       rf.timeout,
		Deadline:      rf.deadline,
		Concurrency:   rf.concurrency,
		Seed:          rf.seed,
		Cases:         rf.cases,
		Convergence:   rf.convergence,
		Reports:       rf.reports,
		set:           set,
	}
	if !set["allow-writes"] {
		if v := strings.TrimSpace(env(envAllowWrites)); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, usagef("%s=%q: want 1 or 0", envAllowWrites, v)
			}
			cfg.AllowWrites = b
		}
	}
	if cfg.Deadline <= 0 {
		return nil, usagef("--deadline %s: want a positive duration, such as 30m", cfg.Deadline)
	}
	if err := cfg.checkTarget(); err != nil {
		return nil, err
	}
	if err := cfg.checkFormats(rf.formats); err != nil {
		return nil, err
	}
	if err := cfg.checkFiles(); err != nil {
		return nil, err
	}
	if rf.baseline != "" {
		b, err := report.ReadBaseline(rf.baseline)
		if err != nil {
			return nil, usagef("--baseline: %s", err)
		}
		cfg.Baseline = b
	}
	if rf.bundle != "" {
		if err := checkBundlePath(rf.bundle); err != nil {
			return nil, usagef("--bundle %s: %s", rf.bundle, err)
		}
		cfg.Bundle = rf.bundle
	}
	if cfg.FeaturesDir != "" {
		if fi, err := os.Stat(filepath.Join(cfg.FeaturesDir, "features")); err != nil || !fi.IsDir() {
			return nil, usagef("--features %s: no directory %s", cfg.FeaturesDir, filepath.Join(cfg.FeaturesDir, "features"))
		}
	}
	// Calling graphconformtest.Check is the caller's consent to write; for the command line, --allow-writes is.
	// This is the one place that policy lives: the embedded and container mocks are the tool's own, disposable.
	if cfg.Kind == kindRemote && !cfg.AllowWrites {
		return nil, usagef("refusing to run against %s without --allow-writes: the suite creates, updates and deletes enrollment configurations and assignments there (pass --allow-writes or set %s=1)", cfg.Target, envAllowWrites)
	}
	return cfg, nil
}

// checkTarget tells the kind of target --target names. A URL is checked by graphconformtest; this only tells
// one from the other kinds (and never repeats the value: it may carry a credential).
func (cfg *runConfig) checkTarget() error {
	switch strings.ToLower(cfg.Target) {
	case "", kindEmbedded:
		cfg.Target, cfg.Kind = kindEmbedded, kindEmbedded
		return nil
	case kindContainer:
		cfg.Target, cfg.Kind = kindContainer, kindContainer
		return nil
	}
	if !strings.Contains(cfg.Target, "://") {
		return usagef("--target: want embedded, container, or the service's URL up to and including the version segment, e.g. https://graph.microsoft.com/v1.0")
	}
	cfg.Kind = kindRemote
	return nil
}

// concurrency is the --concurrency option for the run: as given, else 1 against a URL (a service that may
// throttle, and whose owner pays for the load), else graphconformtest's default (4 against the mock, 1 with
// --config-id).
// generation passes --generated-cases and --convergence-window on when given (graphconformtest checks them).
func (cfg *runConfig) generation() []graphconformtest.Option {
	var opts []graphconformtest.Option
	if cfg.set["generated-cases"] {
		opts = append(opts, graphconformtest.GeneratedCases(cfg.Cases))
	}
	if cfg.set["convergence-window"] {
		opts = append(opts, graphconformtest.ConvergenceWindow(cfg.Convergence))
	}
	return opts
}

func (cfg *runConfig) concurrency() []graphconformtest.Option {
	switch {
	case cfg.set["concurrency"]:
		return []graphconformtest.Option{graphconformtest.Concurrency(cfg.Concurrency)}
	case cfg.Kind == kindRemote:
		return []graphconformtest.Option{graphconformtest.Concurrency(1)}
	}
	return nil
}

func (cfg *runConfig) checkFormats(values []string) error {
	if len(values) == 0 {
		values = []string{"progress"}
	}
	toStream := 0
	for _, v := range values {
		name, file, _ := strings.Cut(v, ":")
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.Contains(knownFormats, name) {
			return usagef("--format %q: want one of %s, each optionally :FILE", v, strings.Join(knownFormats, ", "))
		}
		if file == "" {
			toStream++
		}
		cfg.Formats = append(cfg.Formats, formatSpec{Name: name, File: file})
	}
	if toStream > 1 {
		return usagef("--format: at most one format may write to the console; give the others a file (junit:report.xml)")
	}
	return nil
}

// checkFiles makes sure every output file can be written before any request is sent, and that no two outputs
// share a file.
func (cfg *runConfig) checkFiles() error {
	seen := map[string]string{}
	claim := func(path, what string) error {
		abs, err := filepath.Abs(path)
		if err != nil {
			return usagef("%s %s: %v", what, path, err)
		}
		if other, dup := seen[abs]; dup {
			return usagef("%s and %s both write %s", other, what, path)
		}
		seen[abs] = what
		dir := filepath.Dir(abs)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return usagef("%s %s: directory %s does not exist", what, path, dir)
		}
		return nil
	}
	for _, f := range cfg.Formats {
		if f.File != "" {
			if err := claim(f.File, "--format "+f.Name); err != nil {
				return err
			}
		}
	}
	for _, r := range cfg.Reports {
		if _, err := report.KindOf(r); err != nil {
			return &usageError{msg: "--report: " + err.Error()}
		}
		if err := claim(r, "--report"); err != nil {
			return err
		}
	}
	return nil
}

// errorLine renders an error for stderr in one line.
func errorLine(err error) string {
	var ue *usageError
	if errors.As(err, &ue) {
		return ue.msg
	}
	var pe *graphconformtest.PreflightError
	if errors.As(err, &pe) {
		return preflightLine(pe)
	}
	var ce *graphconformtest.ConfigError
	if errors.As(err, &ce) {
		return configLine(ce)
	}
	return oneLine(err.Error())
}
