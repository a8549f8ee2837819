package graphconformtest

import (
	"context"
	"errors"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// collector records each scenario's outcome from godog's hooks. Scenarios run concurrently: its maps are
// guarded.
type collector struct {
	pickles     []pickle
	stop        *runStop
	mu          sync.Mutex
	outcomes    map[string]Outcome   // by pickle id; Requirement unset
	transcripts map[string][2]string // by pickle id: transcript, replay
	leftovers   []string
	lost        map[string]time.Time // displayName of a create whose outcome is unknown -> when it was lost
}

func newCollector(pickles []pickle, stop *runStop) *collector {
	return &collector{pickles: pickles, stop: stop, outcomes: map[string]Outcome{}, transcripts: map[string][2]string{}, lost: map[string]time.Time{}}
}

// transcript keeps a scenario's transcript and replay script (steps.Env.Transcript).
func (c *collector) transcript(scenarioID, transcript, replay string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.transcripts[scenarioID] = [2]string{transcript, replay}
}

func (c *collector) leftover(msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.leftovers = append(c.leftovers, msg)
}

// lostCreate records a configuration created, perhaps, under name: the run looks it up before it ends.
func (c *collector) lostCreate(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.lost[name]; !ok {
		c.lost[name] = time.Now()
	}
}

// lostCreates returns the names of the creates whose outcome is unknown, and when each was lost.
func (c *collector) lostCreates() map[string]time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.lost)
}

// register adds the hooks for one scenario; first holds its first step that did not pass (later steps are only
// skipped because of it).
func (c *collector) register(sc *godog.ScenarioContext) {
	var first struct {
		status godog.StepResultStatus
		err    error
		set    bool
		at     time.Time
	}
	var started time.Time
	notStarted := ""
	sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
		started = time.Now()
		if why := c.stop.why(); why != "" {
			// Stopped: not one request of this scenario is sent.
			notStarted = "not run: the run stopped before this scenario began: " + why
			return ctx, godog.ErrSkip
		}
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, _ *godog.Step, st godog.StepResultStatus, err error) (context.Context, error) {
		if st != godog.StepPassed && !first.set {
			first.status, first.err, first.set, first.at = st, err, true, time.Now()
		}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		o := Outcome{Status: StatusPassed}
		switch {
		case notStarted != "":
			o = Outcome{Status: StatusNotRun, Reason: notStarted}
		case first.set:
			o = classify(first.status, first.err)
		case err != nil:
			o = classify(godog.StepFailed, err)
			first.at = time.Now()
		}
		if stopped := c.stop.stoppedAt(); o.Status.Failing() && o.Status != StatusNotRun && !stopped.IsZero() && !first.at.Before(stopped) {
			// It did not fail the requirement: the run stopped under it (its requests were refused or cut off).
			o.Status = StatusNotRun
			o.Reason = "not run to its end: the run stopped while this scenario ran: " + c.stop.why() + "\n" + o.Reason
			o.Headline = ""
		}
		o.Duration = time.Since(started)
		c.mu.Lock()
		c.outcomes[p.Id] = o
		c.mu.Unlock()
		return ctx, nil
	})
}

func classify(st godog.StepResultStatus, err error) Outcome {
	switch {
	case st == godog.StepSkipped || errors.Is(err, godog.ErrSkip):
		reason := "skipped"
		if err != nil {
			reason = strings.TrimPrefix(err.Error(), godog.ErrSkip.Error()+": ")
		}
		return Outcome{Status: StatusSkipped, Reason: reason, Headline: reason}
	case st == godog.StepUndefined:
		reason := "a step has no definition (a feature bug): " + errText(err)
		return Outcome{Status: StatusUndefined, Reason: reason, Headline: reason}
	case st == godog.StepPending:
		reason := "a step is pending: " + errText(err)
		return Outcome{Status: StatusPending, Reason: reason, Headline: reason}
	}
	o := Outcome{Status: StatusFailed, Reason: errText(err), Headline: check.Headline(err)}
	if f, ok := check.AsFailure(err); ok {
		// The reason without the evidence; the evidence on its own.
		o.Reason = strings.Replace(err.Error(), f.Error(), f.Summary(), 1)
		if f.Evidence != nil {
			o.Evidence = f.Evidence.String()
		}
	}
	return o
}

func errText(err error) string {
	if err == nil {
		return "(no message)"
	}
	return err.Error()
}

// result lists every selected scenario, sorted as the inventory is. One that never reported did not pass:
// not run when the run was cancelled, undefined otherwise (a scenario without steps). A check's failure and its
// evidence were redacted where the check rendered them (internal/check), with every secret known at the time,
// and so were the leftovers (steps); red removes the tokens and secrets, by the same rule, from the reasons
// that come from other errors.
func (c *collector) result(red *check.Redactor) ([]Outcome, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Outcome, 0, len(c.pickles))
	for _, p := range c.pickles {
		o, ok := c.outcomes[p.id]
		switch {
		case ok:
		case c.stop.why() != "":
			o = Outcome{Status: StatusNotRun, Reason: "not run: the run stopped before this scenario began: " + c.stop.why()}
		default:
			o = Outcome{Status: StatusUndefined, Reason: "the scenario did not run (no steps?)"}
		}
		o.Requirement = p.Requirement
		o.Reason = red.String(o.Reason)
		if o.Headline == "" {
			o.Headline, _, _ = strings.Cut(o.Reason, "\n")
		}
		o.Headline = red.String(o.Headline)
		if t, ok := c.transcripts[p.id]; ok {
			o.Transcript = red.String(t[0])
			if o.Status.Failing() {
				o.Replay = red.String(t[1])
			}
		}
		out = append(out, o)
	}
	return out, append([]string(nil), c.leftovers...)
}
