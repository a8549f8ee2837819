package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"
)

// nasty is what a hostile target puts wherever its text may be quoted: an escape sequence, a bell, a carriage
// return that rewrites the line, a C1 CSI, a bidi override and a byte that is not UTF-8.
const nasty = "x\x1b]0;owned\a\x1b[2J\rOK\u009b\u202e\xff"

// TestEveryOutputShowsControlCharacters: the console summary, the Markdown and the JSON report hold no
// control character from the target (newline and tab aside), and show each one as an escape: \x1b.
func TestEveryOutputShowsControlCharacters(t *testing.T) {
	r := Build(Meta{
		Tool: "graphconform", Version: "v0", Target: "http://127.0.0.1:1/v1.0" + nasty, TargetKind: "remote", Tags: nasty,
		Leftovers: []string{"configuration " + nasty},
	}, []Outcome{
		{ID: "ECA-UPDATE-001", Level: "MUST", Statement: "S " + nasty, Scenario: "n " + nasty, Status: "failed", Reason: "r " + nasty, Evidence: "e " + nasty},
		{ID: "ECA-UPDATE-002", Level: "MUST", Statement: "S", Scenario: "n", Status: "skipped", Reason: "skip " + nasty},
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

// TestInventoryShowsControlCharacters: a feature written from a doc page nobody vetted (graphconform gen) lists
// its statement with the page's control characters made visible, in every format of graphconform list.
func TestInventoryShowsControlCharacters(t *testing.T) {
	fsys := fstest.MapFS{"op/a.feature": {Data: []byte("Feature: x\n  @req:X-001 @must\n  Scenario: s\n    The service MUST \x1b[2Janswer\x07.\n\n    When nothing\n")}}
	entries, err := Inventory(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Statement != `The service MUST \x1b[2Janswer\x07.` {
		t.Errorf("entries %q; want the statement with \\x1b and \\x07 shown", entries)
	}
}
