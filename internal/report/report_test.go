package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphconformtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// outcome is a scenario's outcome as graphconformtest reports it (its text already redacted).
func outcome(id string, level graphconformtest.Level, statement, scenario string, status graphconformtest.Status) graphconformtest.Outcome {
	return graphconformtest.Outcome{Requirement: graphconformtest.Requirement{ID: id, Level: level, Statement: statement, Scenario: scenario}, Status: status}
}

const (
	must   = graphconformtest.LevelMust
	should = graphconformtest.LevelShould
)

func result(outcomes ...graphconformtest.Outcome) *graphconformtest.Result {
	return &graphconformtest.Result{Outcomes: outcomes}
}

func sampleOutcomes() []graphconformtest.Outcome {
	skipped := outcome("ECA-UPDATE-104", should, "A token with read scopes only SHOULD get 403.", "read-only token", graphconformtest.StatusSkipped)
	skipped.Reason = "the target has no read-only token"
	failed := outcome("ECA-UPDATE-002", must, "Each concrete target type MUST be accepted | echoed.", "target group", graphconformtest.StatusFailed)
	failed.Reason = "ECA-UPDATE-002: got /target = {\"@odata.type\":\"#microsoft.graph.exclusionGroupAssignmentTarget\"}; want /target holding {\"@odata.type\":\"#microsoft.graph.exclusionGroupAssignmentTarget\",\"groupId\":\"7b6e1c1e-45a3-4b5e-9f7e-0c2d1e9a8b7c\"}\n  /target/groupId: missing"
	failed.Headline = "/target/groupId: missing"
	failed.Evidence = "PATCH /v1.0/deviceManagement/deviceEnrollmentConfigurations/c1/assignments/a1\nAuthorization: Bearer [REDACTED]\n\nHTTP 500\nContent-Type: application/json\n\n{\"error\":{\"code\":\"InternalServerError\"}}"
	return []graphconformtest.Outcome{
		skipped,
		outcome("ECA-UPDATE-001", must, "The example request MUST answer 200 with the updated assignment.", "the doc's example", graphconformtest.StatusPassed),
		outcome("ECA-UPDATE-002", must, "Each concrete target type MUST be accepted | echoed.", "target allDevices", graphconformtest.StatusPassed),
		failed,
		outcome("ECA-UPDATE-014", must, "Malformed JSON MUST get 400.", "malformed JSON", graphconformtest.StatusUndefined),
		outcome("ECA-UPDATE-102", should, "Every response SHOULD carry request-id.", "request-id", graphconformtest.StatusPassed),
	}
}

func sampleReport() *Report {
	res := result(sampleOutcomes()...)
	res.Started, res.Duration, res.Retries, res.Seed = time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC), 1234*time.Millisecond, 2, 42
	res.BaseURL = "https://graph.example.test/v1.0"
	res.Leftovers = []string{"assignment a1 of configuration c1 (graphconform-1234): delete answered 503"}
	return Build(Meta{
		Tool: "graphconform", Version: "v0.0.0-test", TargetKind: "remote", Tags: "~@wip",
	}, res)
}

func TestBuildGroupsAndCounts(t *testing.T) {
	r := sampleReport()
	var ids []string
	for _, req := range r.Requirements {
		ids = append(ids, req.ID+"="+string(req.Result))
	}
	want := "ECA-UPDATE-001=passed ECA-UPDATE-002=failed ECA-UPDATE-014=failed ECA-UPDATE-102=passed ECA-UPDATE-104=skipped"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("requirements: got %s; want %s", got, want)
	}
	if got, want := r.Summary, (Summary{Must: Counts{Passed: 1, Failed: 2}, Should: Counts{Passed: 1, Skipped: 1}}); got != want {
		t.Errorf("summary: got %+v; want %+v", got, want)
	}
	if r.Result != Failed {
		t.Errorf("result: got %s; want failed", r.Result)
	}
	if got := r.Requirements[1].Reason; !strings.Contains(got, "want /target holding") {
		t.Errorf("reason of a failed outline row not carried to its requirement: %q", got)
	}
	if got := r.Requirements[2].Reason; got != "step undefined" {
		t.Errorf("an undefined step must fail with a reason: got %q", got)
	}
}

func TestAllPassedAndSkippedIsAPass(t *testing.T) {
	skipped := outcome("A-2", should, "", "", graphconformtest.StatusSkipped)
	skipped.Reason = "no read-only token"
	r := Build(Meta{}, result(
		outcome("A-1", must, "", "", graphconformtest.StatusPassed),
		skipped,
		outcome("A-3", must, "", "row 1", graphconformtest.StatusPassed),
		outcome("A-3", must, "", "row 2", graphconformtest.StatusSkipped),
	))
	if r.Result != Passed || len(r.Failed()) != 0 {
		t.Fatalf("got %s with %d failed; want passed", r.Result, len(r.Failed()))
	}
	if got := r.Verdict(); !strings.HasPrefix(got, "PASS") || !strings.Contains(got, "1 skipped") {
		t.Errorf("verdict: %q", got)
	}
}

func TestGolden(t *testing.T) {
	r := sampleReport()
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"report.json", func(b *bytes.Buffer) error { return r.WriteJSON(b) }},
		{"report.md", func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }},
		{"summary.txt", func(b *bytes.Buffer) error { return r.WriteSummary(b) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.write(&buf); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("%s differs from %s (go test ./internal/report -update rewrites it):\n%s", tc.file, golden, got)
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	r := sampleReport()
	for _, name := range []string{"r.json", "r.md", "R.MARKDOWN"} {
		if err := r.WriteFile(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("the JSON report does not decode: %v", err)
	}
	if len(back.Requirements) != 5 || back.Requirements[1].Scenarios[1].Evidence == "" {
		t.Errorf("round trip lost requirements or evidence: %+v", back.Requirements)
	}
	if err := r.WriteFile(filepath.Join(dir, "r.txt")); err == nil {
		t.Error("a .txt report was accepted; want an error naming the extensions")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("want exactly the 3 reports in %s, found %d entries (temporary files left behind?)", dir, len(entries))
	}
}

func TestInventoryMarkdown(t *testing.T) {
	reqs := []graphconformtest.Requirement{
		{ID: "X-001", Level: must, Statement: "The service MUST answer."},
		{ID: "X-002", Level: must, Statement: "The service MUST do two things.", Scenario: "row 1"},
		{ID: "X-002", Level: must, Statement: "The service MUST do two things.", Scenario: "row 2"},
		{ID: "X-101", Level: should, Statement: "The service SHOULD be nice | kind."},
	}
	var buf bytes.Buffer
	if err := WriteInventoryMarkdown(&buf, reqs); err != nil {
		t.Fatal(err)
	}
	want := `| Id | Level | Requirement |
|---|---|---|
| X-001 | MUST | The service MUST answer. |
| X-002 | MUST | The service MUST do two things. |
| X-101 | SHOULD | The service SHOULD be nice \| kind. |
`
	if got := buf.String(); got != want {
		t.Errorf("inventory:\n%s\nwant:\n%s", got, want)
	}
}

func TestVerdicts(t *testing.T) {
	var many []graphconformtest.Outcome
	for i := range 15 {
		many = append(many, outcome(fmt.Sprintf("X-%03d", i), must, "", "", graphconformtest.StatusFailed))
	}
	if got := Build(Meta{}, result(many...)).Verdict(); !strings.HasPrefix(got, "FAIL: 15 requirements failed: X-000 (MUST)") || !strings.HasSuffix(got, "and 3 more") {
		t.Errorf("verdict of 15 failures: %q", got)
	}
	r := Build(Meta{Interrupted: true}, result(outcome("A", must, "", "", graphconformtest.StatusPassed), outcome("B", must, "", "", graphconformtest.StatusFailed)))
	if got := r.Verdict(); !strings.HasPrefix(got, "INTERRUPTED") || !strings.Contains(got, "1 of 2 requirements passed") || r.Result != Failed {
		t.Errorf("interrupted: result %s, verdict %q", r.Result, got)
	}
	r = Build(Meta{}, result(outcome("A", should, "", "", graphconformtest.StatusSkipped), outcome("B", must, "", "", graphconformtest.StatusSkipped)))
	if got := r.Verdict(); r.Result != Failed || got != "FAIL: no selected scenario ran to a verdict: all 2 requirements skipped (see the reasons above)" {
		t.Errorf("every scenario skipped: result %s, verdict %q; want failed, and the verdict saying nothing ran", r.Result, got)
	}
	if got := Build(Meta{Interrupted: true}, result(outcome("A", must, "", "", graphconformtest.StatusPassed))).Result; got != Failed {
		t.Errorf("an interrupted run whose scenarios all passed is %s; want failed (it did not show conformance)", got)
	}
}
