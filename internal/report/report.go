// Package report turns the Result of a run (graphconformtest.Result) into what people read: the console
// summary printed at the end of a run, and the conformance report (JSON for machines, Markdown for people),
// requirement by requirement.
//
// The Report groups the Result's scenarios by requirement; its JSON layout is a contract of its own
// (SchemaVersion), so that a vendor's tooling that reads it does not break when the library's types grow. It
// renders text the library already redacted: nothing here redacts again.
package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/graphconform/graphconform/graphconformtest"
)

// What a requirement can come to: it passed, failed, or every scenario of it was skipped.
const (
	Passed  = graphconformtest.StatusPassed
	Failed  = graphconformtest.StatusFailed
	Skipped = graphconformtest.StatusSkipped
)

// Meta describes the run, besides what its Result says.
type Meta struct {
	Tool       string // "graphconform"
	Version    string // the tool's version
	TargetKind string // embedded, container, remote
	Tags       string // the tag expression that selected the scenarios, if any
	// Interrupted: the run was stopped (SIGINT/SIGTERM) before every scenario ran; the results are partial.
	Interrupted bool
}

// SchemaVersion names the layout of the JSON report; it changes only when a field changes meaning or goes away.
const SchemaVersion = "graphconform.report/v1"

// Report is the conformance report of one run.
type Report struct {
	Schema       string                  `json:"schema"` // SchemaVersion
	Tool         string                  `json:"tool"`
	Version      string                  `json:"version"`
	Target       string                  `json:"target"`
	TargetKind   string                  `json:"targetKind"`
	Tags         string                  `json:"tags,omitempty"`
	Started      time.Time               `json:"started"`
	Seconds      float64                 `json:"durationSeconds"`
	Retries      int                     `json:"retries,omitempty"`
	Seed         int64                   `json:"seed,omitempty"`
	Leftovers    []string                `json:"leftovers,omitempty"`   // created by the run and not deleted: clean up by hand
	Interrupted  bool                    `json:"interrupted,omitempty"` // stopped before every scenario ran: partial results
	Result       graphconformtest.Status `json:"result"`                // passed or failed: Result.Passed, the verdict
	Summary      Summary                 `json:"summary"`
	Requirements []Requirement           `json:"requirements"`
	// Baseline is the run set against a baseline (--baseline), when it was given.
	Baseline *Comparison `json:"baseline,omitempty"`
}

// Summary counts requirements (not scenarios) by level and result.
type Summary struct {
	Must   Counts `json:"must"`
	Should Counts `json:"should"`
}

// Counts of requirements per result.
type Counts struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// Total is the number of requirements counted.
func (c Counts) Total() int { return c.Passed + c.Failed + c.Skipped }

// Requirement is one requirement and the outcome of every scenario that checks it.
type Requirement struct {
	ID        string                  `json:"id"`
	Level     graphconformtest.Level  `json:"level"`
	Statement string                  `json:"statement"`
	Result    graphconformtest.Status `json:"result"`             // passed, failed or skipped
	Reason    string                  `json:"reason,omitempty"`   // of the first failed (else skipped) scenario
	Headline  string                  `json:"headline,omitempty"` // the line of Reason that decides it
	Evidence  string                  `json:"evidence,omitempty"` // of the first failed scenario
	Scenarios []Scenario              `json:"scenarios"`
}

// Scenario is the outcome of one scenario of a requirement.
type Scenario struct {
	Name     string                  `json:"name"`
	Result   graphconformtest.Status `json:"result"`           // passed, failed or skipped
	Status   graphconformtest.Status `json:"status,omitempty"` // the scenario's own status when it says more (undefined, pending, not run)
	Reason   string                  `json:"reason,omitempty"`
	Headline string                  `json:"headline,omitempty"` // the line of Reason that decides it
	Evidence string                  `json:"evidence,omitempty"`
	// Transcript (every exchange of the scenario, setup and cleanup included) and Replay (a bash script that
	// sends them again with curl) are kept for a scenario that failed.
	Transcript string `json:"transcript,omitempty"`
	Replay     string `json:"replay,omitempty"`
}

// Build groups the Result's scenarios by requirement. A requirement failed when any of its scenarios did not
// pass or skip (an undefined or pending step, or a scenario cut short, did not check it), passed when at least
// one passed and none failed, and was skipped when every scenario was skipped. The report's verdict is the
// Result's (Passed), and an interrupted run did not pass. Requirements are listed by id, so each operation's
// requirements stay together (ids number MUST before SHOULD).
func Build(meta Meta, res *graphconformtest.Result) *Report {
	r := &Report{
		Schema:      SchemaVersion,
		Tool:        meta.Tool,
		Version:     meta.Version,
		Target:      res.BaseURL,
		TargetKind:  meta.TargetKind,
		Tags:        meta.Tags,
		Started:     res.Started,
		Seconds:     res.Duration.Round(time.Millisecond).Seconds(),
		Retries:     res.Retries,
		Seed:        res.Seed,
		Leftovers:   res.Leftovers,
		Interrupted: meta.Interrupted,
	}
	index := map[string]int{}
	for _, o := range res.Outcomes {
		i, ok := index[o.ID]
		if !ok {
			i = len(r.Requirements)
			index[o.ID] = i
			r.Requirements = append(r.Requirements, Requirement{ID: o.ID, Level: o.Level, Statement: o.Statement})
		}
		req := &r.Requirements[i]
		s := Scenario{Name: o.Scenario, Result: resultOf(o.Status), Reason: o.Reason, Headline: o.Headline, Evidence: o.Evidence}
		if s.Result == Failed {
			s.Transcript, s.Replay = o.Transcript, o.Replay
		}
		if s.Result != o.Status {
			s.Status = o.Status
		}
		if s.Result == Failed && s.Reason == "" {
			s.Reason = "step " + string(o.Status)
		}
		req.Scenarios = append(req.Scenarios, s)
	}
	for i := range r.Requirements {
		r.Requirements[i].settle()
	}
	slices.SortStableFunc(r.Requirements, func(a, b Requirement) int {
		return cmp.Compare(a.ID, b.ID)
	})
	r.Result = Failed
	if res.Passed() && !r.Interrupted {
		r.Result = Passed
	}
	for _, req := range r.Requirements {
		c := &r.Summary.Should
		if req.Level == graphconformtest.LevelMust {
			c = &r.Summary.Must
		}
		switch req.Result {
		case Passed:
			c.Passed++
		case Failed:
			c.Failed++
		default:
			c.Skipped++
		}
	}
	return r
}

// settle derives the requirement's result, reason and evidence from its scenarios.
func (req *Requirement) settle() {
	var passed, failed, skipped int
	for _, s := range req.Scenarios {
		switch s.Result {
		case Passed:
			passed++
		case Failed:
			failed++
			if failed == 1 {
				req.Reason, req.Headline, req.Evidence = s.Reason, s.Headline, s.Evidence
			}
		default:
			skipped++
		}
	}
	switch {
	case failed > 0:
		req.Result = Failed
	case passed > 0:
		req.Result = Passed
	default:
		req.Result = Skipped
	}
	if failed == 0 && skipped > 0 {
		for _, s := range req.Scenarios {
			if s.Result == Skipped {
				req.Reason, req.Headline = s.Reason, s.Headline
				break
			}
		}
	}
}

func resultOf(s graphconformtest.Status) graphconformtest.Status {
	switch {
	case s.Failing():
		return Failed
	case s == Skipped:
		return Skipped
	}
	return Passed
}

// Failed lists the requirements that failed, in report order.
func (r *Report) Failed() []Requirement {
	var out []Requirement
	for _, req := range r.Requirements {
		if req.Result == Failed {
			out = append(out, req)
		}
	}
	return out
}
