package suite

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// collector records each scenario's outcome from godog's hooks. Scenarios
// run concurrently: its maps are guarded.
type collector struct {
	inv       *inv
	mu        sync.Mutex
	outcomes  map[string]outcome // by pickle id
	leftovers []string
}

type outcome struct {
	status   string
	reason   string
	evidence string
}

func newCollector(inv *inv) *collector {
	return &collector{inv: inv, outcomes: map[string]outcome{}}
}

func (c *collector) leftover(msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.leftovers = append(c.leftovers, msg)
}

// register adds the hooks for one scenario; first holds its first step that
// did not pass (later steps are only skipped because of it).
func (c *collector) register(sc *godog.ScenarioContext) {
	var first struct {
		status godog.StepResultStatus
		err    error
		set    bool
	}
	sc.StepContext().After(func(ctx context.Context, _ *godog.Step, st godog.StepResultStatus, err error) (context.Context, error) {
		if st != godog.StepPassed && !first.set {
			first.status, first.err, first.set = st, err, true
		}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		o := outcome{status: StatusPassed}
		if first.set {
			o = classify(first.status, first.err)
		} else if err != nil {
			o = classify(godog.StepFailed, err)
		}
		c.mu.Lock()
		c.outcomes[p.Id] = o
		c.mu.Unlock()
		return ctx, nil
	})
}

func classify(st godog.StepResultStatus, err error) outcome {
	switch {
	case st == godog.StepSkipped || errors.Is(err, godog.ErrSkip):
		reason := "skipped"
		if err != nil {
			reason = strings.TrimPrefix(err.Error(), godog.ErrSkip.Error()+": ")
		}
		return outcome{status: StatusSkipped, reason: reason}
	case st == godog.StepUndefined:
		return outcome{status: StatusUndefined, reason: "a step has no definition (a feature bug): " + errText(err)}
	case st == godog.StepPending:
		return outcome{status: StatusPending, reason: "a step is pending: " + errText(err)}
	}
	o := outcome{status: StatusFailed, reason: errText(err)}
	if f, ok := check.AsFailure(err); ok {
		// The reason without the evidence; the evidence on its own.
		o.reason = strings.Replace(err.Error(), f.Error(), f.Summary(), 1)
		if f.Evidence != nil {
			o.evidence = f.Evidence.String()
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

// result lists every selected scenario; one that never reported (a
// scenario without steps, say) did not pass.
func (c *collector) result(secrets []string) ([]Requirement, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	red := check.NewRedactor(secrets)
	out := make([]Requirement, 0, len(c.inv.pickles))
	for _, p := range c.inv.pickles {
		o, ok := c.outcomes[p.id]
		if !ok {
			o = outcome{status: StatusUndefined, reason: "the scenario did not run (no steps?)"}
		}
		out = append(out, Requirement{
			ID: p.req, Level: p.level, Statement: p.stmt, Scenario: p.name, Feature: p.uri,
			Status: o.status, Reason: red.String(o.reason), Evidence: red.String(o.evidence),
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Scenario < out[j].Scenario
	})
	left := append([]string(nil), c.leftovers...)
	for i := range left {
		left[i] = red.String(left[i])
	}
	return out, left
}
