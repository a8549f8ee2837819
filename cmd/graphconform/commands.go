package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/graphconform/graphconform/steps"
)

// version is set at build time (make build: -ldflags "-X main.version=..."); otherwise the module's version.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// A command is a subcommand of graphconform. run gets the arguments after the subcommand's name and the
// environment to read (tests pass a map, main passes os.Getenv), and returns the exit code: 0 success,
// 1 failure, 2 bad usage or configuration.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int
}

// commands lists every subcommand, in the order usage shows them.
func commands() []command {
	return []command{
		{"run", "run the conformance suite (the default command)", runCommand},
		{"list", "list the requirements the suite checks (id, level, statement)", listCommand},
		{"gen", "generate features and fixtures from Microsoft Graph doc pages", runGen},
		{"sweep", "list and delete enrollment configurations a run left behind (named " + steps.NamePrefix + "*)", sweepCommand},
		{"diff", "compare two JSON reports (or a baseline and a report): regressions, known failures, fixed", diffCommand},
		{"verify", "check a certification bundle's SHA-256 sums, and whether this suite version produced it", verifyCommand},
	}
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// run is the whole program but for the process: main calls it with os.Args[1:], os.Getenv and the standard
// streams, and exits with what it returns. With no arguments, or with flags first, it is `run`.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		switch {
		case len(args) == 1 && isHelp(args[0]):
			usage(stdout)
			return 0
		case len(args) == 1 && (args[0] == "--version" || args[0] == "-version"):
			fmt.Fprintf(stdout, "graphconform %s\n", toolVersion())
			return 0
		}
		return runCommand(ctx, args, env, stdout, stderr)
	}
	if args[0] == "help" {
		if len(args) > 1 {
			if c, ok := lookupCommand(args[1]); ok {
				return c.run(ctx, []string{"-h"}, env, stdout, stderr)
			}
		}
		usage(stdout)
		return 0
	}
	if args[0] == "version" {
		fmt.Fprintf(stdout, "graphconform %s\n", toolVersion())
		return 0
	}
	c, ok := lookupCommand(args[0])
	if !ok {
		fmt.Fprintf(stderr, "graphconform: unknown command %q (commands: %s; see graphconform help)\n", args[0], commandNames())
		return 2
	}
	return c.run(ctx, args[1:], env, stdout, stderr)
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

func commandNames() string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `graphconform checks a Microsoft Graph-compatible service against the documented behaviour of
"Update enrollmentConfigurationAssignment" and its resource family, requirement by requirement.

Usage:
  graphconform                      run the suite against the embedded mock
  graphconform run [flags]          run the suite (graphconform run -h for the flags)
  graphconform <command> [flags]

Commands:
`)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	fmt.Fprintf(tw, "  help [command]\tthis text, or a command's flags (graphconform help run)\n")
	fmt.Fprintf(tw, "  version\tprint the version (also --version)\n")
	tw.Flush()
	fmt.Fprintf(w, `
Exit codes: 0 every selected scenario passed (with --baseline: every failure is in the baseline), 1 some
failed, 2 bad usage or configuration (a wrong URL, port or token is found before any scenario runs).
`)
}
