package graphconformtest

import "testing"

// The selection follows package testing's own: per-level unanchored patterns, alternatives, -skip applied to
// full matches only.
func TestMatcherSelectsAsTestingDoes(t *testing.T) {
	for _, tc := range []struct {
		run, skip, name string
		want            bool
	}{
		{"", "", "TestX/ECA-UPDATE-014", true},
		{"TestX", "", "TestX/ECA-UPDATE-014", true},
		{"TestX/ECA-UPDATE-014", "", "TestX/ECA-UPDATE-014", true},
		{"TestX/ECA-UPDATE-014", "", "TestX/ECA-UPDATE-001", false},
		{"TestX/UPDATE-01", "", "TestX/ECA-UPDATE-014", true}, // unanchored
		{"TestX/^UPDATE", "", "TestX/ECA-UPDATE-014", false},
		{"TestX/ECA-UPDATE-00[12]", "", "TestX/ECA-UPDATE-002", true},
		{"TestX/ECA-UPDATE-00[12]", "", "TestX/ECA-UPDATE-003", false},
		{"TestX/(ECA-UPDATE-001|DEC-GET-010)", "", "TestX/DEC-GET-010", true}, // '|' inside parentheses
		{"TestX/ECA-UPDATE-001|TestY", "", "TestY/ECA-UPDATE-002", true},      // top-level alternatives
		{"TestX/ECA-UPDATE-001|TestY", "", "TestX/ECA-UPDATE-002", false},
		{"TestX/ECA-UPDATE-002/group", "", "TestX/ECA-UPDATE-002", true}, // rows are filtered by testing
		{"TestOther", "", "TestX/ECA-UPDATE-001", false},
		{"", "TestX/ECA-UPDATE-001", "TestX/ECA-UPDATE-001", false},
		{"", "TestX/ECA-UPDATE-001", "TestX/ECA-UPDATE-002", true},
		{"", "TestX/ECA-UPDATE-002/group", "TestX/ECA-UPDATE-002", true}, // a partial skip does not skip
		{"TestX/ECA", "ECA-UPDATE", "TestX/ECA-UPDATE-001", true},        // -skip's first level is TestX
		{"TestX/ECA", "TestX/ECA-UPDATE", "TestX/ECA-UPDATE-001", false},
		{"Test X/ECA", "", "Test_X/ECA-UPDATE-001", false}, // the pattern is not rewritten, the name is
	} {
		var m matcher
		if tc.run != "" {
			m.run = splitRegexp(tc.run)
		}
		if tc.skip != "" {
			m.skip = splitRegexp(tc.skip)
		}
		if got := m.selects(tc.name); got != tc.want {
			t.Errorf("-run %q -skip %q selects %s: got %v; want %v", tc.run, tc.skip, tc.name, got, tc.want)
		}
	}
}

func TestWithRequirements(t *testing.T) {
	for _, tc := range []struct {
		tags string
		ids  []string
		want string
	}{
		{"", []string{"A-1", "B-2"}, "@req:A-1,@req:B-2"},
		{"@must", []string{"A-1"}, "@must && @req:A-1"},
		{"@must && ~@x, @should", []string{"A-1", "B-2"}, "@must && ~@x && @req:A-1,@must && ~@x && @req:B-2,@should && @req:A-1,@should && @req:B-2"},
	} {
		if got := withRequirements(tc.tags, tc.ids); got != tc.want {
			t.Errorf("withRequirements(%q, %q) = %q; want %q", tc.tags, tc.ids, got, tc.want)
		}
	}
}
