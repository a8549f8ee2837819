package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"strconv"
	"strings"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/bundle"
	"github.com/graphconform/graphconform/internal/report"
	"github.com/graphconform/graphconform/internal/target"
)

func checkBundlePath(path string) error { return bundle.CheckPath(path) }

// writeBundle writes the certification bundle of a finished run (--bundle).
func writeBundle(cfg *runConfig, tgt *target.Target, res *graphconformtest.Result, rep *report.Report) error {
	suite, err := bundle.NewSuite("graphconform", toolVersion())
	if err != nil {
		return err
	}
	if cfg.FeaturesDir != "" {
		features, fixtures := featureDirs(cfg.FeaturesDir)
		trees := map[string]iofs.FS{"features": features}
		if fixtures != nil {
			trees["fixtures"] = fixtures
		}
		h, err := bundle.HashFS(trees)
		if err != nil {
			return err
		}
		suite.Features = "--features " + cfg.FeaturesDir + " (" + h + "), not the embedded features"
		if fixtures != nil {
			if suite.DocPages, err = bundle.DocPages(fixtures); err != nil {
				return err
			}
		}
	}
	m := bundle.Manifest{
		Suite:  suite,
		Target: bundle.Target{URL: res.BaseURL, Kind: tgt.Kind},
		Run: bundle.Run{ID: res.RunID, Started: res.Started.UTC(), Ended: res.Started.Add(res.Duration).UTC(), Seed: res.Seed,
			Concurrency: res.Concurrency, Result: string(rep.Result), Requirements: len(rep.Requirements), Failed: len(rep.Failed())},
		Options:  cfg.manifestOptions(),
		Platform: bundle.NewPlatform(),
	}
	files, err := bundle.Files(rep, res)
	if err != nil {
		return err
	}
	return bundle.Write(cfg.Bundle, m, files)
}

// manifestOptions are the run's options as a bundle records them: every setting, no token (only whether one
// was given).
func (cfg *runConfig) manifestOptions() map[string]string {
	o := map[string]string{
		"target":         cfg.Target,
		"tags":           cfg.Tags,
		"timeout":        cfg.Timeout.String(),
		"allow-writes":   strconv.FormatBool(cfg.AllowWrites),
		"skip-preflight": strconv.FormatBool(cfg.SkipPreflight),
		"read-token":     strconv.FormatBool(cfg.ReadToken != ""),
	}
	if cfg.set["concurrency"] {
		o["concurrency"] = strconv.Itoa(cfg.Concurrency)
	}
	if cfg.set["seed"] {
		o["seed"] = strconv.FormatInt(cfg.Seed, 10)
	}
	if cfg.FeaturesDir != "" {
		o["features"] = cfg.FeaturesDir
	}
	if cfg.ConfigID != "" {
		o["config-id"], o["assignment-id"] = cfg.ConfigID, cfg.AssignID
	}
	if cfg.Baseline != nil {
		o["baseline"] = cfg.Baseline.Source
	}
	var formats []string
	for _, f := range cfg.Formats {
		formats = append(formats, f.String())
	}
	o["format"] = strings.Join(formats, ",")
	if len(cfg.Reports) > 0 {
		o["report"] = strings.Join(cfg.Reports, ",")
	}
	return o
}

// verifyCommand is `graphconform verify BUNDLE`: every file against the bundle's SHA-256 sums (exit 1 on any
// change), and whether this binary's suite produced it.
func verifyCommand(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("graphconform verify", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, `Usage: graphconform verify BUNDLE

Checks a certification bundle (graphconform run --bundle DIR or DIR.tar.gz): every file against its SHA-256 in
SHA256SUMS, no file missing and none added; then says whether the suite that produced it (the content hash of its
features, fixtures and schemas, in manifest.json) is this binary's. Exit codes: 0 every file as written, 1 a file
changed, missing or added, 2 bad usage or a bundle that cannot be read.
`)
			return 0
		}
		fmt.Fprintf(stderr, "graphconform verify: %s (see graphconform verify -h)\n", oneLine(err.Error()))
		return 2
	}
	if fset.NArg() != 1 {
		fmt.Fprintf(stderr, "graphconform verify: want one bundle, a directory or a .tar.gz (see graphconform verify -h)\n")
		return 2
	}
	path := fset.Arg(0)
	v, err := bundle.Verify(path)
	if err != nil {
		fmt.Fprintf(stderr, "graphconform verify: %s: %s\n", path, oneLine(err.Error()))
		return 2
	}
	if !v.OK() {
		fmt.Fprintf(stdout, "%s: NOT as it was written: %d problem(s)\n", path, len(v.Problems))
		for _, p := range v.Problems {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
		return 1
	}
	fmt.Fprintf(stdout, "%s: %d files, every SHA-256 matches\n", path, v.Files)
	m := v.Manifest.Visible() // a bundle is untrusted: its text is shown with control characters made visible
	fmt.Fprintf(stdout, "  run %s against %s (%s): %s, %d of %d requirements failed; started %s, ended %s, seed %d\n",
		m.Run.ID, m.Target.URL, m.Target.Kind, m.Run.Result, m.Run.Failed, m.Run.Requirements,
		m.Run.Started.Format("2006-01-02 15:04:05Z"), m.Run.Ended.Format("2006-01-02 15:04:05Z"), m.Run.Seed)
	built := m.Suite.Tool + " " + m.Suite.Version
	if m.Suite.Revision != "" {
		built += ", revision " + m.Suite.Revision
	}
	if v.SameSuite {
		fmt.Fprintf(stdout, "  produced by this suite version: suite content %s (%s)\n", m.Suite.ContentHash, built)
	} else {
		fmt.Fprintf(stdout, "  produced by a different suite version: the bundle's suite content %s (%s); this binary's %s (%s)\n",
			m.Suite.ContentHash, built, v.Suite, toolVersion())
	}
	if m.Suite.Features != "" {
		fmt.Fprintf(stdout, "  it ran %s\n", m.Suite.Features)
	}
	return 0
}
