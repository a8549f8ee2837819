package graphconformtest

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/steps"
)

// Requirements lists the requirements the selected scenarios check (one entry per scenario: the rows of a
// Scenario Outline share their ID), sorted by ID, then scenario, without sending anything. It takes the same
// options as Check; only Tags and Features matter.
func Requirements(opts ...Option) ([]Requirement, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	in, err := inventory(cfg.features, cfg.tags)
	if err != nil {
		return nil, err
	}
	out := make([]Requirement, 0, len(in.pickles))
	for _, p := range in.pickles {
		out = append(out, p.Requirement)
	}
	return out, nil
}

// pickle is one selected scenario: what the features say about it, and godog's id for it.
type pickle struct {
	Requirement
	id  string // godog's pickle id
	row bool   // a row of a Scenario Outline
}

// inv is the selected scenarios, sorted by requirement id, then scenario name.
type inv struct {
	pickles []pickle
}

// ids lists the distinct requirement ids, sorted.
func (in *inv) ids() []string {
	var ids []string
	for _, p := range in.pickles {
		if len(ids) == 0 || ids[len(ids)-1] != p.ID {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// of returns the scenarios of the requirements in ids.
func (in *inv) of(ids []string) []pickle {
	var out []pickle
	for _, p := range in.pickles {
		if slices.Contains(ids, p.ID) {
			out = append(out, p)
		}
	}
	return out
}

// inventory parses the features the way the run will (same FS, same tag filter) and checks that every
// selected scenario names exactly one requirement and one level.
func inventory(fsys fs.FS, tags string) (*inv, error) {
	ts := godog.TestSuite{Options: &godog.Options{FS: fsys, Paths: []string{"."}, Tags: tags}}
	feats, err := ts.RetrieveFeatures()
	if err != nil {
		return nil, &ConfigError{Setting: "Features", Problem: "read the features: " + err.Error(), Err: err}
	}
	out := &inv{}
	var problems []string
	for _, ft := range feats {
		for _, p := range ft.Pickles {
			pi := pickle{id: p.Id, row: len(p.AstNodeIds) > 1, Requirement: Requirement{Scenario: p.Name, Feature: p.Uri}}
			var reqs, levels []string
			for _, t := range p.Tags {
				switch {
				case strings.HasPrefix(t.Name, steps.ReqTagPrefix):
					reqs = append(reqs, strings.TrimPrefix(t.Name, steps.ReqTagPrefix))
				case strings.HasPrefix(t.Name, steps.OpTagPrefix):
					pi.Operation = strings.TrimPrefix(t.Name, steps.OpTagPrefix)
				case t.Name == steps.TagMust:
					levels = append(levels, string(LevelMust))
				case t.Name == steps.TagShould:
					levels = append(levels, string(LevelShould))
				}
			}
			if len(reqs) != 1 || reqs[0] == "" || len(levels) != 1 {
				problems = append(problems, fmt.Sprintf("%s: scenario %q has %d @req: tags and %d level tags (@must/@should); want one of each", p.Uri, p.Name, len(reqs), len(levels)))
				continue
			}
			pi.ID, pi.Level = reqs[0], Level(levels[0])
			if sc := ft.FindScenario(p.AstNodeIds[0]); sc != nil {
				pi.Statement = statement(sc)
			}
			out.pickles = append(out.pickles, pi)
		}
	}
	if len(problems) > 0 {
		return nil, configErrorf("Features", "the features do not name their requirements:\n  %s", strings.Join(problems, "\n  "))
	}
	slices.SortStableFunc(out.pickles, func(a, b pickle) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Scenario, b.Scenario))
	})
	return out, nil
}

// statement is the first paragraph of the scenario's description, on one line, its control characters made
// visible (a feature may come from a doc page nobody vetted: graphconform gen).
func statement(sc *messages.Scenario) string {
	para, _, _ := strings.Cut(strings.TrimSpace(sc.Description), "\n\n")
	return check.Visible(strings.Join(strings.Fields(para), " "))
}
