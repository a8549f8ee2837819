package suite

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/graphconform/graphconform/features"
	"github.com/graphconform/graphconform/steps"
)

// pickleInfo is what the features say about one selected scenario.
type pickleInfo struct {
	id, name, uri    string
	req, level, stmt string
}

type inv struct {
	pickles []pickleInfo
	byID    map[string]int
}

// inventory parses the features the way the run will (same FS, same tag
// filter) and checks that every selected scenario names exactly one
// requirement and one level.
func inventory(fsys fs.FS, tags string) (*inv, error) {
	ts := godog.TestSuite{Options: &godog.Options{FS: fsys, Paths: []string{"."}, Tags: tags}}
	feats, err := ts.RetrieveFeatures()
	if err != nil {
		return nil, fmt.Errorf("read the features: %w", err)
	}
	out := &inv{byID: map[string]int{}}
	var problems []string
	for _, ft := range feats {
		for _, p := range ft.Pickles {
			pi := pickleInfo{id: p.Id, name: p.Name, uri: p.Uri}
			var reqs, levels []string
			for _, t := range p.Tags {
				switch {
				case strings.HasPrefix(t.Name, steps.ReqTagPrefix):
					reqs = append(reqs, strings.TrimPrefix(t.Name, steps.ReqTagPrefix))
				case t.Name == steps.TagMust:
					levels = append(levels, "MUST")
				case t.Name == steps.TagShould:
					levels = append(levels, "SHOULD")
				}
			}
			if len(reqs) != 1 || reqs[0] == "" || len(levels) != 1 {
				problems = append(problems, fmt.Sprintf("%s: scenario %q has %d @req: tags and %d level tags (@must/@should); want one of each", p.Uri, p.Name, len(reqs), len(levels)))
				continue
			}
			pi.req, pi.level = reqs[0], levels[0]
			if sc := ft.FindScenario(p.AstNodeIds[0]); sc != nil {
				pi.stmt = statement(sc)
			}
			out.byID[p.Id] = len(out.pickles)
			out.pickles = append(out.pickles, pi)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("the features do not name their requirements:\n  %s", strings.Join(problems, "\n  "))
	}
	return out, nil
}

// statement is the first non-empty line of the scenario's description.
func statement(sc *messages.Scenario) string {
	for _, l := range strings.Split(sc.Description, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// Inventory lists the requirements the selected scenarios check (one entry
// per scenario, Status empty), without running anything. fsys nil: the
// embedded features.
func Inventory(fsys fs.FS, tags string) ([]Requirement, error) {
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	if fsys == nil {
		fsys = features.FS
	}
	in, err := inventory(fsys, tags)
	if err != nil {
		return nil, err
	}
	out := make([]Requirement, 0, len(in.pickles))
	for _, p := range in.pickles {
		out = append(out, Requirement{ID: p.req, Level: p.level, Statement: p.stmt, Scenario: p.name, Feature: p.uri})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Scenario < out[j].Scenario
	})
	return out, nil
}
