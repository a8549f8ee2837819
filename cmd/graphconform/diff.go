package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/graphconform/graphconform/internal/report"
)

// diffCommand is `graphconform diff OLD NEW`: NEW (a JSON report) set against OLD (a JSON report, or a baseline
// written by hand) as --baseline sets a run: regressions, still-known failures, fixed ones. Exit 1 on a
// regression.
func diffCommand(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "graphconform diff: %s\n", oneLine(err.Error()))
		return 2
	}
	fs := flag.NewFlagSet("graphconform diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, `Usage: graphconform diff OLD NEW

Compares the JSON report NEW (graphconform run --report NEW.json) with OLD, a JSON report of an earlier run or a
baseline written by hand (one requirement id per line, then why it fails): the requirements that fail in NEW and
not in OLD (regressions), those that fail in both (known), and those OLD lists that pass in NEW (fixed: remove them
from the baseline). Exit codes: 0 no regression, 1 a regression, 2 bad usage or an unreadable file.
`)
			return 0
		}
		fmt.Fprintf(stderr, "graphconform diff: %s (see graphconform diff -h)\n", oneLine(err.Error()))
		return 2
	}
	if fs.NArg() != 2 {
		fmt.Fprintf(stderr, "graphconform diff: want two files, OLD and NEW (see graphconform diff -h)\n")
		return 2
	}
	old, err := report.ReadBaseline(fs.Arg(0))
	if err != nil {
		return fail(err)
	}
	data, err := os.ReadFile(fs.Arg(1))
	if err != nil {
		return fail(err)
	}
	rep, err := report.ReadReport(fs.Arg(1), data)
	if err != nil {
		return fail(err)
	}
	c := report.Compare(old, rep)
	if err := c.Write(stdout); err != nil {
		return fail(err)
	}
	if !c.Passed() {
		return 1
	}
	return 0
}
