package guid

import (
	"regexp"
	"testing"
)

var form = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNew(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		g := New()
		if !form.MatchString(g) {
			t.Fatalf("New() = %q; want a lower-case version 4 GUID", g)
		}
		if seen[g] {
			t.Fatalf("New() repeated %q", g)
		}
		seen[g] = true
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		_ = New()
	}
}
