package graphconform_test

import (
	"context"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/suite"
	"github.com/graphconform/graphconform/internal/target"
)

// TestConformance runs every feature against the embedded reference mock,
// through the same constructor the CLI uses, scenarios as subtests and
// several at once. The mock must pass every requirement (a skip is reported,
// never counted as a pass), and the store must be empty afterwards: every
// scenario cleaned up what it created.
func TestConformance(t *testing.T) {
	for _, version := range []string{"v1.0", "beta", "localtest"} {
		t.Run(version, func(t *testing.T) {
			var mock *graphmock.Mock
			tg, err := target.Embedded(target.WithVersion(version), target.WithMock(func(m *graphmock.Mock) { mock = m }))
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Close()
			res, err := suite.Run(context.Background(), suite.Options{Target: tg, TestingT: t, Concurrency: 4})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Requirements) == 0 {
				t.Fatal("no scenario ran")
			}
			for _, r := range res.Requirements {
				switch r.Status {
				case suite.StatusPassed:
				case suite.StatusSkipped:
					t.Logf("skipped %s %q: %s", r.ID, r.Scenario, r.Reason)
				default:
					t.Errorf("%s %q %s: %s\n%s", r.ID, r.Scenario, r.Status, r.Reason, r.Evidence)
				}
			}
			for _, l := range res.Leftovers {
				t.Errorf("leftover: %s", l)
			}
			if c, a := mock.Counts(); c != 0 || a != 0 {
				t.Errorf("the store holds %d configurations and %d assignments after the run; want none", c, a)
			}
			t.Logf("%d scenarios (%d passed, %d skipped), seed %d, concurrency %d, %s",
				len(res.Requirements), res.Count(suite.StatusPassed), res.Count(suite.StatusSkipped), res.Seed, res.Concurrency, res.Duration)
		})
	}
}
