package report

import (
	"fmt"
	"io"

	"github.com/graphconform/graphconform/graphconformtest"
)

// Distinct returns the first scenario of each requirement: the inventory by requirement (the rows of a
// Scenario Outline share theirs). reqs are sorted by id, as graphconformtest.Requirements returns them.
func Distinct(reqs []graphconformtest.Requirement) []graphconformtest.Requirement {
	var out []graphconformtest.Requirement
	for _, r := range reqs {
		if len(out) == 0 || out[len(out)-1].ID != r.ID {
			out = append(out, r)
		}
	}
	return out
}

// WriteInventoryMarkdown writes the requirements as a Markdown table (the one in README.md), one row each.
func WriteInventoryMarkdown(w io.Writer, reqs []graphconformtest.Requirement) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "| Id | Level | Requirement |\n|---|---|---|\n")
	for _, e := range Distinct(reqs) {
		fmt.Fprintf(ew, "| %s | %s | %s |\n", e.ID, e.Level, cell(e.Statement))
	}
	return ew.err
}
