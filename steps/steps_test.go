package steps

import (
	"context"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/fixtures"
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

// A step's text says what it sends: the plain example step never renames, so
// it refuses a POST that would create an entity under the example's name (a
// sweep could not find it), and the naming step refuses a body with no name.
func TestExampleSendsSayWhatTheySend(t *testing.T) {
	s := &scenario{env: &Env{Fixtures: fixtures.FS, RunID: "r1"}}
	err := s.sendExample(context.Background(), "deviceEnrollmentLimitConfiguration/create", "", false)
	if err == nil || !strings.Contains(err.Error(), "with a displayName naming the run") {
		t.Errorf("plain send of a named POST example: got %v; want a refusal naming the step to use", err)
	}
	err = s.sendExample(context.Background(), "enrollmentConfigurationAssignment/create", "", true)
	if err == nil || !strings.Contains(err.Error(), "no displayName") {
		t.Errorf("named send of a body without displayName: got %v; want a refusal", err)
	}
	body, err := s.nameForRun([]byte(`{"displayName": "Display Name value", "limit": 5}`))
	if err != nil || !strings.Contains(string(body), `"displayName": "`+NamePrefix+"r1") || s.overrides["displayName"] == nil {
		t.Errorf("nameForRun = %s, %v (overrides %v); want the run's name, remembered", body, err, s.overrides)
	}
}

// Cleanup deletes only the outermost entities the scenario created: an
// assignment goes with its configuration.
func TestCreatedAbove(t *testing.T) {
	s := &scenario{created: []created{{url: "http://x/v1.0/c/1"}, {url: "http://x/v1.0/c/1/assignments/2"}, {url: "http://x/v1.0/c/10"}}}
	for url, want := range map[string]bool{
		"http://x/v1.0/c/1": false, "http://x/v1.0/c/1/assignments/2": true, "http://x/v1.0/c/10": false,
	} {
		if got := s.createdAbove(url); got != want {
			t.Errorf("createdAbove(%s) = %v; want %v", url, got, want)
		}
	}
}
