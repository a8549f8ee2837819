package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/graphconform/graphconform/features"
	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/report"
)

// listCommand prints the requirement inventory: what a run would check, without running anything.
func listCommand(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("graphconform list", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	format := fset.String("format", "text", "`text`, markdown or json")
	dir := fset.String("features", "", "list DIR/features instead of the embedded features")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage: graphconform list [--format text|markdown|json] [--features DIR]\n\nFlags:\n")
			fset.SetOutput(stdout)
			fset.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "graphconform list: %s (see graphconform list -h)\n", flagError(fset, err))
		return 2
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "graphconform list: unexpected argument %q\n", fset.Arg(0))
		return 2
	}
	var fsys fs.FS = features.FS
	if *dir != "" {
		p := filepath.Join(*dir, "features")
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			fmt.Fprintf(stderr, "graphconform list: --features %s: no directory %s\n", *dir, p)
			return 2
		}
		fsys = os.DirFS(p)
	}
	all, err := graphconformtest.Requirements(graphconformtest.Features(fsys))
	entries := report.Distinct(all)
	if err != nil {
		fmt.Fprintf(stderr, "graphconform list: %s\n", oneLine(err.Error()))
		return 2
	}
	switch *format {
	case "markdown", "md":
		err = report.WriteInventoryMarkdown(stdout, all)
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(entries)
	case "text":
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, e := range entries {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", e.ID, e.Level, e.Statement)
		}
		err = tw.Flush()
	default:
		fmt.Fprintf(stderr, "graphconform list: --format %q: want text, markdown or json\n", *format)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "graphconform list: %s\n", oneLine(err.Error()))
		return 1
	}
	return 0
}
