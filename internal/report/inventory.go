package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/graphconform/graphconform/internal/check"
)

// Entry is one requirement as the features declare it.
type Entry struct {
	ID        string `json:"id"`
	Level     string `json:"level"`
	Statement string `json:"statement"`
	Feature   string `json:"feature"` // path of the .feature file that checks it
}

// Inventory lists the requirements declared by the .feature files in fsys: one entry per @req:ID tag (the rows
// of a Scenario Outline share theirs), its level from @must/@should, and its statement, the first paragraph of
// the scenario's description. Listed by id, as the report lists them.
func Inventory(fsys fs.FS) ([]Entry, error) {
	var entries []Entry
	seen := map[string]bool{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".feature" {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), (&messages.Incrementing{}).NewId)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if doc.Feature == nil {
			return nil
		}
		add := func(sc *messages.Scenario, inherited []*messages.Tag) {
			e := Entry{Statement: statement(sc.Description), Feature: p}
			for _, t := range append(slices.Clone(inherited), sc.Tags...) {
				switch name := strings.TrimPrefix(t.Name, "@"); {
				case strings.HasPrefix(name, "req:"):
					e.ID = strings.TrimPrefix(name, "req:")
				case name == "must" || name == "should":
					e.Level = NormalizeLevel(name)
				}
			}
			if e.ID != "" && !seen[e.ID] {
				seen[e.ID] = true
				entries = append(entries, e)
			}
		}
		for _, child := range doc.Feature.Children {
			switch {
			case child.Scenario != nil:
				add(child.Scenario, doc.Feature.Tags)
			case child.Rule != nil:
				for _, rc := range child.Rule.Children {
					if rc.Scenario != nil {
						add(rc.Scenario, append(slices.Clone(doc.Feature.Tags), child.Rule.Tags...))
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read features: %w", err)
	}
	slices.SortStableFunc(entries, func(a, b Entry) int {
		return cmp.Compare(a.ID, b.ID)
	})
	return entries, nil
}

// statement is the first paragraph of a description, on one line, its control characters made visible (a
// feature may come from a doc page nobody vetted: graphconform gen).
func statement(description string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(description), "\n\n")
	return oneLine(check.Visible(para))
}

// WriteInventoryMarkdown writes the requirements as a Markdown table (the one in README.md).
func WriteInventoryMarkdown(w io.Writer, entries []Entry) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "| Id | Level | Requirement |\n|---|---|---|\n")
	for _, e := range entries {
		fmt.Fprintf(ew, "| %s | %s | %s |\n", e.ID, e.Level, cell(e.Statement))
	}
	return ew.err
}
