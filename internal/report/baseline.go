package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/check"
)

// A baseline is what a vendor knows fails: a run compared with it passes when every failure is known, so a CI
// gate stops on new failures (regressions) only. It is read from either
//
//   - a JSON report of an earlier run (--report FILE.json): its failed requirements are the known ones, or
//
//   - a list written by hand, one requirement per line: its id, then, after a space or a tab, why it fails.
//     Blank lines and lines starting with # are ignored:
//
//     # graphconform baseline: known failures of our service
//     ECA-UPDATE-014  our JSON parser answers 500 to a cut body (BUG-1234)
//     ECA-UPDATE-106  PUT is routed to PATCH; fixed in 2.4
//
// A requirement is known as a whole: a baseline entry covers every row of its Scenario Outline.
type Baseline struct {
	Source string            // the file it was read from
	Known  map[string]string // requirement id -> why it is known to fail ("" when the baseline does not say)
}

// maxBaseline bounds a baseline file (a report of every requirement with its evidence is far smaller).
const maxBaseline = 64 << 20

var requirementID = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// ReadBaseline reads a baseline from path: a JSON report or a hand-written list (see Baseline).
func ReadBaseline(path string) (*Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBaseline+1))
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	if len(data) > maxBaseline {
		return nil, fmt.Errorf("baseline %s: larger than %d MiB", path, maxBaseline>>20)
	}
	return ParseBaseline(path, data)
}

// ParseBaseline reads a baseline from data; name says where it came from, for messages.
func ParseBaseline(name string, data []byte) (*Baseline, error) {
	b := &Baseline{Source: name, Known: map[string]string{}}
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		r, err := ReadReport(name, data)
		if err != nil {
			return nil, err
		}
		for _, req := range r.Failed() {
			b.Known[req.ID] = cmpOr(req.headline(), "failed in the baseline run")
		}
		return b, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, why, _ := strings.Cut(strings.ReplaceAll(line, "\t", " "), " ")
		if !requirementID.MatchString(id) {
			return nil, fmt.Errorf("baseline %s, line %d: %q is not a requirement id (want one per line, such as ECA-UPDATE-014, then why it fails; or a JSON report)", name, n, clip(id, 40))
		}
		if _, dup := b.Known[id]; dup {
			return nil, fmt.Errorf("baseline %s, line %d: %s is listed twice", name, n, id)
		}
		b.Known[id] = strings.TrimSpace(why)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", name, err)
	}
	return b, nil
}

// ReadReport parses a JSON report this tool wrote (schema SchemaVersion).
func ReadReport(name string, data []byte) (*Report, error) {
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: not a JSON report of graphconform: %v", name, err)
	}
	if r.Schema != SchemaVersion {
		return nil, fmt.Errorf("%s: report schema %q; want %q (a report written by graphconform run --report FILE.json)", name, clip(r.Schema, 60), SchemaVersion)
	}
	return &r, nil
}

// Comparison is a run set against a baseline.
type Comparison struct {
	Baseline    string       `json:"baseline"`              // the baseline's file
	Regressions []Difference `json:"regressions,omitempty"` // failed, and not in the baseline
	Known       []Difference `json:"known,omitempty"`       // failed, as the baseline says
	Fixed       []Difference `json:"fixed,omitempty"`       // in the baseline, and passed: remove them from it
	NotChecked  []Difference `json:"notChecked,omitempty"`  // in the baseline, and skipped or not selected by the run
}

// Difference is one requirement of a Comparison.
type Difference struct {
	ID       string                 `json:"id"`
	Level    graphconformtest.Level `json:"level,omitempty"`
	Headline string                 `json:"headline,omitempty"` // why it failed in this run
	Known    string                 `json:"known,omitempty"`    // why the baseline says it fails
}

// Compare sets r against b.
func Compare(b *Baseline, r *Report) *Comparison {
	c := &Comparison{Baseline: b.Source}
	seen := map[string]bool{}
	for _, req := range r.Requirements {
		seen[req.ID] = true
		why, known := b.Known[req.ID]
		d := Difference{ID: req.ID, Level: req.Level, Known: why}
		switch {
		case req.Result == Failed && known:
			d.Headline = req.headline()
			c.Known = append(c.Known, d)
		case req.Result == Failed:
			d.Headline = req.headline()
			c.Regressions = append(c.Regressions, d)
		case req.Result == Passed && known:
			c.Fixed = append(c.Fixed, d)
		case known:
			c.NotChecked = append(c.NotChecked, d)
		}
	}
	for _, id := range sortedKeys(b.Known) {
		if !seen[id] {
			c.NotChecked = append(c.NotChecked, Difference{ID: id, Known: b.Known[id]})
		}
	}
	return c
}

// Passed is the comparison's verdict: no regression.
func (c *Comparison) Passed() bool { return len(c.Regressions) == 0 }

// Write prints the comparison for a console: regressions, still-known failures, fixed entries (to remove from
// the baseline), entries this run did not check, and a one-line verdict.
func (c *Comparison) Write(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "\nCompared with the baseline %s:\n", check.Visible(c.Baseline))
	line := func(word string, d Difference, text string) {
		level := ""
		if d.Level != "" {
			level = " (" + string(d.Level) + ")"
		}
		// A report read back from a file is untrusted like a target: its text is shown with control characters made
		// visible.
		fmt.Fprintf(ew, "  %-11s %s%s: %s\n", word, check.Visible(d.ID), check.Visible(string(level)), clip(oneLine(check.Visible(text)), 160))
	}
	for _, d := range c.Regressions {
		line("regression", d, d.Headline+"; not in the baseline")
	}
	for _, d := range c.Known {
		line("known", d, cmpOr(d.Known, d.Headline))
	}
	for _, d := range c.Fixed {
		line("fixed", d, "passes now: remove it from the baseline")
	}
	for _, d := range c.NotChecked {
		line("not checked", d, "in the baseline, but skipped or not selected by this run")
	}
	if len(c.Regressions)+len(c.Known)+len(c.Fixed)+len(c.NotChecked) == 0 {
		fmt.Fprintf(ew, "  nothing failed, and the baseline lists nothing\n")
	}
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, c.Verdict())
	return ew.err
}

// Verdict is the comparison's one line.
func (c *Comparison) Verdict() string {
	var tail []string
	if n := len(c.Known); n > 0 {
		tail = append(tail, fmt.Sprintf("%d known", n))
	}
	if n := len(c.Fixed); n > 0 {
		tail = append(tail, fmt.Sprintf("%d fixed: remove from the baseline", n))
	}
	extra := ""
	if len(tail) > 0 {
		extra = " (" + strings.Join(tail, ", ") + ")"
	}
	if c.Passed() {
		return "BASELINE PASS: no failure outside the baseline" + extra
	}
	var ids []string
	for _, d := range c.Regressions {
		ids = append(ids, check.Visible(d.ID))
	}
	return fmt.Sprintf("BASELINE FAIL: %s not in the baseline: %s%s", plural(len(c.Regressions), "failed requirement"), strings.Join(ids, ", "), extra)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
