package graphconformtest_test

import (
	"context"
	"github.com/graphconform/graphconform/graphconformtest"
	"net/http"
	"slices"
	"testing"

	"github.com/graphconform/graphconform/internal/defects"
	"github.com/graphconform/graphconform/internal/target"
)

// The converse of the meta-test: a service that differs from our mock only where the doc and Graph's conventions
// leave it free (media type spelling, minimal annotations, '#' in type names, extra properties, the error
// object's optional members, a list that converges within the window, an id in a PATCH body ignored rather
// than refused) passes every MUST of the whole feature set, and every SHOULD but those it declares it misses
// (a recommendation it has reasons not to follow). Our mock is not the judge.
func TestConformantVariationsPass(t *testing.T) {
	for _, v := range defects.Variations() {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			if len(v.Breaks) != 0 {
				t.Fatalf("variation %q declares broken requirements %v; variations are conformant", v.Name, v.Breaks)
			}
			tg := embedded(t, target.WithHandler(func(h http.Handler) http.Handler { return v.Wrap(h, defects.Config{}) }))
			res, err := graphconformtest.Check(context.Background(), tg.Target, graphconformtest.ConvergenceWindow(metaWindow))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Failed() {
				if slices.Contains(v.Misses, r.ID) && r.Level == graphconformtest.LevelShould {
					continue
				}
				t.Errorf("%s (%s) failed against a conformant variation (%s):\n%s", r.ID, r.Scenario, v.Description, r.Reason)
			}
			for _, id := range v.Misses {
				if !slices.Contains(res.FailedIDs(), id) {
					t.Errorf("%q declares it misses %s, which passed: the declaration is stale", v.Name, id)
				}
			}
			if res.Count(graphconformtest.StatusPassed) == 0 {
				t.Error("nothing passed; the variation was not exercised")
			}
		})
	}
}
