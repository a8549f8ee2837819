package graphconformtest_test

import (
	"context"
	"github.com/graphconform/graphconform/graphconformtest"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/internal/defects"
	"github.com/graphconform/graphconform/internal/target"
)

// metaWindow is the convergence window of the meta-test and the variations: a list may lag, and the
// suite waits, but not beyond this (steps/convergence.go).
const metaWindow = 300 * time.Millisecond

// metaCases is how many bodies each generated scenario of the meta-test sends: the deterministic cases
// come first, in a fixed order, so what a defect breaks does not depend on the seed.
const metaCases = 8

// The suite can tell right from wrong: against each deliberately broken
// variant of the mock the run fails and names exactly the requirements the
// defect breaks, with a "got ...; want ..." reason and evidence; against the
// clean mock it passes.
func TestMetaDefectsAreCaught(t *testing.T) {
	t.Run("clean", func(t *testing.T) {
		t.Parallel()
		res, err := graphconformtest.Check(context.Background(), embedded(t).Target, graphconformtest.Tags(defects.Selection), graphconformtest.ConvergenceWindow(metaWindow), graphconformtest.GeneratedCases(metaCases))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Passed() || res.Count(graphconformtest.StatusPassed) != len(res.Outcomes) {
			for _, r := range res.Failed() {
				t.Errorf("%s %s: %s", r.ID, r.Scenario, firstLine(r.Reason))
			}
			t.Fatalf("the clean mock did not pass every requirement the defects cover")
		}
	})
	for _, d := range defects.All() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			const writer, reader = "meta-writer-token-0123456789", "meta-reader-token-0123456789"
			tg := embedded(t, target.WithTokens(writer, reader), target.WithHandler(func(h http.Handler) http.Handler {
				return d.Wrap(h, defects.Config{Token: writer})
			}))
			res, err := graphconformtest.Check(context.Background(), tg.Target, graphconformtest.Tags(defects.Selection), graphconformtest.ConvergenceWindow(metaWindow), graphconformtest.GeneratedCases(metaCases))
			if err != nil {
				t.Fatal(err)
			}
			if res.Passed() {
				t.Fatalf("the suite passed against %q (%s); want a failed run", d.Name, d.Description)
			}
			want := slices.Clone(d.Breaks)
			slices.Sort(want)
			got := res.FailedIDs()
			if got = slices.DeleteFunc(got, func(id string) bool { return slices.Contains(d.MayBreak, id) }); !slices.Equal(got, want) {
				t.Errorf("defect %q (%s):\n got failed %v\nwant failed %v (and maybe %v)", d.Name, d.Description, res.FailedIDs(), want, d.MayBreak)
				for _, r := range res.Failed() {
					t.Logf("%s %s: %s", r.ID, r.Scenario, firstLine(r.Reason))
				}
			}
			for _, r := range res.Failed() {
				if r.Status != graphconformtest.StatusFailed || !strings.HasPrefix(r.Reason, r.ID+": ") || !strings.Contains(r.Reason, "got ") || !strings.Contains(r.Reason, "; want ") {
					t.Errorf("%s %s: status %s, reason %q; want failed with \"ID: ... got X; want Y\"", r.ID, r.Scenario, r.Status, firstLine(r.Reason))
				}
				if r.Evidence == "" {
					t.Errorf("%s %s: no evidence", r.ID, r.Scenario)
				}
				for _, secret := range []string{writer, reader} {
					if strings.Contains(r.Reason+r.Evidence, secret) {
						t.Errorf("%s: a token reached the result", r.ID)
					}
				}
			}
		})
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
