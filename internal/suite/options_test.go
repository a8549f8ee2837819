package suite

import (
	"context"
	"encoding/json"
	"encoding/xml"
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
	res, err := Run(context.Background(), Options{Target: embedded(t), Features: fsys})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode() != 1 || len(res.Requirements) != 1 || res.Requirements[0].Status != StatusUndefined {
		t.Fatalf("got exit %d, %+v; want exit 1 and X-001 undefined", res.ExitCode(), res.Requirements)
	}
	r := res.Requirements[0]
	if r.Level != "MUST" || r.Statement != "Something MUST happen." || !strings.Contains(r.Reason, "nobody defined") {
		t.Errorf("got %+v", r)
	}
}

func TestScenarioWithoutRequirementIsRefused(t *testing.T) {
	fsys := feature(`  @must
  Scenario: anonymous
    Given the resources the example "enrollmentConfigurationAssignment/update" addresses exist
`)
	_, err := Run(context.Background(), Options{Target: embedded(t), Features: fsys})
	if err == nil || !strings.Contains(err.Error(), `"anonymous"`) {
		t.Fatalf("got %v; want an error naming the scenario", err)
	}
}

func TestNoReadTokenSkipsWithReason(t *testing.T) {
	res, err := Run(context.Background(), Options{Target: embedded(t, target.WithoutReader()),
		Tags: "@req:ECA-UPDATE-104,@req:ECA-UPDATE-102"})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode() != 0 {
		t.Fatalf("a skip failed the run: %+v", res.Requirements)
	}
	var skipped *Requirement
	for i, r := range res.Requirements {
		if r.ID == "ECA-UPDATE-104" {
			skipped = &res.Requirements[i]
		}
	}
	if skipped == nil || skipped.Status != StatusSkipped || !strings.Contains(skipped.Reason, "read-only token") {
		t.Fatalf("got %+v; want ECA-UPDATE-104 skipped for want of a read-only token", res.Requirements)
	}
	if res.Count(StatusPassed) != 1 {
		t.Errorf("got %d passed; want ECA-UPDATE-102 passed", res.Count(StatusPassed))
	}
}

func TestFormatsToFiles(t *testing.T) {
	dir := t.TempDir()
	junit, cucumber := filepath.Join(dir, "out.xml"), filepath.Join(dir, "out.json")
	var console strings.Builder
	res, err := Run(context.Background(), Options{Target: embedded(t), Tags: oneExample,
		Formats: []string{"progress", "junit:" + junit, "cucumber:" + cucumber}, Output: &console})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode() != 0 {
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

func TestBadOptions(t *testing.T) {
	tg := embedded(t)
	cases := map[string]Options{
		"unknown format":       {Target: tg, Formats: []string{"html"}},
		"empty file name":      {Target: tg, Formats: []string{"junit:"}},
		"no such directory":    {Target: tg, Formats: []string{"junit:" + filepath.Join(t.TempDir(), "no", "such", "x.xml")}},
		"one id only":          {Target: tg, ConfigID: "c"},
		"racing on given ids":  {Target: tg, ConfigID: "c", AssignmentID: "a", Concurrency: 4},
		"no target":            {},
		"negative concurrency": {Target: tg, Concurrency: -1},
	}
	for name, o := range cases {
		if _, err := Run(context.Background(), o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestGivenIDsAreUsedAndRestored(t *testing.T) {
	var mock *graphmock.Mock
	tg := embedded(t, target.WithMock(func(m *graphmock.Mock) { mock = m }))
	configID, assignmentID := mock.Seed()
	get := func() string {
		req, _ := http.NewRequest(http.MethodGet, tg.BaseURL+"/deviceManagement/deviceEnrollmentConfigurations/"+configID+"/assignments/"+assignmentID, nil)
		tok, _ := tg.Writer.Token(context.Background())
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := tg.Client().Do(req)
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
	res, err := Run(context.Background(), Options{Target: tg, ConfigID: configID, AssignmentID: assignmentID,
		Tags: "@op:enrollmentConfigurationAssignment.update"})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode() != 0 || res.Concurrency != 1 {
		t.Fatalf("exit %d, concurrency %d: %+v", res.ExitCode(), res.Concurrency, res.Failed())
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
	res, err := Run(context.Background(), Options{Target: tg, Tags: oneExample})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode() != 0 {
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
	res, err := Run(ctx, Options{Target: tg, Tags: oneExample})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode() == 0 {
		t.Error("a cancelled run passed")
	}
	if c, a := mock.Counts(); c != 0 || a != 0 {
		t.Errorf("store holds %d configurations, %d assignments after a cancelled run; want none", c, a)
	}
}

// --features DIR: the features and fixtures of a checkout, read from disk.
func TestFeaturesFromDisk(t *testing.T) {
	res, err := Run(context.Background(), Options{Target: embedded(t), Tags: oneExample,
		Features: os.DirFS(filepath.Join("..", "..", "features")), Fixtures: os.DirFS(filepath.Join("..", "..", "fixtures"))})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode() != 0 || len(res.Requirements) != 1 || res.Requirements[0].Feature != "enrollmentConfigurationAssignment/update.feature" {
		t.Fatalf("got exit %d, %+v", res.ExitCode(), res.Requirements)
	}
}

// A fixture the features name but the fixtures directory lacks fails the
// scenario with the fixture's name, not with a panic or a pass.
func TestMissingFixture(t *testing.T) {
	res, err := Run(context.Background(), Options{Target: embedded(t), Tags: oneExample, Fixtures: fstest.MapFS{}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode() != 1 || !strings.Contains(res.Requirements[0].Reason, `fixture "enrollmentConfigurationAssignment/update"`) {
		t.Fatalf("got %+v", res.Requirements)
	}
}
