// Package report turns the outcome of a suite run into what people read: the console summary printed at the
// end of a run, and the conformance report (JSON for machines, Markdown for people), requirement by
// requirement.
//
// It works on its own small types rather than on the suite's, so that the report format is a contract of its
// own: a vendor's tooling that reads the JSON must not break because the suite's internals changed.
package report

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Results a scenario or a requirement can have.
const (
	Passed  = "passed"
	Failed  = "failed"
	Skipped = "skipped"
)

// Levels of a requirement, as RFC 2119 words.
const (
	Must   = "MUST"
	Should = "SHOULD"
)

// Outcome is what happened to one scenario. A requirement is checked by one scenario, or by several (the rows
// of a Scenario Outline).
type Outcome struct {
	ID        string // requirement id, "ECA-UPDATE-001"
	Level     string // "must", "@should", "MUST": normalised by Build
	Statement string // the requirement in RFC 2119 words
	Scenario  string // the scenario's name
	Status    string // passed, failed, skipped, undefined, pending (the last two count as failed)
	Reason    string // why it failed or was skipped
	Evidence  string // request line, status, headers, body excerpt (already redacted by the suite)
}

// Meta describes the run.
type Meta struct {
	Tool       string    // "graphconform"
	Version    string    // the tool's version
	Target     string    // base URL of the target, up to and including the version segment
	TargetKind string    // embedded, container, remote
	Tags       string    // the tag expression that selected the scenarios, if any
	Started    time.Time // when the run started
	Duration   time.Duration
	Retries    int      // requests retried after 429/503 (0 when the target does not retry)
	Seed       int64    // the scenario order; 0 when unknown
	Leftovers  []string // what the run created and could not delete
	// Interrupted: the run was stopped (SIGINT/SIGTERM) before every scenario ran; the results are partial.
	Interrupted bool
}

// SchemaVersion names the layout of the JSON report; it changes only when a field changes meaning or goes away.
const SchemaVersion = "graphconform.report/v1"

// Report is the conformance report of one run.
type Report struct {
	Schema       string        `json:"schema"` // SchemaVersion
	Tool         string        `json:"tool"`
	Version      string        `json:"version"`
	Target       string        `json:"target"`
	TargetKind   string        `json:"targetKind"`
	Tags         string        `json:"tags,omitempty"`
	Started      time.Time     `json:"started"`
	Seconds      float64       `json:"durationSeconds"`
	Retries      int           `json:"retries,omitempty"`
	Seed         int64         `json:"seed,omitempty"`
	Leftovers    []string      `json:"leftovers,omitempty"`   // created by the run and not deleted: clean up by hand
	Interrupted  bool          `json:"interrupted,omitempty"` // stopped before every scenario ran: partial results
	Result       string        `json:"result"`                // passed or failed: failed when any selected requirement failed
	Summary      Summary       `json:"summary"`
	Requirements []Requirement `json:"requirements"`
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
	ID        string     `json:"id"`
	Level     string     `json:"level"`
	Statement string     `json:"statement"`
	Result    string     `json:"result"`
	Reason    string     `json:"reason,omitempty"`   // of the first failed (else skipped) scenario
	Evidence  string     `json:"evidence,omitempty"` // of the first failed scenario
	Scenarios []Scenario `json:"scenarios"`
}

// Scenario is the outcome of one scenario of a requirement.
type Scenario struct {
	Name     string `json:"name"`
	Result   string `json:"result"`
	Status   string `json:"status,omitempty"` // godog's status when it says more than Result (undefined, pending)
	Reason   string `json:"reason,omitempty"`
	Evidence string `json:"evidence,omitempty"`
}

// Build groups scenario outcomes by requirement. A requirement failed when any of its scenarios failed (an
// undefined or pending step counts as a failure: a requirement that was not checked did not pass), passed when
// at least one passed and none failed, and was skipped when every scenario was skipped. Requirements are listed
// by id, so each operation's requirements stay together (ids number MUST before SHOULD). Secrets are not removed here: call Redact.
func Build(meta Meta, outcomes []Outcome) *Report {
	r := &Report{
		Schema:      SchemaVersion,
		Tool:        meta.Tool,
		Version:     meta.Version,
		Target:      meta.Target,
		TargetKind:  meta.TargetKind,
		Tags:        meta.Tags,
		Started:     meta.Started,
		Seconds:     meta.Duration.Round(time.Millisecond).Seconds(),
		Retries:     meta.Retries,
		Seed:        meta.Seed,
		Leftovers:   meta.Leftovers,
		Interrupted: meta.Interrupted,
	}
	index := map[string]int{}
	for _, o := range outcomes {
		i, ok := index[o.ID]
		if !ok {
			i = len(r.Requirements)
			index[o.ID] = i
			r.Requirements = append(r.Requirements, Requirement{ID: o.ID, Level: NormalizeLevel(o.Level), Statement: o.Statement})
		}
		req := &r.Requirements[i]
		if req.Statement == "" {
			req.Statement = o.Statement
		}
		s := Scenario{Name: o.Scenario, Result: resultOf(o.Status), Reason: o.Reason, Evidence: o.Evidence}
		if s.Result != o.Status {
			s.Status = o.Status
		}
		if s.Result == Failed && s.Reason == "" {
			s.Reason = "step " + o.Status
		}
		req.Scenarios = append(req.Scenarios, s)
	}
	for i := range r.Requirements {
		r.Requirements[i].settle()
	}
	slices.SortStableFunc(r.Requirements, func(a, b Requirement) int {
		return cmp.Compare(a.ID, b.ID)
	})
	r.Result = Passed
	if r.Interrupted {
		r.Result = Failed // an interrupted run did not show conformance
	}
	for _, req := range r.Requirements {
		c := &r.Summary.Should
		if req.Level == Must {
			c = &r.Summary.Must
		}
		switch req.Result {
		case Passed:
			c.Passed++
		case Failed:
			c.Failed++
			r.Result = Failed
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
				req.Reason, req.Evidence = s.Reason, s.Evidence
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
				req.Reason = s.Reason
				break
			}
		}
	}
}

func resultOf(status string) string {
	switch strings.ToLower(status) {
	case Passed:
		return Passed
	case Skipped:
		return Skipped
	default: // failed, undefined, pending, ambiguous, anything unknown: not a pass
		return Failed
	}
}

// NormalizeLevel turns "must", "@must", "Must" into "MUST" (and likewise SHOULD). Anything else is upper-cased.
func NormalizeLevel(level string) string {
	return strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(level), "@"))
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
