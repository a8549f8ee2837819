package graphconformtest_test

import (
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/target"
)

const helperEnv = "GRAPHCONFORMTEST_RUN_HELPER"

// TestRunHelper is what TestRunReportsThroughT runs in a child process: Run against a service that answers
// every PATCH with 204 and no body, without a read-only token. It does nothing in a normal run.
func TestRunHelper(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("run by TestRunReportsThroughT")
	}
	var requests atomic.Int64
	tg := embedded(t, target.WithoutReader(), target.WithTokens("run-helper-write-token-0123", "run-helper-read-token-0123"),
		target.WithHandler(func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if r.Method == http.MethodPatch {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				h.ServeHTTP(w, r)
			})
		}))
	t.Cleanup(func() { t.Logf("requests sent: %d", requests.Load()) })
	graphconformtest.Run(t, tg.Target, graphconformtest.Tags("@op:enrollmentConfigurationAssignment.update"))
}

// Run reports through t: a subtest per requirement id, a failure with the id, the statement, got/want and the
// redacted evidence, a skip with its reason; and -run selects requirements before anything is sent.
func TestRunReportsThroughT(t *testing.T) {
	if os.Getenv(helperEnv) == "1" {
		t.Skip("in the helper process")
	}
	run := func(pattern string) string {
		cmd := exec.Command(os.Args[0], "-test.run="+pattern, "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"=1")
		out, err := cmd.CombinedOutput()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatalf("run the helper: %v", err)
		}
		return string(out)
	}
	requests := func(out string) int {
		m := regexp.MustCompile(`requests sent: (\d+)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("the helper did not say how many requests it sent:\n%s", out)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}

	all := run("^TestRunHelper$")
	for _, want := range []string{
		"--- FAIL: TestRunHelper/ECA-UPDATE-001 ",
		"ECA-UPDATE-001 (MUST) failed: The service MUST answer the documented example request",
		"ECA-UPDATE-001: got status 204 No Content; want status 200 OK",
		"> Authorization: Bearer [REDACTED]",
		"< 204 No Content",
		"--- FAIL: TestRunHelper/ECA-UPDATE-002/Each_concrete_target_type_is_accepted_and_echoed:_groupAssignmentTarget ",
		"--- SKIP: TestRunHelper/ECA-UPDATE-104 ",
		"the target has no read-only token",
		"--- PASS: TestRunHelper/ECA-UPDATE-106 ",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the output lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "run-helper-write-token") {
		t.Error("a token reached the test output")
	}

	one := run("^TestRunHelper$/^ECA-UPDATE-014$")
	if !strings.Contains(one, "--- FAIL: TestRunHelper/ECA-UPDATE-014 ") || strings.Count(one, "=== RUN") != 2 {
		t.Errorf("-run TestRunHelper/ECA-UPDATE-014: want that one subtest:\n%s", one)
	}
	if n, total := requests(one), requests(all); n == 0 || n*5 > total {
		t.Errorf("-run for one requirement sent %d requests, the whole run %d: the others were not left out", n, total)
	}
	none := run("^TestRunHelper$/^NOPE$")
	if n := requests(none); n != 0 {
		t.Errorf("a -run pattern selecting no requirement sent %d requests", n)
	}
}
