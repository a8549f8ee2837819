package graphconformtest_test

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// Importing graphconformtest must not bring testcontainers, Docker (moby) or the Azure SDK into the importer's
// build: a vendor's go.mod should grow by the suite and what it needs to send HTTP and run godog, nothing more.
// Those live behind graphmock/graphmockcontainer and graphconformtest/azuretoken, imported only by who needs them.
func TestImportsStayLean(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	heavy := regexp.MustCompile(`(?i)testcontainers|moby|docker|azure`)
	var found []string
	for _, pkg := range strings.Fields(string(out)) {
		if heavy.MatchString(pkg) {
			found = append(found, pkg)
		}
	}
	if len(found) > 0 {
		t.Errorf("graphconformtest depends on %d heavy packages, among them %s", len(found), strings.Join(found[:min(len(found), 5)], ", "))
	}
	if !strings.Contains(string(out), "github.com/cucumber/godog\n") {
		t.Errorf("go list -deps does not list godog; the check looks at the wrong package:\n%s", out)
	}
}
