package steps

import (
	"strings"
	"testing"
)

func TestDisplayName(t *testing.T) {
	s := &scenario{env: &Env{RunID: "1a2b3c4d"}, req: "ECA-UPDATE-002",
		name: "Each concrete target type is accepted and echoed: groupAssignmentTarget " + strings.Repeat("x", 100)}
	got := s.displayName()
	if !strings.HasPrefix(got, "graphconform-1a2b3c4d-ECA-UPDATE-002-Each-concrete-target") || len(got) > len(NamePrefix)+9+80 {
		t.Errorf("got %q", got)
	}
	if strings.ContainsAny(got, " :<>") {
		t.Errorf("%q has characters a service may refuse", got)
	}
}

func TestResolvePath(t *testing.T) {
	s := &scenario{}
	s.addr.configID, s.addr.assignmentID = "c1", "a1"
	got, err := s.resolvePath("/deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments/{enrollmentConfigurationAssignmentId}")
	if err != nil || got != "/deviceManagement/deviceEnrollmentConfigurations/c1/assignments/a1" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := s.resolvePath("/x/{somethingElseId}"); err == nil || !strings.Contains(err.Error(), "{somethingElseId}") {
		t.Errorf("got %v; want an error naming the placeholder", err)
	}
}

func TestNewGUID(t *testing.T) {
	a, b := newGUID(), newGUID()
	if a == b || len(a) != 36 || a[14] != '4' {
		t.Errorf("got %q, %q", a, b)
	}
}
