package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
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

// A command is a subcommand of graphconform. Other files of package main add theirs from init() with
// registerCommand (gen, sweep), so that adding a subcommand never means editing this file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var (
	commandsMu sync.Mutex
	commands   = map[string]command{}
)

// registerCommand adds a subcommand. run gets the arguments after the subcommand's name and returns the exit
// code: 0 success, 1 failure, 2 bad usage or configuration. It reads the environment through getenv(ctx), never
// os.Getenv, so tests can run it with an environment of their own.
func registerCommand(name, summary string, run func(ctx context.Context, args []string, stdout, stderr io.Writer) int) {
	commandsMu.Lock()
	defer commandsMu.Unlock()
	if _, dup := commands[name]; dup {
		panic("graphconform: command registered twice: " + name)
	}
	commands[name] = command{name: name, summary: summary, run: run}
}

func lookupCommand(name string) (command, bool) {
	commandsMu.Lock()
	defer commandsMu.Unlock()
	c, ok := commands[name]
	return c, ok
}

func sortedCommands() []command {
	commandsMu.Lock()
	defer commandsMu.Unlock()
	var out []command
	for _, c := range commands {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b command) int { return strings.Compare(a.name, b.name) })
	return out
}

type envKey struct{}

// withEnv gives commands the environment to read (tests pass a map, main passes os.Getenv).
func withEnv(ctx context.Context, env func(string) string) context.Context {
	return context.WithValue(ctx, envKey{}, env)
}

// getenv returns the environment run was given; os.Getenv when there is none.
func getenv(ctx context.Context) func(string) string {
	if env, ok := ctx.Value(envKey{}).(func(string) string); ok && env != nil {
		return env
	}
	return os.Getenv
}

// run is the whole program but for the process: main calls it with os.Args[1:], os.Getenv and the standard
// streams, and exits with what it returns. With no arguments, or with flags first, it is `run`.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	ctx = withEnv(ctx, env)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		switch {
		case len(args) == 1 && isHelp(args[0]):
			usage(stdout)
			return 0
		case len(args) == 1 && (args[0] == "--version" || args[0] == "-version"):
			fmt.Fprintf(stdout, "graphconform %s\n", toolVersion())
			return 0
		}
		return runCommand(ctx, args, stdout, stderr)
	}
	if args[0] == "help" {
		if len(args) > 1 {
			if c, ok := lookupCommand(args[1]); ok {
				return c.run(ctx, []string{"-h"}, stdout, stderr)
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
	return c.run(ctx, args[1:], stdout, stderr)
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

func commandNames() string {
	var names []string
	for _, c := range sortedCommands() {
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
	for _, c := range sortedCommands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprintf(w, `
Exit codes: 0 every selected scenario passed, 1 some failed, 2 bad usage or configuration.
`)
}
