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
	"testing/fstest"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const secret = "eyJ0eXAiOiJKV1QiLCJhbGciOi.secret-token"

func sampleOutcomes() []Outcome {
	return []Outcome{
		{ID: "ECA-UPDATE-104", Level: "@should", Statement: "A token with read scopes only SHOULD get 403.", Scenario: "read-only token", Status: "skipped", Reason: "the target has no read-only token: pass --read-token or GRAPH_READ_TOKEN"},
		{ID: "ECA-UPDATE-001", Level: "must", Statement: "The example request MUST answer 200 with the updated assignment.", Scenario: "the doc's example", Status: "passed"},
		{ID: "ECA-UPDATE-002", Level: "must", Statement: "Each concrete target type MUST be accepted | echoed.", Scenario: "target allDevices", Status: "passed"},
		{ID: "ECA-UPDATE-002", Level: "must", Statement: "Each concrete target type MUST be accepted | echoed.", Scenario: "target group", Status: "failed",
			Reason:   "ECA-UPDATE-002: expected status 200; actual 500",
			Evidence: "PATCH /v1.0/deviceManagement/deviceEnrollmentConfigurations/c1/assignments/a1\nAuthorization: Bearer " + secret + "\n\nHTTP 500\nContent-Type: application/json\n\n{\"error\":{\"code\":\"InternalServerError\"}}"},
		{ID: "ECA-UPDATE-014", Level: "MUST", Statement: "Malformed JSON MUST get 400.", Scenario: "malformed JSON", Status: "undefined"},
		{ID: "ECA-UPDATE-102", Level: "should", Statement: "Every response SHOULD carry request-id.", Scenario: "request-id", Status: "passed"},
	}
}

func sampleReport() *Report {
	r := Build(Meta{
		Tool: "graphconform", Version: "v0.0.0-test", Target: "https://user:pw@graph.example.test/v1.0", TargetKind: "remote",
		Tags: "~@wip", Started: time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC), Duration: 1234 * time.Millisecond, Retries: 2,
		Seed: 42, Leftovers: []string{"assignment a1 of configuration c1 (graphconform-1234): delete answered 503; token " + secret},
	}, sampleOutcomes())
	r.Redact([]string{secret, ""})
	return r
}

func TestBuildGroupsAndCounts(t *testing.T) {
	r := sampleReport()
	var ids []string
	for _, req := range r.Requirements {
		ids = append(ids, req.ID+"="+req.Result)
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
	if got := r.Requirements[1].Reason; !strings.Contains(got, "expected status 200") {
		t.Errorf("reason of a failed outline row not carried to its requirement: %q", got)
	}
	if got := r.Requirements[2].Reason; got != "step undefined" {
		t.Errorf("an undefined step must fail with a reason: got %q", got)
	}
}

func TestAllPassedAndSkippedIsAPass(t *testing.T) {
	r := Build(Meta{}, []Outcome{
		{ID: "A-1", Level: "must", Status: "passed"},
		{ID: "A-2", Level: "should", Status: "skipped", Reason: "no read-only token"},
		{ID: "A-3", Level: "must", Scenario: "row 1", Status: "passed"},
		{ID: "A-3", Level: "must", Scenario: "row 2", Status: "skipped"},
	})
	if r.Result != Passed || len(r.Failed()) != 0 {
		t.Fatalf("got %s with %d failed; want passed", r.Result, len(r.Failed()))
	}
	if got := r.Verdict(); !strings.HasPrefix(got, "PASS") || !strings.Contains(got, "1 skipped") {
		t.Errorf("verdict: %q", got)
	}
}

func TestRedactor(t *testing.T) {
	for _, tc := range []struct {
		secrets  []string
		in, want string
	}{
		{[]string{secret}, "Bearer " + secret + "!", "Bearer [REDACTED]!"},
		{[]string{"T"}, "Authorization: Bearer T\nTARGET T", "Authorization: Bearer [REDACTED]\nTARGET [REDACTED]"},
		{[]string{"tok"}, "tok tok,tok", "[REDACTED] [REDACTED],[REDACTED]"},
		{[]string{"tok"}, "token stok", "token stok"},
		{nil, "nothing", "nothing"},
	} {
		if got := NewRedactor(tc.secrets).String(tc.in); got != tc.want {
			t.Errorf("redact %q from %q: got %q; want %q", tc.secrets, tc.in, got, tc.want)
		}
	}
	if got := RedactURL("https://u:p@h.test/v1.0?code=x"); strings.Contains(got, "p@") || strings.Contains(got, "code=x") {
		t.Errorf("RedactURL left a credential: %s", got)
	}
	if got := RedactURL("http://127.0.0.1:8080/v1.0"); got != "http://127.0.0.1:8080/v1.0" {
		t.Errorf("RedactURL changed a plain URL: %s", got)
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
			if strings.Contains(buf.String(), secret) || strings.Contains(buf.String(), ":pw@") {
				t.Errorf("%s contains a secret:\n%s", tc.file, buf.String())
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

func TestInventory(t *testing.T) {
	fsys := fstest.MapFS{
		"op/a.feature": {Data: []byte(`@op:x
Feature: x

  Background:
    Given something

  @req:X-002 @must
  Scenario Outline: outline <n>
    The service MUST do
    two things.

    More prose that is not the statement.

    When <n>

    Examples:
      | n |
      | 1 |
      | 2 |

  @req:X-101 @should
  Scenario: should
    The service SHOULD be nice | kind.

    When nothing

  Scenario: untagged helper
    When nothing
`)},
		"op/b.feature": {Data: []byte(`Feature: y
  @must
  Rule: r
    @req:X-001
    Scenario: in a rule
      The service MUST answer.

      When nothing
`)},
		"op/notes.txt": {Data: []byte("not a feature")},
	}
	entries, err := Inventory(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteInventoryMarkdown(&buf, entries); err != nil {
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
	if _, err := Inventory(fstest.MapFS{"bad.feature": {Data: []byte("Feature: x\n Scenario: a\n  Given x\n  | a |\n  foo\n")}}); err == nil {
		t.Error("a feature that does not parse gave no error")
	}
}

func TestVerdicts(t *testing.T) {
	var many []Outcome
	for i := range 15 {
		many = append(many, Outcome{ID: fmt.Sprintf("X-%03d", i), Level: "must", Status: "failed"})
	}
	if got := Build(Meta{}, many).Verdict(); !strings.HasPrefix(got, "FAIL: 15 requirements failed: X-000 (MUST)") || !strings.HasSuffix(got, "and 3 more") {
		t.Errorf("verdict of 15 failures: %q", got)
	}
	r := Build(Meta{Interrupted: true}, []Outcome{{ID: "A", Level: "must", Status: "passed"}, {ID: "B", Level: "must", Status: "failed"}})
	if got := r.Verdict(); !strings.HasPrefix(got, "INTERRUPTED") || !strings.Contains(got, "1 of 2 requirements passed") || r.Result != Failed {
		t.Errorf("interrupted: result %s, verdict %q", r.Result, got)
	}
	if got := Build(Meta{Interrupted: true}, []Outcome{{ID: "A", Level: "must", Status: "passed"}}).Result; got != Failed {
		t.Errorf("an interrupted run whose scenarios all passed is %s; want failed (it did not show conformance)", got)
	}
}
