package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphmock/graphmockcontainer"
)

// A flag close to a defined one is suggested; help lists every command, help and version included.
func TestSmallThings(t *testing.T) {
	t.Parallel()
	for flagGiven, want := range map[string]string{"--tag": "did you mean --tags?", "--allow-write": "did you mean --allow-writes?", "--baselin": "did you mean --baseline?"} {
		got := runCLI(t, mapEnv(), "run", flagGiven, "x")
		if got.code != 2 || !strings.Contains(got.stderr, want) {
			t.Errorf("run %s: exit %d, stderr %q; want 2 and %q", flagGiven, got.code, got.stderr, want)
		}
	}
	if got := runCLI(t, mapEnv(), "run", "--nonsense"); strings.Contains(got.stderr, "did you mean") {
		t.Errorf("a flag like none suggests one: %q", got.stderr)
	}
	help := runCLI(t, mapEnv(), "help")
	for _, c := range []string{"  run ", "  list ", "  diff ", "  verify ", "  help [command] ", "  version "} {
		if !strings.Contains(help.stdout, c) {
			t.Errorf("help does not list %q:\n%s", c, help.stdout)
		}
	}
}

// Away from a checkout, a container that cannot be built says to use --container-image, not a Go option.
func TestContainerErrorNamesTheFlag(t *testing.T) {
	t.Parallel()
	exitErr := exec.Command("false").Run()
	for _, err := range []error{
		fmt.Errorf("container target: run graphmock: %w", graphmockcontainer.ErrNoGoToolchain),
		fmt.Errorf("run graphmock: go build x: %w\ngo: cannot find main module", exitErr),
	} {
		msg := containerError(err).Error()
		if !strings.Contains(msg, "--container-image IMAGE") || strings.Contains(msg, "WithImage") || strings.Contains(msg, "option;") {
			t.Errorf("%q: want --container-image named, no Go option", msg)
		}
	}
	if msg := containerError(errors.New("docker: no daemon")).Error(); !strings.Contains(msg, "docker: no daemon") {
		t.Errorf("another error is not passed on: %q", msg)
	}
}
