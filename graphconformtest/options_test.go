package graphconformtest_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"github.com/graphconform/graphconform/graphconformtest"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/target"
)

const oneExample = "@op:enrollmentConfigurationAssignment.update && @req:ECA-UPDATE-001"

func feature(body string) fstest.MapFS {
	return fstest.MapFS{"x/op.feature": {Data: []byte("Feature: x\n\n" + body)}}
}

func TestUndefinedStepFailsTheRun(t *testing.T) {
	fsys := feature(`  @req:X-001 @must
  Scenario: undefined
    Something MUST happen.

    Given the resources the example "enrollmentConfigurationAssignment/update" addresses exist
    When the client does something nobody defined
`)
	res, err := graphconformtest.Check(context.Background(), embedded(t).Target, graphconformtest.Features(fsys))
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed() || len(res.Outcomes) != 1 || res.Outcomes[0].Status != graphconformtest.StatusUndefined {
		t.Fatalf("got passed %v, %+v; want a failed run and X-001 undefined", res.Passed(), res.Outcomes)
	}
	r := res.Outcomes[0]
	if r.Level != "MUST" || r.Statement != "Something MUST happen." || !strings.Contains(r.Reason, "nobody defined") {
		t.Errorf("got %+v", r)
	}
}

func TestScenarioWithoutRequirementIsRefused(t *testing.T) {
	fsys := feature(`  @must
  Scenario: anonymous
    Given the resources the example "enrollmentConfigurationAssignment/update" addresses exist
`)
	_, err := graphconformtest.Check(context.Background(), embedded(t).Target, graphconformtest.Features(fsys))
	if err == nil || !strings.Contains(err.Error(), `"anonymous"`) {
		t.Fatalf("got %v; want an error naming the scenario", err)
	}
}

func TestNoReadTokenSkipsWithReason(t *testing.T) {
	res, err := graphconformtest.Check(context.Background(), embedded(t, target.WithoutReader()).Target, graphconformtest.Tags("@req:ECA-UPDATE-104,@req:ECA-UPDATE-102"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() {
		t.Fatalf("a skip failed the run: %+v", res.Outcomes)
	}
	var skipped *graphconformtest.Outcome
	for i, r := range res.Outcomes {
		if r.ID == "ECA-UPDATE-104" {
			skipped = &res.Outcomes[i]
		}
	}
	if skipped == nil || skipped.Status != graphconformtest.StatusSkipped || !strings.Contains(skipped.Reason, "read-only token") {
		t.Fatalf("got %+v; want ECA-UPDATE-104 skipped for want of a read-only token", res.Outcomes)
	}
	if res.Count(graphconformtest.StatusPassed) != 1 {
		t.Errorf("got %d passed; want ECA-UPDATE-102 passed", res.Count(graphconformtest.StatusPassed))
	}
}

func TestFormatsToFiles(t *testing.T) {
	dir := t.TempDir()
	junit, cucumber := filepath.Join(dir, "out.xml"), filepath.Join(dir, "out.json")
	var console strings.Builder
	res, err := graphconformtest.Check(context.Background(), embedded(t).Target, graphconformtest.Tags(oneExample), graphconformtest.Formats(&console, "progress", "junit:"+junit, "cucumber:"+cucumber))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() {
		t.Fatalf("failed: %+v", res.Failed())
	}
	var suites struct {
		Tests int `xml:"tests,attr"`
	}
	if b, err := os.ReadFile(junit); err != nil || xml.Unmarshal(b, &suites) != nil || suites.Tests != 1 {
		t.Errorf("junit file: %v, %+v", err, suites)
	}
	var cuc []map[string]any
	if b, err := os.ReadFile(cucumber); err != nil || json.Unmarshal(b, &cuc) != nil || len(cuc) != 1 {
		t.Errorf("cucumber file: %v, %d features", err, len(cuc))
	}
	if !strings.Contains(console.String(), "1 scenarios (1 passed)") {
		t.Errorf("console: %q", console.String())
	}
}

// Every configuration problem is a *ConfigError naming its setting, and nothing is sent.
func TestBadOptions(t *testing.T) {
	var hits atomic.Int32
	tg := embedded(t, target.WithHandler(func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1); h.ServeHTTP(w, r) })
	}))
	good := tg.Target
	noToken := good
	noToken.Token = nil
	badURL := good
	badURL.BaseURL += "/deviceManagement"
	failing := good
	failing.Token = failingToken{}
	cases := []struct {
		name, setting string
		target        graphconformtest.Target
		opts          []graphconformtest.Option
	}{
		{"unknown format", "Formats", good, []graphconformtest.Option{graphconformtest.Formats(io.Discard, "html")}},
		{"empty file name", "Formats", good, []graphconformtest.Option{graphconformtest.Formats(io.Discard, "junit:")}},
		{"no such directory", "Formats", good, []graphconformtest.Option{graphconformtest.Formats(io.Discard, "junit:"+filepath.Join(t.TempDir(), "no", "such", "x.xml"))}},
		{"one id only", "Existing", good, []graphconformtest.Option{graphconformtest.Existing("c", "")}},
		{"racing on given ids", "Concurrency", good, []graphconformtest.Option{graphconformtest.Existing("c", "a"), graphconformtest.Concurrency(4)}},
		{"zero concurrency", "Concurrency", good, []graphconformtest.Option{graphconformtest.Concurrency(0)}},
		{"negative concurrency", "Concurrency", good, []graphconformtest.Option{graphconformtest.Concurrency(-1)}},
		{"zero timeout", "Timeout", good, []graphconformtest.Option{graphconformtest.Timeout(0)}},
		{"bad tags", "Tags", good, []graphconformtest.Option{graphconformtest.Tags("@must and @should")}},
		{"no scenario", "Tags", good, []graphconformtest.Option{graphconformtest.Tags("@req:NOPE-001")}},
		{"no target", "BaseURL", graphconformtest.Target{}, nil},
		{"resource path", "BaseURL", badURL, nil},
		{"no token", "Token", noToken, nil},
		{"token source fails", "Token", failing, []graphconformtest.Option{graphconformtest.Redact(failingSecret)}},
	}
	for _, tc := range cases {
		_, err := graphconformtest.Check(context.Background(), tc.target, tc.opts...)
		var ce *graphconformtest.ConfigError
		if !errors.As(err, &ce) || ce.Setting != tc.setting {
			t.Errorf("%s: got %v; want a *ConfigError about %s", tc.name, err, tc.setting)
			continue
		}
		if strings.Contains(ce.Error(), "--") {
			t.Errorf("%s: %q names a command-line flag", tc.name, ce.Error())
		}
		if strings.Contains(ce.Error(), failingSecret) {
			t.Errorf("%s: %q shows the secret", tc.name, ce.Error())
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d request(s) reached the service; a configuration problem must stop before the first", n)
	}
}

const failingSecret = "hunter2-hunter2-hunter2"

type failingToken struct{}

func (failingToken) Token(context.Context) (string, error) {
	return "", errors.New("the authority refused client secret " + failingSecret)
}

func TestGivenIDsAreUsedAndRestored(t *testing.T) {
	var mock *graphmock.Mock
	tg := embedded(t, target.WithMock(func(m *graphmock.Mock) { mock = m }))
	configID, assignmentID := mock.Seed()
	get := func() string {
		req, _ := http.NewRequest(http.MethodGet, tg.BaseURL+"/deviceManagement/deviceEnrollmentConfigurations/"+configID+"/assignments/"+assignmentID, nil)
		tok, _ := tg.Token.Token(context.Background())
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := tg.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		b, _ := json.Marshal(v["target"])
		return string(b)
	}
	before := get()
	res, err := graphconformtest.Check(context.Background(), tg.Target, graphconformtest.Tags("@op:enrollmentConfigurationAssignment.update"), graphconformtest.Existing(configID, assignmentID))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() || res.Concurrency != 1 {
		t.Fatalf("passed %v, concurrency %d: %+v", res.Passed(), res.Concurrency, res.Failed())
	}
	if c, a := mock.Counts(); c != 1 || a != 1 {
		t.Errorf("store holds %d configurations, %d assignments; want the seeded 1 and 1 only", c, a)
	}
	if after := get(); after != before {
		t.Errorf("target after the run %s; want it restored to %s", after, before)
	}
}

func TestLeftoversAreReported(t *testing.T) {
	var deletes atomic.Int32
	tg := embedded(t, target.WithHandler(func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete {
				deletes.Add(1)
				graphmock.WriteError(w, http.StatusServiceUnavailable, "serviceNotAvailable", "try later")
				return
			}
			h.ServeHTTP(w, r)
		})
	}))
	res, err := graphconformtest.Check(context.Background(), tg.Target, graphconformtest.Tags(oneExample))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() {
		t.Errorf("a failed cleanup failed the requirement: %+v", res.Failed())
	}
	if deletes.Load() == 0 || len(res.Leftovers) != 1 || !strings.Contains(res.Leftovers[0], "graphconform-"+res.RunID) {
		t.Errorf("leftovers %q after %d deletes; want one naming the run", res.Leftovers, deletes.Load())
	}
}

// A cancelled run stops sending scenario requests but still deletes what it created.
func TestCancelledRunCleansUp(t *testing.T) {
	var mock *graphmock.Mock
	ctx, cancel := context.WithCancel(context.Background())
	tg := embedded(t, target.WithMock(func(m *graphmock.Mock) { mock = m }), target.WithHandler(func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/assignments") {
				cancel() // the user presses Ctrl-C while provisioning: the next request must not go out
			}
			h.ServeHTTP(w, r)
		})
	}))
	res, err := graphconformtest.Check(ctx, tg.Target, graphconformtest.Tags(oneExample))
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed() {
		t.Error("a cancelled run passed")
	}
	if c, a := mock.Counts(); c != 0 || a != 0 {
		t.Errorf("store holds %d configurations, %d assignments after a cancelled run; want none", c, a)
	}
}

// --features DIR: the features and fixtures of a checkout, read from disk.
func TestFeaturesFromDisk(t *testing.T) {
	res, err := graphconformtest.Check(context.Background(), embedded(t).Target, graphconformtest.Tags(oneExample), graphconformtest.Features(os.DirFS(filepath.Join("..", "features"))), graphconformtest.Fixtures(os.DirFS(filepath.Join("..", "fixtures"))))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() || len(res.Outcomes) != 1 || res.Outcomes[0].Feature != "enrollmentConfigurationAssignment/update.feature" {
		t.Fatalf("got passed %v, %+v", res.Passed(), res.Outcomes)
	}
}

// A fixture the features name but the fixtures directory lacks fails the
// scenario with the fixture's name, not with a panic or a pass.
func TestMissingFixture(t *testing.T) {
	res, err := graphconformtest.Check(context.Background(), embedded(t).Target, graphconformtest.Tags(oneExample), graphconformtest.Fixtures(fstest.MapFS{}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed() || !strings.Contains(res.Outcomes[0].Reason, `fixture "enrollmentConfigurationAssignment/update"`) {
		t.Fatalf("got %+v", res.Outcomes)
	}
}
