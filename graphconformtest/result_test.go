package graphconformtest_test

import (
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
)

func TestPassedNeedsOnePassedScenario(t *testing.T) {
	out := func(ss ...graphconformtest.Status) *graphconformtest.Result {
		r := &graphconformtest.Result{}
		for _, s := range ss {
			r.Outcomes = append(r.Outcomes, graphconformtest.Outcome{Status: s})
		}
		return r
	}
	for _, c := range []struct {
		name string
		res  *graphconformtest.Result
		want bool
	}{
		{"nil", nil, false},
		{"none", out(), false},
		{"all skipped", out(graphconformtest.StatusSkipped, graphconformtest.StatusSkipped), false},
		{"passed and skipped", out(graphconformtest.StatusPassed, graphconformtest.StatusSkipped), true},
		{"passed and failed", out(graphconformtest.StatusPassed, graphconformtest.StatusFailed), false},
		{"passed and not run", out(graphconformtest.StatusPassed, graphconformtest.StatusNotRun), false},
	} {
		if got := c.res.Passed(); got != c.want {
			t.Errorf("%s: Passed() = %v, want %v", c.name, got, c.want)
		}
	}
}
