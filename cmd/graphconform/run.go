package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/graphconform/graphconform/fixtures"
	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/atomicfile"
	"github.com/graphconform/graphconform/internal/report"
	"github.com/graphconform/graphconform/internal/target"
)

// runCommand is `graphconform run`: check the flags, make the target, run the suite (graphconformtest.Check),
// print the summary, write the reports. Nothing is sent anywhere before every flag and file has been checked.
func runCommand(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	rf := &runFlags{}
	fs := newRunFlagSet(rf)
	tf := addTargetFlags(fs, true)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			runUsage(stdout, fs)
			return 0
		}
		fmt.Fprintf(stderr, "graphconform run: %s (see graphconform run -h)\n", flagError(fs, err))
		return 2
	}
	if rf.showVersion {
		fmt.Fprintf(stdout, "graphconform %s\n", toolVersion())
		return 0
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "graphconform run: %s\n", errorLine(err))
		return 2
	}
	cfg, err := rf.check(fs, env)
	if err != nil {
		return fail(err)
	}

	opts := append(cfg.concurrency(),
		graphconformtest.Tags(cfg.Tags),
		graphconformtest.Timeout(cfg.Timeout),
		graphconformtest.Seed(cfg.Seed),
		graphconformtest.Redact(cfg.Token, cfg.ReadToken),
	)
	opts = append(opts, cfg.generation()...)
	if cfg.SkipPreflight {
		opts = append(opts, graphconformtest.SkipPreflight())
	}
	if cfg.ConfigID != "" || cfg.AssignID != "" {
		opts = append(opts, graphconformtest.Existing(cfg.ConfigID, cfg.AssignID))
	}
	req := targetRequest{Kind: cfg.Kind, URL: cfg.Target, Token: cfg.Token, ReadToken: cfg.ReadToken, Env: env, Flags: tf}
	if cfg.FeaturesDir != "" {
		features, fixtureFS := featureDirs(cfg.FeaturesDir)
		opts = append(opts, graphconformtest.Features(features))
		if fixtureFS != nil {
			opts = append(opts, graphconformtest.Fixtures(fixtureFS))
			if cfg.Kind != kindRemote {
				v, err := fixtures.Version(fixtureFS)
				if err != nil {
					return fail(fmt.Errorf("--features %s: %w", cfg.FeaturesDir, err))
				}
				req.Version = v
			}
		}
	}
	// The options are checked before a container starts or a credential is built.
	selected, err := graphconformtest.Requirements(opts...)
	if err != nil {
		return fail(err)
	}
	if len(selected) == 0 {
		return fail(fmt.Errorf("no scenario matches --tags %q", cfg.Tags))
	}

	// The console gets the one format without a file; when that is a machine format (JUnit, Cucumber JSON) the
	// summary goes to stderr so the stream stays parseable.
	summaryOut := stdout
	var specs []string
	for _, f := range cfg.Formats {
		if f.File == "" && (f.Name == "junit" || f.Name == "cucumber") {
			summaryOut = stderr
		}
		if f.Name != "junit" { // written from the Result when the run is over (report.WriteJUnit), not by godog
			specs = append(specs, f.String())
		}
	}
	if len(specs) > 0 {
		opts = append(opts, graphconformtest.Formats(stdout, specs...))
	}

	tgt, err := makeTarget(ctx, req)
	if err != nil {
		return fail(err)
	}
	defer tgt.Shutdown()
	opts = append(opts, graphconformtest.Redact(tgt.Secrets...))

	// The deadline bounds the checks; an interrupt (ctx) stops them too. Either way the suite stops sending,
	// reports what it did not run, and deletes what it created.
	checkCtx, cancel := context.WithTimeoutCause(ctx, cfg.Deadline, fmt.Errorf("the run's deadline passed (--deadline %s)", cfg.Deadline))
	defer cancel()
	res, err := graphconformtest.Check(checkCtx, tgt.Target, opts...)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "graphconform run: interrupted before the run started\n")
			return 1
		}
		return fail(err)
	}
	return finishRun(ctx, cfg, tgt, res, summaryOut, stdout, stderr)
}

// finishRun prints the summary and writes the reports. The exit code is the Result's verdict (or the
// baseline's).
func finishRun(ctx context.Context, cfg *runConfig, tgt *target.Target, res *graphconformtest.Result, summaryOut, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "graphconform run: %s\n", oneLine(err.Error()))
		return 2
	}
	interrupted := ctx.Err() != nil
	rep := report.Build(report.Meta{
		Tool: "graphconform", Version: toolVersion(), TargetKind: tgt.Kind, Tags: cfg.Tags,
		Interrupted: interrupted,
	}, res)
	if cfg.Baseline != nil {
		rep.Baseline = report.Compare(cfg.Baseline, rep)
	}
	if err := rep.WriteSummary(summaryOut); err != nil {
		return fail(err)
	}
	for _, path := range cfg.Reports {
		if err := rep.WriteFile(path); err != nil {
			return fail(err)
		}
	}
	for _, f := range cfg.Formats {
		if f.Name != "junit" {
			continue
		}
		var err error
		if f.File == "" {
			err = report.WriteJUnit(stdout, res)
		} else {
			err = atomicfile.Write(f.File, func(w io.Writer) error { return report.WriteJUnit(w, res) })
		}
		if err != nil {
			return fail(err)
		}
	}
	if len(res.Leftovers) > 0 && cfg.Kind == kindRemote {
		// The mocks go with their process or container; a service keeps what the run could not delete.
		fmt.Fprintf(stderr, "graphconform run: %d thing(s) created by this run were not deleted; to list and delete what runs left behind:\n  graphconform sweep --target %s --allow-writes\n",
			len(res.Leftovers), res.BaseURL)
	}
	if interrupted {
		fmt.Fprintf(stderr, "graphconform run: interrupted after %s; the results above are partial\n", res.Duration.Round(time.Second))
		return 1
	}
	if cfg.Bundle != "" {
		if err := writeBundle(cfg, tgt, res, rep); err != nil {
			return fail(fmt.Errorf("--bundle: %w", err))
		}
	}
	if rep.Baseline != nil {
		// The gate is the baseline's: every failure known, none new.
		if !rep.Baseline.Passed() {
			return 1
		}
		return 0
	}
	if !res.Passed() {
		return 1
	}
	return 0
}

func runUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `Usage: graphconform run [flags]

Runs the conformance suite against the embedded mock (default), the container mock, or a service by URL, and
prints one line per requirement. Exit codes: 0 every selected scenario passed, 1 some failed, 2 bad usage or
configuration.

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
