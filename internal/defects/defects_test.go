package defects_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/defects"
)

// Every defect is well-formed, and every update requirement is broken by at
// least one defect: each requirement has been seen to fail (the meta-test in
// graphconformtest runs them).
func TestCatalogue(t *testing.T) {
	reqs, err := graphconformtest.Requirements(graphconformtest.Tags(defects.Selection))
	if err != nil {
		t.Fatal(err)
	}
	known, broken := map[string]bool{}, map[string]bool{}
	for _, r := range reqs {
		known[r.ID] = true
	}
	name := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, d := range defects.All() {
		if !name.MatchString(d.Name) || seen[d.Name] || d.Name == "list" {
			t.Errorf("defect name %q: want unique lower-case words joined by '-'", d.Name)
		}
		seen[d.Name] = true
		if d.Description == "" || len(d.Breaks) == 0 || d.Wrap == nil {
			t.Errorf("%s: description, breaks and wrap are required", d.Name)
		}
		for _, id := range d.Breaks {
			if !known[id] {
				t.Errorf("%s breaks %s, which no selected scenario checks", d.Name, id)
			}
			broken[id] = true
		}
		for _, id := range d.MayBreak {
			if !known[id] || slices.Contains(d.Breaks, id) {
				t.Errorf("%s may break %s: want a selected requirement not in Breaks", d.Name, id)
			}
		}
		if len(d.Misses) > 0 {
			t.Errorf("%s: a defect breaks requirements; Misses is for conformant variations", d.Name)
		}
	}
	for id := range known {
		if !broken[id] {
			t.Errorf("no defect breaks %s: nothing shows the suite can fail it", id)
		}
	}
}

// A conformant variation breaks nothing and misses only SHOULD requirements.
func TestVariations(t *testing.T) {
	reqs, err := graphconformtest.Requirements()
	if err != nil {
		t.Fatal(err)
	}
	level := map[string]graphconformtest.Level{}
	for _, r := range reqs {
		level[r.ID] = r.Level
	}
	for _, v := range defects.Variations() {
		if len(v.Breaks) > 0 || len(v.MayBreak) > 0 {
			t.Errorf("%s: a conformant variation breaks nothing", v.Name)
		}
		for _, id := range v.Misses {
			if level[id] != graphconformtest.LevelShould {
				t.Errorf("%s misses %s (%q); a conformant variation may miss a SHOULD only", v.Name, id, level[id])
			}
		}
	}
}

func TestWrap(t *testing.T) {
	next := http.NotFoundHandler()
	if h, err := defects.Wrap("", next, defects.Config{}); err != nil || h == nil {
		t.Errorf("Wrap(\"\") = %v, %v", h, err)
	}
	if _, err := defects.Wrap("bogus", next, defects.Config{}); err == nil || !strings.Contains(err.Error(), "patch-204") {
		t.Errorf("got %v; want an error listing the known defects", err)
	}
	if d, ok := defects.Lookup("patch-204"); !ok || d.Name != "patch-204" {
		t.Error("Lookup(patch-204) failed")
	}
}
