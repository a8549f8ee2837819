package graphconformtest

import (
	"strings"
	"testing"
)

// Run runs the suite against target as subtests of t, one per requirement, named by its id:
//
//	go test -run 'TestMyService/ECA-UPDATE-014' -v
//
// runs exactly that requirement, and sends only its requests. The rows of a Scenario Outline are subtests of
// their requirement. A failed scenario calls t.Errorf with the requirement's id and statement, "got X; want Y"
// and the redacted evidence; a skipped one calls t.Skip with the reason. What the run created and could not
// delete is reported as an error of t.
//
// Calling Run against a service is the caller's consent to write to it: see Check, which takes the same
// options. A configuration problem (a *ConfigError) ends t with t.Fatal before anything is sent, or, found by the
// preflight (see Check), after its one read. The run stops when t's context is cancelled.
//
// The scenarios run together first, as Check runs them (concurrently, see Concurrency); the subtests then report
// their outcomes. The requirements whose subtests the -run and -skip flags leave out are not run at all; the
// rows of an outline run together, and a pattern that selects one row reports that row only.
func Run(t *testing.T, target Target, opts ...Option) {
	t.Helper()
	ctx := t.Context()
	p, err := prepare(ctx, target, opts)
	if err != nil {
		t.Fatalf("graphconformtest: %v", err)
	}
	defer p.release()
	ids := p.inv.ids()
	var selected []string
	m := flagMatcher()
	for _, id := range ids {
		if m.selects(t.Name() + "/" + id) {
			selected = append(selected, id)
		}
	}
	outcomes := map[string][]Outcome{}
	var leftovers []string
	collect := func(res *Result) {
		for _, o := range res.Outcomes {
			outcomes[o.ID] = append(outcomes[o.ID], o)
		}
		leftovers = append(leftovers, res.Leftovers...)
	}
	preflight := func(t *testing.T) {
		t.Helper()
		if err := p.preflight(ctx); err != nil {
			t.Fatalf("graphconformtest: %v", err)
		}
	}
	if len(selected) > 0 {
		preflight(t)
		collect(p.run(ctx, selected))
	}
	rows := map[string]bool{}
	for _, pk := range p.inv.pickles {
		rows[pk.ID] = rows[pk.ID] || pk.row
	}
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			t.Helper()
			if _, ran := outcomes[id]; !ran {
				// testing selected a subtest the flags seemed to leave out: run it now.
				preflight(t)
				collect(p.run(t.Context(), []string{id}))
			}
			if !rows[id] {
				report(t, outcomes[id][0])
				return
			}
			for _, o := range outcomes[id] {
				t.Run(o.Scenario, func(t *testing.T) {
					t.Helper()
					report(t, o)
				})
			}
		})
	}
	for _, l := range leftovers {
		t.Errorf("created by the run and not deleted: %s", l)
	}
}

// report ends a subtest as its scenario ended.
func report(t *testing.T, o Outcome) {
	t.Helper()
	switch {
	case o.Status == StatusSkipped:
		t.Skip(o.Reason)
	case o.Status.Failing():
		msg := o.ID + " (" + string(o.Level) + ") " + string(o.Status) + ": " + o.Statement + "\n" + o.Reason
		switch {
		case o.Transcript != "":
			msg += "\nevidence, every exchange of the scenario:\n" + indent(o.Transcript, "    ")
		case o.Evidence != "":
			msg += "\nevidence:\n" + indent(o.Evidence, "    ")
		}
		t.Error(msg)
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}
