package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/graphconform/graphconform/internal/docgen"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// runGen: graphconform gen --doc PAGE.md [--doc ...] [--docs DIR] [--out DIR].
// Pages given together are one family (a page whose scopes are a TODO
// borrows its siblings'). Exit 2 with page:line on any problem of a page.
func runGen(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var docs, dirs stringList
	fs.Var(&docs, "doc", "a method page (`PAGE.md`); repeatable")
	fs.Var(&dirs, "docs", "a directory whose method pages (doc_type apiPageType) are all generated; repeatable")
	out := fs.String("out", ".", "write `DIR`/features and DIR/fixtures (the layout graphconform run --features DIR reads)")
	verbose := fs.Bool("v", false, "also print the pages' tolerated oddities (warnings) and the files written")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: graphconform gen --doc PAGE.md [--doc PAGE.md ...] [--docs DIR] [--out DIR]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || len(docs)+len(dirs) == 0 {
		fs.Usage()
		return 2
	}
	inputs, err := docgen.Load(docs, dirs)
	if err != nil {
		fmt.Fprintf(stderr, "graphconform gen: %v\n", err)
		return 2
	}
	ops, err := docgen.Generate(inputs)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return 2
	}
	files, err := docgen.Render(ops)
	if err != nil {
		fmt.Fprintf(stderr, "graphconform gen: %v\n", err)
		return 2
	}
	if err := docgen.WriteFiles(*out, files); err != nil {
		fmt.Fprintf(stderr, "graphconform gen: %v\n", err)
		return 2
	}
	scenarios := 0
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".feature") {
			scenarios += strings.Count(string(f.Data), "\n  Scenario")
		}
		if *verbose {
			fmt.Fprintf(stdout, "wrote %s\n", f.Path)
		}
	}
	if *verbose {
		for _, op := range ops {
			for _, w := range op.Warnings {
				fmt.Fprintf(stdout, "%s:%s\n", op.Source, w)
			}
		}
	}
	fmt.Fprintf(stdout, "graphconform gen: %d page(s), %d operation(s), %d scenario(s) written under %s\n", len(inputs), len(ops), scenarios, *out)
	return 0
}
