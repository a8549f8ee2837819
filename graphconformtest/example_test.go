package graphconformtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock"
)

// Check runs the suite outside a test and returns the outcome of every scenario; here against the reference
// mock, which passes.
func ExampleCheck() {
	s := graphmock.NewServer()
	defer s.Close()

	res, err := graphconformtest.Check(context.Background(), graphconformtest.Target{
		BaseURL:   s.URL, // http://127.0.0.1:PORT/v1.0
		Token:     graphconformtest.StaticToken(s.Token),
		ReadToken: graphconformtest.StaticToken(s.ReadToken),
	}, graphconformtest.Tags("@op:enrollmentConfigurationAssignment.update && @must"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("passed: %v; failed: %v; skipped: %d\n", res.Passed(), res.FailedIDs(), res.Count(graphconformtest.StatusSkipped))
	// Output:
	// passed: true; failed: []; skipped: 0
}

// Run is a vendor's whole conformance test: one subtest per requirement.
func ExampleRun() {
	// In a _test.go file of the service's module:
	var t *testing.T                                  // func TestMyServiceConforms(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler()) // the service under test: myservice.Handler()
	defer srv.Close()
	graphconformtest.Run(t, graphconformtest.Target{
		BaseURL: srv.URL + "/v1.0",
		Token:   graphconformtest.StaticToken("a token with DeviceManagementServiceConfig.ReadWrite.All"),
		// No ReadToken: the requirements that need a read-only token are skipped, with the reason.
	})
}

// Requirements lists what the suite checks, without sending anything.
func ExampleRequirements() {
	reqs, err := graphconformtest.Requirements(graphconformtest.Tags("@req:ECA-UPDATE-014"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range reqs {
		fmt.Println(r.ID, r.Level, r.Feature)
	}
	// Output:
	// ECA-UPDATE-014 MUST enrollmentConfigurationAssignment/update.conventions.feature
}

// A configuration problem is a *ConfigError, reported before anything is sent.
func ExampleConfigError() {
	_, err := graphconformtest.Check(context.Background(), graphconformtest.Target{
		BaseURL: "https://graph.example.test/v1.0/deviceManagement",
		Token:   graphconformtest.StaticToken("t"),
	})
	var ce *graphconformtest.ConfigError
	if errors.As(err, &ce) {
		fmt.Println(ce.Setting)
	}
	// Output:
	// BaseURL
}
