package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestStartRunsNoProgram starts the CLI (this test binary's main, as TestSignals does) with PATH holding only a
// directory of fake programs, a `go` among them, that record how they were called: starting the CLI must run
// none of them. godog's internal/builder runs `go env GOTOOLDIR` when it is initialised, which handed GRAPH_TOKEN
// and AZURE_CLIENT_SECRET to whatever `go` came first on PATH.
func TestStartRunsNoProgram(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake programs are shell scripts")
	}
	dir := t.TempDir()
	record := filepath.Join(dir, "calls")
	script := "#!/bin/sh\necho \"$0 $* GRAPH_TOKEN=${GRAPH_TOKEN}\" >> '" + record + "'\nexit 1\n"
	for _, name := range []string{"go", "sh", "git", "docker", "az", "pass"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range []string{"list", "run --version"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMainHelper$")
		cmd.Env = []string{"PATH=" + dir, "HOME=" + t.TempDir(), helperEnv + "=" + args,
			envToken + "=start-up-token-9d3e", "AZURE_CLIENT_SECRET=start-up-secret-41c7"}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("graphconform %s: %v\n%s", args, err, out)
		}
		if data, err := os.ReadFile(record); err == nil {
			t.Errorf("starting graphconform %s ran:\n%s", args, strings.TrimSpace(string(data)))
			os.Remove(record)
		}
	}
}
