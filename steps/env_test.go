package steps_test

import (
	"context"
	"io"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/fixtures"
	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/steps"
)

// The steps run from outside the module's internals: an Env made of public types only, a godog suite of the
// caller's own. (graphconformtest is the usual way; this is what it builds on.)
func TestRegisterWithAPublicEnv(t *testing.T) {
	const token = "steps-env-test-token-0123456789"
	srv := httptest.NewServer(graphmock.New(graphmock.Config{Tokens: map[string][]string{token: {graphmock.ScopeServiceConfigReadWrite}}}))
	defer srv.Close()
	env := &steps.Env{
		BaseURL:  srv.URL + "/v1.0",
		Client:   srv.Client(),
		Token:    func(context.Context) (string, error) { return token, nil },
		Fixtures: fixtures.FS,
		RunID:    "0badc0de",
	}
	feature := fstest.MapFS{"a.feature": {Data: []byte(`Feature: a
  @req:X-001 @must
  Scenario: read back
    The service MUST answer.

    Given the resources the example "enrollmentConfigurationAssignment/update" addresses exist
    When the client gets the assignment
    Then the response status is 200
`)}}
	ts := godog.TestSuite{
		ScenarioInitializer: func(sc *godog.ScenarioContext) { steps.Register(sc, env) },
		Options:             &godog.Options{FS: feature, Paths: []string{"."}, Strict: true, Format: "progress", Output: io.Discard, TestingT: t},
	}
	if code := ts.Run(); code != 0 {
		t.Fatalf("godog exit %d; want 0", code)
	}
}
