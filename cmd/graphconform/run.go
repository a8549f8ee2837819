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
	"github.com/graphconform/graphconform/internal/report"
	"github.com/graphconform/graphconform/internal/suite"
)

func init() {
	registerCommand("run", "run the conformance suite (the default command)", runCommand)
}

// runCommand is `graphconform run`: check the flags, make the target, run the suite, print the summary, write
// the reports. Nothing is sent anywhere before every flag and file has been checked.
func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := getenv(ctx)
	rf := &runFlags{}
	fs := newRunFlagSet(rf)
	makers := addTargetHooks(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			runUsage(stdout, fs)
			return 0
		}
		fmt.Fprintf(stderr, "graphconform run: %s (see graphconform run -h)\n", oneLine(err.Error()))
		return 2
	}
	if rf.showVersion {
		fmt.Fprintf(stdout, "graphconform %s\n", toolVersion())
		return 0
	}
	cfg, err := rf.check(fs, env)
	if err != nil {
		fmt.Fprintf(stderr, "graphconform run: %s\n", errorLine(err))
		return 2
	}
	red := report.NewRedactor(cfg.secrets())
	fail := func(err error) int {
		fmt.Fprintf(stderr, "graphconform run: %s\n", red.String(errorLine(err)))
		return 2
	}

	opts := suite.Options{
		Tags:         cfg.Tags,
		Concurrency:  cfg.Concurrency,
		ConfigID:     cfg.ConfigID,
		AssignmentID: cfg.AssignID,
		AllowWrites:  cfg.AllowWrites,
		Timeout:      cfg.Timeout,
		Seed:         cfg.Seed,
	}
	req := targetRequest{Kind: cfg.Kind, BaseURL: cfg.Target, Version: cfg.Version, Token: cfg.Token,
		ReadToken: cfg.ReadToken, Timeout: cfg.Timeout, Env: env}
	if cfg.FeaturesDir != "" {
		opts.Features, opts.Fixtures = featureDirs(cfg.FeaturesDir)
		if opts.Fixtures != nil && cfg.Kind != kindRemote {
			v, err := fixtures.Version(opts.Fixtures)
			if err != nil {
				return fail(fmt.Errorf("--features %s: %w", cfg.FeaturesDir, err))
			}
			req.Version = v
		}
	}

	// The console gets the one format without a file; when that is a machine format (JUnit, Cucumber JSON) the
	// summary goes to stderr so the stream stays parseable.
	summaryOut := stdout
	for _, f := range cfg.Formats {
		opts.Formats = append(opts.Formats, f.String())
		if f.File == "" && (f.Name == "junit" || f.Name == "cucumber") {
			summaryOut = stderr
		}
	}
	opts.Output = stdout

	tgt, err := makeTarget(ctx, req, makers)
	if err != nil {
		return fail(err)
	}
	defer tgt.Shutdown()
	opts.Target = tgt

	started := time.Now()
	res, err := suite.Run(ctx, opts)
	elapsed := time.Since(started)
	// Read after the run: a credential adds each token it hands out.
	secrets := append(cfg.secrets(), tgt.Secrets...)
	red = report.NewRedactor(secrets)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "graphconform run: interrupted after %s\n", elapsed.Round(time.Second))
			return 1
		}
		return fail(err)
	}

	interrupted := ctx.Err() != nil
	rep := report.Build(report.Meta{
		Tool: "graphconform", Version: toolVersion(), Target: tgt.BaseURL, TargetKind: tgt.Kind, Tags: cfg.Tags,
		Started: started, Duration: elapsed, Retries: retries(tgt), Seed: res.Seed, Leftovers: res.Leftovers,
		Interrupted: interrupted,
	}, outcomes(res))
	rep.Redact(secrets)
	if len(rep.Requirements) == 0 {
		return fail(fmt.Errorf("no scenario matches --tags %q", cfg.Tags))
	}
	if err := rep.WriteSummary(summaryOut); err != nil {
		return fail(err)
	}
	for _, path := range cfg.Reports {
		if err := rep.WriteFile(path); err != nil {
			return fail(err)
		}
	}
	if interrupted {
		msg := fmt.Sprintf("interrupted after %s; the results above are partial", elapsed.Round(time.Second))
		if cfg.Kind == kindRemote {
			// A create in flight at the interrupt may have succeeded without the suite learning its id.
			n, err := cleanupRun(ctx, tgt, res.RunID)
			if n > 0 {
				msg += fmt.Sprintf("; deleted %d configuration(s) this run created whose ids the interrupt lost", n)
			}
			if err != nil {
				msg += fmt.Sprintf("; cleanup by name failed (%s): find leftovers with graphconform sweep --target %s", red.String(oneLine(err.Error())), cfg.Target)
			}
		}
		fmt.Fprintf(stderr, "graphconform run: %s\n", msg)
		return 1
	}
	if rep.Result == report.Failed || res.ExitCode() != 0 {
		return 1
	}
	return 0
}

// outcomes turns the suite's result into the report's input.
func outcomes(res *suite.Result) []report.Outcome {
	out := make([]report.Outcome, 0, len(res.Requirements))
	for _, r := range res.Requirements {
		out = append(out, report.Outcome{
			ID: r.ID, Level: r.Level, Statement: r.Statement, Scenario: r.Scenario, Status: r.Status, Reason: r.Reason,
			Evidence: r.Evidence,
		})
	}
	return out
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
