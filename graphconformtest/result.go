package graphconformtest

import (
	"slices"
	"time"
)

// Status is how one scenario ended.
type Status string

// The statuses of a scenario. Only StatusPassed and StatusSkipped do not fail a run: a step with no definition
// (undefined), a pending step and a scenario that never ran (an interrupted run) did not show conformance.
const (
	StatusPassed    Status = "passed"
	StatusFailed    Status = "failed"
	StatusSkipped   Status = "skipped"
	StatusUndefined Status = "undefined"
	StatusPending   Status = "pending"
	StatusNotRun    Status = "not run"
)

// Failing reports whether a scenario that ended with s fails the run.
func (s Status) Failing() bool { return s != StatusPassed && s != StatusSkipped }

// Level is a requirement's RFC 2119 level.
type Level string

// The levels: MUST comes from the doc page itself, SHOULD from Graph's general conventions.
const (
	LevelMust   Level = "MUST"
	LevelShould Level = "SHOULD"
)

// Requirement is one scenario as the features declare it: a Scenario Outline gives one per example row, all
// with the same ID.
type Requirement struct {
	ID        string `json:"id"`        // stable id from the scenario's @req: tag, such as ECA-UPDATE-001
	Level     Level  `json:"level"`     // from the @must or @should tag
	Statement string `json:"statement"` // the RFC 2119 sentence under the scenario's title
	Scenario  string `json:"scenario"`  // the scenario's name (an outline's row filled in)
	Feature   string `json:"feature"`   // the .feature file, relative to the features' root
	Operation string `json:"operation"` // from the @op: tag, such as enrollmentConfigurationAssignment.update
}

// Outcome is how one scenario of a run ended.
type Outcome struct {
	Requirement
	Status Status
	// Reason says why the scenario failed or was skipped: the requirement id, "got X; want Y" and any detail.
	// Secrets are redacted.
	Reason string
	// Headline is the line of Reason that decides it, for a summary with room for one line: the first detail of
	// the failing check (the first property that differs, the first schema problem) or its "got X; want Y".
	Headline string
	// Evidence is the transcript of the failing exchange: request line, relevant headers, body excerpts, the
	// response status. Secrets are redacted.
	Evidence string
	// Transcript is every exchange of the scenario in order, the setup requests and the cleanup after it
	// included, rendered as Evidence is (at most check's bound of exchanges). Secrets are redacted.
	Transcript string
	// Replay, for a scenario that failed, is a bash script that sends its requests again with curl against the
	// same service: the token from $GRAPH_TOKEN, what it creates named with a fresh run id, the ids later
	// requests address taken from the responses with jq. It holds no secret.
	Replay   string
	Duration time.Duration
}

// Result is the outcome of a run, scenario by scenario.
type Result struct {
	BaseURL     string    // the target's base URL, as checked (no trailing slash)
	Outcomes    []Outcome // sorted by ID, then scenario
	Seed        int64     // the scenario order: pass it to Seed to replay a run
	RunID       string    // in the displayName of everything the run created (graphconform-<RunID>-...)
	Concurrency int       // scenarios run at once
	Started     time.Time
	Duration    time.Duration
	// Leftovers lists what the run created and could not delete (or could not restore), for the caller to
	// clean up. Secrets are redacted.
	Leftovers []string
	// Retries counts the requests re-sent after a 429 or 503 answer (or a transport error on an idempotent
	// request).
	Retries int
}

// Passed is the verdict: every selected scenario ran and passed or was skipped, and at least one passed (a run
// whose every scenario was skipped showed nothing).
func (r *Result) Passed() bool {
	if r == nil {
		return false
	}
	passed := false
	for _, o := range r.Outcomes {
		if o.Status.Failing() {
			return false
		}
		passed = passed || o.Status == StatusPassed
	}
	return passed
}

// Failed lists the scenarios that failed, were undefined or pending, or did not run.
func (r *Result) Failed() []Outcome {
	var out []Outcome
	for _, o := range r.Outcomes {
		if o.Status.Failing() {
			out = append(out, o)
		}
	}
	return out
}

// FailedIDs lists the distinct ids of the requirements that did not pass, sorted.
func (r *Result) FailedIDs() []string {
	var ids []string
	for _, o := range r.Failed() {
		ids = append(ids, o.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Count returns how many scenarios ended with s.
func (r *Result) Count(s Status) int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Status == s {
			n++
		}
	}
	return n
}
