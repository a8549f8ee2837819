package suite

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// The update operation's requirements are kept under review: adding,
// removing or rewording one changes testdata/update-requirements.golden
// (go test ./internal/suite -run TestUpdateInventory -update).
func TestUpdateInventory(t *testing.T) {
	reqs, err := Inventory(nil, updateOnly)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, r := range reqs {
		if seen[r.ID] {
			continue // the rows of an outline share their requirement
		}
		seen[r.ID] = true
		fmt.Fprintf(&b, "%s %s\n    %s\n", r.ID, r.Level, r.Statement)
		if r.Statement == "" {
			t.Errorf("%s has no statement under its title", r.ID)
		}
	}
	got := b.String()
	path := filepath.Join("testdata", "update-requirements.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the update requirements changed; review and run with -update:\n--- got\n%s--- want\n%s", got, want)
	}
	for _, id := range []string{"ECA-UPDATE-001", "ECA-UPDATE-002", "ECA-UPDATE-010", "ECA-UPDATE-011", "ECA-UPDATE-012",
		"ECA-UPDATE-013", "ECA-UPDATE-014", "ECA-UPDATE-015", "ECA-UPDATE-016", "ECA-UPDATE-017",
		"ECA-UPDATE-101", "ECA-UPDATE-102", "ECA-UPDATE-103", "ECA-UPDATE-104", "ECA-UPDATE-105", "ECA-UPDATE-106"} {
		if !seen[id] {
			t.Errorf("%s (fixed by the contracts) has no scenario", id)
		}
	}
}
