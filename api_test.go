package graphconform_test

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var updateAPI = flag.Bool("update", false, "rewrite testdata/api/*.txt from go doc -all")

// publicPackages are the packages outside code may import: their exported surface is a contract.
var publicPackages = []string{
	"graphconformtest",
	"graphconformtest/azuretoken",
	"graphmock",
	"graphmock/graphmockcontainer",
	"steps",
	"features",
	"fixtures",
	"schemas",
}

// TestPublicAPI keeps the public surface under review, as the requirement inventory is: `go doc -all` of each
// public package is compared with testdata/api/<package>.txt, so adding, removing or changing an exported name
// or its documentation is a visible diff (go test -run TestPublicAPI -update rewrites the files).
func TestPublicAPI(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to run go doc: %v", err)
	}
	for _, pkg := range publicPackages {
		t.Run(strings.ReplaceAll(pkg, "/", "."), func(t *testing.T) {
			cmd := exec.Command(goTool, "doc", "-all", "./"+pkg)
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("go doc -all ./%s: %v\n%s", pkg, err, out)
			}
			path := filepath.Join("testdata", "api", strings.ReplaceAll(pkg, "/", ".")+".txt")
			if *updateAPI {
				if err := os.WriteFile(path, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -run TestPublicAPI -update creates it)", err)
			}
			if string(out) != string(want) {
				t.Errorf("the public API of %s changed; review the difference, then go test -run TestPublicAPI -update:\n%s",
					pkg, lineDiff(string(want), string(out)))
			}
		})
	}
}

// lineDiff lists the lines only in want (-) and only in got (+), in order: enough to review an API change.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	inW, inG := map[string]int{}, map[string]int{}
	for _, l := range w {
		inW[l]++
	}
	for _, l := range g {
		inG[l]++
	}
	var b strings.Builder
	for _, l := range w {
		if inG[l] == 0 {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if inW[l] == 0 {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
