package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/check"
)

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	r = r.visible()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteSummary writes the end-of-run summary for a console: one line per requirement, the reason under each
// requirement that failed or was skipped, the counts per level, and the verdict. Evidence is left to the
// formatter output above it and to the report file. Statements are clipped to keep a line on a terminal, after
// dropping "The service ", the subject every statement shares.
func (r *Report) WriteSummary(w io.Writer) error {
	r = r.visible()
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "\nRequirements checked against %s (%s)\n", r.Target, r.TargetKind)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	for _, req := range r.Requirements {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", req.ID, req.Level, resultWord(req.Result), clip(strings.TrimPrefix(req.Statement, "The service "), 72))
		if req.Reason != "" && req.Result != Passed {
			fmt.Fprintf(tw, "  \t\t\t%s: %s\n", reasonLabel(req.Result), clip(oneLine(req.headline()), 160))
		}
	}
	tw.Flush()
	fmt.Fprintln(ew)
	fmt.Fprintf(ew, "  MUST    %s\n", r.Summary.Must)
	fmt.Fprintf(ew, "  SHOULD  %s\n", r.Summary.Should)
	if r.Retries > 0 {
		fmt.Fprintf(ew, "  retried requests (429/503): %d\n", r.Retries)
	}
	if r.Seed != 0 {
		fmt.Fprintf(ew, "  scenario order: --seed %d\n", r.Seed)
	}
	if len(r.Leftovers) > 0 {
		fmt.Fprintf(ew, "\n  Created by this run and NOT deleted (remove them by hand):\n")
		for _, l := range r.Leftovers {
			fmt.Fprintf(ew, "    %s\n", oneLine(l))
		}
	}
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, r.Verdict())
	if r.Baseline != nil && ew.err == nil {
		return r.Baseline.Write(ew)
	}
	return ew.err
}

// Verdict is the one-line outcome: which requirements failed, or that every selected one passed.
func (r *Report) Verdict() string {
	failed := r.Failed()
	if r.Interrupted {
		return fmt.Sprintf("INTERRUPTED: the run was stopped before it ended; %d of %s passed, the results are partial",
			r.Summary.Must.Passed+r.Summary.Should.Passed, plural(len(r.Requirements), "requirement"))
	}
	if r.Result == Passed {
		total := r.Summary.Must.Total() + r.Summary.Should.Total()
		skipped := r.Summary.Must.Skipped + r.Summary.Should.Skipped
		if skipped > 0 {
			return fmt.Sprintf("PASS: every selected scenario passed (%s, %d skipped)", plural(total, "requirement"), skipped)
		}
		return fmt.Sprintf("PASS: every selected scenario passed (%s)", plural(total, "requirement"))
	}
	if len(failed) == 0 {
		// Not a pass: nothing was checked (Result.Passed needs at least one scenario that passed).
		return fmt.Sprintf("FAIL: no selected scenario ran to a verdict: all %s skipped (see the reasons above)",
			plural(len(r.Requirements), "requirement"))
	}
	const listed = 12 // a broken service fails most requirements: the verdict stays one readable line
	var ids []string
	for i, req := range failed {
		if i == listed {
			ids = append(ids, fmt.Sprintf("and %d more", len(failed)-listed))
			break
		}
		ids = append(ids, req.ID+" ("+string(req.Level)+")")
	}
	return fmt.Sprintf("FAIL: %s failed: %s", plural(len(failed), "requirement"), strings.Join(ids, ", "))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func (c Counts) String() string {
	return fmt.Sprintf("%2d passed, %d failed, %d skipped", c.Passed, c.Failed, c.Skipped)
}

// WriteMarkdown writes the report for people: the verdict, the counts, a table of requirements, then the reason
// and evidence of every requirement that failed or was skipped.
func (r *Report) WriteMarkdown(w io.Writer) error {
	r = r.visible()
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "# Conformance report\n\n")
	fmt.Fprintf(ew, "- Target: `%s` (%s)\n", r.Target, r.TargetKind)
	fmt.Fprintf(ew, "- Tool: %s %s\n", r.Tool, r.Version)
	if !r.Started.IsZero() {
		fmt.Fprintf(ew, "- Started: %s, took %.1fs\n", r.Started.UTC().Format("2006-01-02 15:04:05 MST"), r.Seconds)
	}
	if r.Tags != "" {
		fmt.Fprintf(ew, "- Tags: `%s`\n", r.Tags)
	}
	if r.Retries > 0 {
		fmt.Fprintf(ew, "- Retried requests (429/503): %d\n", r.Retries)
	}
	if r.Seed != 0 {
		fmt.Fprintf(ew, "- Scenario order: `--seed %d`\n", r.Seed)
	}
	for _, l := range r.Leftovers {
		fmt.Fprintf(ew, "- **Not deleted** (created by this run): %s\n", oneLine(l))
	}
	fmt.Fprintf(ew, "\n**%s**\n\n", r.Verdict())
	if c := r.Baseline; c != nil {
		fmt.Fprintf(ew, "Compared with the baseline `%s`: **%s**\n\n", c.Baseline, c.Verdict())
		for _, g := range []struct {
			word string
			ds   []Difference
		}{{"Regression", c.Regressions}, {"Known", c.Known}, {"Fixed (remove from the baseline)", c.Fixed}, {"Not checked", c.NotChecked}} {
			for _, d := range g.ds {
				fmt.Fprintf(ew, "- %s: %s %s\n", g.word, d.ID, cell(cmpOr(d.Headline, d.Known)))
			}
		}
		fmt.Fprintln(ew)
	}
	fmt.Fprintf(ew, "| Level | Passed | Failed | Skipped |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(ew, "| MUST | %d | %d | %d |\n", r.Summary.Must.Passed, r.Summary.Must.Failed, r.Summary.Must.Skipped)
	fmt.Fprintf(ew, "| SHOULD | %d | %d | %d |\n\n", r.Summary.Should.Passed, r.Summary.Should.Failed, r.Summary.Should.Skipped)
	fmt.Fprintf(ew, "## Requirements\n\n| Id | Level | Result | Statement |\n|---|---|---|---|\n")
	for _, req := range r.Requirements {
		fmt.Fprintf(ew, "| %s | %s | %s | %s |\n", req.ID, req.Level, resultWord(req.Result), cell(req.Statement))
	}
	var details []Requirement
	for _, req := range r.Requirements {
		if req.Result != Passed {
			details = append(details, req)
		}
	}
	if len(details) > 0 {
		fmt.Fprintf(ew, "\n## Failures and skips\n")
	}
	for _, req := range details {
		fmt.Fprintf(ew, "\n### %s (%s): %s\n\n%s\n", req.ID, req.Level, req.Result, req.Statement)
		for _, s := range req.Scenarios {
			if s.Result == Passed {
				continue
			}
			fmt.Fprintf(ew, "\n- Scenario: %s: %s\n", s.Name, s.Result)
			if s.Reason != "" {
				fmt.Fprintf(ew, "\n%s\n", fence(s.Reason))
			}
			switch {
			case s.Transcript != "":
				fmt.Fprintf(ew, "\nEvery exchange of the scenario:\n\n%s\n", fence(s.Transcript))
			case s.Evidence != "" && s.Evidence != s.Reason:
				fmt.Fprintf(ew, "\nEvidence:\n\n%s\n", fence(s.Evidence))
			}
			if s.Replay != "" {
				fmt.Fprintf(ew, "\nReplay with curl (bash; the token in GRAPH_TOKEN):\n\n%s\n", fenceAs("bash", s.Replay))
			}
		}
	}
	return ew.err
}

// headline is the line of the reason that decides it (a report read back from an older file has none: its
// reason's first line).
func (req Requirement) headline() string {
	if req.Headline != "" {
		return req.Headline
	}
	line, _, _ := strings.Cut(req.Reason, "\n")
	return strings.TrimPrefix(line, req.ID+": ")
}

func resultWord(result graphconformtest.Status) string {
	if result == Failed {
		return "FAILED"
	}
	return string(result)
}

func reasonLabel(result graphconformtest.Status) string {
	if result == Skipped {
		return "skipped because"
	}
	return "reason"
}

// fence puts text in a code block whose fence is longer than any backtick run inside it.
func fence(s string) string { return fenceAs("text", s) }

func fenceAs(lang, s string) string {
	ticks := "```"
	for strings.Contains(s, ticks) {
		ticks += "`"
	}
	return ticks + lang + "\n" + strings.TrimRight(s, "\n") + "\n" + ticks
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(oneLine(check.Visible(s)), "|", `\|`)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// errWriter keeps the first write error so the renderers can write without checking every call.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
