package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/graphconform/graphconform/graphconformtest"
)

// nasty is what a hostile target puts wherever its text may be quoted: an escape sequence, a bell, a carriage
// return that rewrites the line, a C1 CSI, a bidi override and a byte that is not UTF-8.
const nasty = "x\x1b]0;owned\a\x1b[2J\rOK\u009b\u202e\xff"

// TestEveryOutputShowsControlCharacters: the console summary, the Markdown and the JSON report hold no
// control character from the target (newline and tab aside), and show each one as an escape: \x1b.
func TestEveryOutputShowsControlCharacters(t *testing.T) {
	r := Build(Meta{
		Tool: "graphconform", Version: "v0", TargetKind: "remote", Tags: nasty,
	}, &graphconformtest.Result{
		BaseURL:   "http://127.0.0.1:1/v1.0" + nasty,
		Leftovers: []string{"configuration " + nasty},
		Outcomes: []graphconformtest.Outcome{
			{Requirement: graphconformtest.Requirement{ID: "ECA-UPDATE-001", Level: graphconformtest.LevelMust, Statement: "S " + nasty, Scenario: "n " + nasty},
				Status: graphconformtest.StatusFailed, Reason: "r " + nasty, Evidence: "e " + nasty},
			{Requirement: graphconformtest.Requirement{ID: "ECA-UPDATE-002", Level: graphconformtest.LevelMust, Statement: "S", Scenario: "n"},
				Status: graphconformtest.StatusSkipped, Reason: "skip " + nasty},
		},
	})
	before := r.Requirements[0].Reason

	var summary, md, js bytes.Buffer
	if err := r.WriteSummary(&summary); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var decoded Report
	if err := json.Unmarshal(js.Bytes(), &decoded); err != nil {
		t.Fatal(err)
	}
	jsonText := strings.Join([]string{decoded.Target, decoded.Tags, decoded.Leftovers[0], decoded.Requirements[0].Statement,
		decoded.Requirements[0].Reason, decoded.Requirements[0].Evidence, decoded.Requirements[0].Scenarios[0].Name,
		decoded.Requirements[1].Reason}, "\n")
	for name, out := range map[string]string{"summary": summary.String(), "markdown": md.String(), "json (decoded)": jsonText} {
		for i, c := range out {
			if c != '\n' && c != '\t' && (c == utf8.RuneError || unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c)) {
				t.Errorf("%s: control character %U at byte %d", name, c, i)
				break
			}
		}
		if !strings.Contains(out, `x\x1b]0;owned\x07\x1b[2J\x0dOK\u009b\u202e\xff`) {
			t.Errorf("%s does not show the target's control characters as escapes:\n%s", name, out)
		}
	}
	if r.Requirements[0].Reason != before {
		t.Errorf("rendering changed the report itself: reason %q; want %q", r.Requirements[0].Reason, before)
	}
}
