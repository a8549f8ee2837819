package enrollment_test

import (
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestLeanDependencies: what the suite adds to a vendor's test build is godog and what it needs to send
// HTTP, never testcontainers, Docker (moby) or the Azure SDK, which stay behind packages a vendor imports only
// when it wants them (graphmock/graphmockcontainer, graphconformtest/azuretoken).
func TestLeanDependencies(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to list the test's dependencies: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "-test", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps -test .: %v\n%s", err, out)
	}
	pkgs := strings.Fields(string(out))
	if !slices.Contains(pkgs, "github.com/graphconform/graphconform/graphconformtest") {
		t.Fatalf("go list -deps -test . does not list graphconformtest; the check looks at the wrong build:\n%s", out)
	}
	heavy := regexp.MustCompile(`(?i)testcontainers|moby|docker|azure`)
	for _, p := range pkgs {
		if heavy.MatchString(p) {
			t.Errorf("the vendor's test build depends on %s", p)
		}
	}
}
