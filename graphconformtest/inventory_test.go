package graphconformtest_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/graphconform/graphconform/graphconformtest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// The requirements of every operation are kept under review: adding, removing, rewording or moving one
// changes testdata/requirements.golden (go test ./graphconformtest -run TestRequirementsInventory -update).
// This is the one inventory: the CLI's list, the README's table and the reports all come from Requirements.
func TestRequirementsInventory(t *testing.T) {
	reqs, err := graphconformtest.Requirements()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, r := range reqs {
		if seen[r.ID] {
			continue // the rows of an outline share their requirement
		}
		seen[r.ID] = true
		fmt.Fprintf(&b, "%s %s %s %s\n    %s\n", r.ID, r.Level, r.Operation, r.Feature, r.Statement)
		if r.Statement == "" {
			t.Errorf("%s has no statement under its title", r.ID)
		}
		if r.Operation == "" {
			t.Errorf("%s (%s) has no @op: tag", r.ID, r.Feature)
		}
	}
	golden(t, "requirements.golden", b.String())
	for _, id := range []string{"ECA-UPDATE-001", "ECA-UPDATE-002", "ECA-UPDATE-010", "ECA-UPDATE-011", "ECA-UPDATE-012",
		"ECA-UPDATE-013", "ECA-UPDATE-014", "ECA-UPDATE-015", "ECA-UPDATE-016", "ECA-UPDATE-017",
		"ECA-UPDATE-101", "ECA-UPDATE-102", "ECA-UPDATE-103", "ECA-UPDATE-104", "ECA-UPDATE-105", "ECA-UPDATE-106"} {
		if !seen[id] {
			t.Errorf("%s (fixed by the contracts) has no scenario", id)
		}
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s changed; review the difference and run with -update:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// Requirements reads tags from the feature, a rule and the scenario; an outline's rows share their
// requirement; the statement is the description's first paragraph, on one line.
func TestRequirementsOfFeatures(t *testing.T) {
	fsys := fstest.MapFS{
		"op/a.feature": {Data: []byte(`@op:x.a
Feature: x

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
    The service SHOULD be nice.

    When nothing
`)},
		"op/b.feature": {Data: []byte(`@op:x.b
Feature: y
  @must
  Rule: r
    @req:X-001
    Scenario: in a rule
      The service MUST answer.

      When nothing
`)},
		"op/notes.txt": {Data: []byte("not a feature")},
	}
	reqs, err := graphconformtest.Requirements(graphconformtest.Features(fsys))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reqs {
		got = append(got, fmt.Sprintf("%s %s %s %s %q %q", r.ID, r.Level, r.Operation, r.Feature, r.Scenario, r.Statement))
	}
	want := []string{
		`X-001 MUST x.b op/b.feature "in a rule" "The service MUST answer."`,
		`X-002 MUST x.a op/a.feature "outline 1" "The service MUST do two things."`,
		`X-002 MUST x.a op/a.feature "outline 2" "The service MUST do two things."`,
		`X-101 SHOULD x.a op/a.feature "should" "The service SHOULD be nice."`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	reqs, err = graphconformtest.Requirements(graphconformtest.Features(fsys), graphconformtest.Tags("@should"))
	if err != nil || len(reqs) != 1 || reqs[0].ID != "X-101" {
		t.Errorf("with tags @should: %v, %+v", err, reqs)
	}
	bad := fstest.MapFS{"bad.feature": {Data: []byte("Feature: x\n  Scenario: untagged\n    When nothing\n")}}
	var ce *graphconformtest.ConfigError
	if _, err := graphconformtest.Requirements(graphconformtest.Features(bad)); !errors.As(err, &ce) || ce.Setting != "Features" || !strings.Contains(err.Error(), `"untagged"`) {
		t.Errorf("a scenario without a requirement: got %v; want a ConfigError naming it", err)
	}
}

// TestRequirementsShowControlCharacters: a feature written from a doc page nobody vetted (graphconform gen) lists
// its statement with the page's control characters made visible, in every format of graphconform list.
func TestRequirementsShowControlCharacters(t *testing.T) {
	fsys := fstest.MapFS{"op/a.feature": {Data: []byte("@op:x.a\nFeature: x\n  @req:X-001 @must\n  Scenario: s\n    The service MUST \x1b[2Janswer\x07.\n\n    When nothing\n")}}
	reqs, err := graphconformtest.Requirements(graphconformtest.Features(fsys))
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].Statement != `The service MUST \x1b[2Janswer\x07.` {
		t.Errorf("requirements %q; want the statement with \\x1b and \\x07 shown", reqs)
	}
}
