package schema

import (
	"errors"
	"testing"
)

func TestSeedPatchValidates(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{
		"@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment",
		"target":      map[string]any{"@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"},
	}
	if err := s.Validate("localtest", AssignmentPatch, doc); err != nil {
		t.Fatal(err)
	}
	doc["bogus"] = true
	var ve *ValidationError
	if err := s.Validate("v1.0", AssignmentPatch, doc); !errors.As(err, &ve) || ve.Problems[0].Pointer != "/bogus" {
		t.Fatalf("got %v; want a problem at /bogus", err)
	}
}
