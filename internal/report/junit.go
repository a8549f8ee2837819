package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/check"
)

// WriteJUnit writes the Result as JUnit XML, the way CI tools (Jenkins, GitLab) read it and as the schema in
// testdata/jenkins-junit.xsd has it: one testsuite per operation (the features' @op: tag), one testcase per
// scenario (a Scenario Outline gives one per row) named by its requirement id and title, classname the
// operation. A failed scenario has a failure of type MUST or SHOULD whose message is the deciding line and whose
// text is the reason, every exchange of the scenario and its replay script; one that was undefined, pending or
// cut short is a failure too (it did not show conformance), its status in the message. A skipped one has its
// reason. Times are never negative; the counts are the Result's.
func WriteJUnit(w io.Writer, res *graphconformtest.Result) error {
	suites := junit.Testsuites{Name: "graphconform"}
	byOp := map[string]*junit.Testsuite{}
	var ops []string
	var total time.Duration
	for _, o := range res.Outcomes {
		op := cmp.Or(o.Operation, o.Feature, "graphconform")
		s, ok := byOp[op]
		if !ok {
			s = &junit.Testsuite{Name: xmlText(op)}
			if !res.Started.IsZero() {
				s.SetTimestamp(res.Started)
			}
			byOp[op] = s
			ops = append(ops, op)
		}
		s.AddTestcase(testcase(op, o))
		total += max(o.Duration, 0)
	}
	slices.Sort(ops)
	var sum time.Duration
	for i, op := range ops {
		s := byOp[op]
		s.ID = i
		var d time.Duration
		for _, o := range res.Outcomes {
			if cmp.Or(o.Operation, o.Feature, "graphconform") == op {
				d += max(o.Duration, 0)
			}
		}
		sum += d
		s.Time = seconds(d)
		suites.AddSuite(*s)
	}
	// The run's wall time, not the sum of the scenarios' (they run concurrently); never less than zero.
	suites.Time = seconds(max(res.Duration, 0))
	// The schema CI tools follow has no skipped count on testsuites (each testsuite has its own).
	suites.Skipped = 0
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if err := suites.WriteXML(&buf); err != nil {
		return fmt.Errorf("write JUnit: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func testcase(op string, o graphconformtest.Outcome) junit.Testcase {
	tc := junit.Testcase{
		Name:      xmlText(o.ID + " " + o.Scenario),
		Classname: xmlText(op),
		Time:      seconds(max(o.Duration, 0)),
	}
	switch {
	case o.Status == graphconformtest.StatusSkipped:
		tc.Skipped = &junit.Result{Message: xmlText(oneLine(o.Reason))}
	case o.Status.Failing():
		msg := cmp.Or(o.Headline, firstLine(o.Reason), string(o.Status))
		if o.Status != graphconformtest.StatusFailed {
			msg = string(o.Status) + ": " + msg
		}
		var text strings.Builder
		fmt.Fprintf(&text, "%s (%s): %s\n%s\n", o.ID, o.Level, o.Statement, o.Reason)
		switch {
		case o.Transcript != "":
			fmt.Fprintf(&text, "\nEvery exchange of the scenario:\n%s", o.Transcript)
		case o.Evidence != "":
			fmt.Fprintf(&text, "\nEvidence:\n%s", o.Evidence)
		}
		if o.Replay != "" {
			fmt.Fprintf(&text, "\nReplay with curl (bash; the token in GRAPH_TOKEN):\n%s", o.Replay)
		}
		tc.Failure = &junit.Result{Message: xmlText(oneLine(msg)), Type: string(o.Level), Data: xmlText(text.String())}
	}
	return tc
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// xmlText is text as XML 1.0 can hold it: control characters made visible (check.Visible), and the few
// characters XML has no place for (U+FFFE, U+FFFF) replaced.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, check.Visible(s))
}
