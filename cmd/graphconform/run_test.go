package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/defects"
	"github.com/graphconform/graphconform/internal/report"
)

func TestDefaultRunAgainstTheEmbeddedMock(t *testing.T) {
	t.Parallel()
	got := runCLI(t, mapEnv())
	if got.code != 0 {
		t.Fatalf("graphconform with no arguments: exit %d; want 0\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	for _, want := range []string{"ECA-UPDATE-001", "MUST", "SHOULD", "PASS: every selected scenario passed"} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, got.stdout)
		}
	}
}

func TestURLTargetAgainstTheRealMock(t *testing.T) {
	t.Parallel()
	srv := mockServer(t, nil)
	dir := t.TempDir()
	files := map[string]string{
		"junit": filepath.Join(dir, "junit.xml"), "cucumber": filepath.Join(dir, "cucumber.json"),
		"json": filepath.Join(dir, "report.json"), "md": filepath.Join(dir, "report.md"),
	}
	got := runCLI(t, mapEnv(envToken, writeToken, envReadToken, readToken),
		"run", "--target", srv.URL+"/v1.0", "--allow-writes", "--format", "pretty,junit:"+files["junit"],
		"--format", "cucumber:"+files["cucumber"], "--report", files["json"], "--report", files["md"])
	if got.code != 0 {
		t.Fatalf("exit %d; want 0\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	assertNoToken(t, "stdout", got.stdout)
	assertNoToken(t, "stderr", got.stderr)
	for name, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(data) == 0 {
			t.Errorf("%s is empty", path)
		}
		assertNoToken(t, path, string(data))
	}
	var rep report.Report
	data, _ := os.ReadFile(files["json"])
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Result != report.Passed || rep.TargetKind != "remote" || rep.Summary.Must.Passed == 0 || rep.Summary.Should.Passed == 0 {
		t.Errorf("report: result %s kind %s summary %+v", rep.Result, rep.TargetKind, rep.Summary)
	}
	for _, req := range rep.Requirements {
		if req.Result != report.Passed {
			t.Errorf("%s %s: %s", req.ID, req.Result, req.Reason)
		}
	}
}

// Broken services, the way a vendor's might be (internal/defects): each run exits 1 and names every
// requirement the defect breaks, in the verdict and in the report.
func TestURLTargetAgainstBrokenMocks(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"patch-204", "patch-text-plain", "malformed-json-500"} {
		t.Run(name, func(t *testing.T) {
			d, ok := defects.Lookup(name)
			if !ok {
				t.Fatalf("no defect %q", name)
			}
			srv := mockServer(t, func(h http.Handler) http.Handler { return d.Wrap(h, defects.Config{Token: writeToken}) })
			reportPath := filepath.Join(t.TempDir(), "report.md")
			junitPath := filepath.Join(t.TempDir(), "junit.xml")
			got := runCLI(t, mapEnv(envToken, writeToken, envReadToken, readToken, envAllowWrites, "1"),
				"run", "--target", srv.URL+"/v1.0", "--tags", "@op:enrollmentConfigurationAssignment.update", "--report", reportPath,
				"--format", "progress,junit:"+junitPath)
			if got.code != 1 {
				t.Fatalf("exit %d; want 1\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
			}
			verdict := lastLine(got.stdout)
			data, err := os.ReadFile(reportPath)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range d.Breaks {
				if !strings.HasPrefix(verdict, "FAIL") || !strings.Contains(verdict, id) {
					t.Errorf("verdict %q does not name %s", verdict, id)
				}
				if !strings.Contains(string(data), "### "+id) {
					t.Errorf("the report has no failure section for %s", id)
				}
			}
			assertNoToken(t, "stdout", got.stdout)
			assertNoToken(t, "stderr", got.stderr)
			assertNoToken(t, reportPath, string(data))
			// The JUnit is the suite's own: a testcase per scenario named by its requirement id, a failure typed
			// by level for each requirement the defect breaks.
			var junit struct {
				Suites []struct {
					Name  string `xml:"name,attr"`
					Cases []struct {
						Name      string `xml:"name,attr"`
						Classname string `xml:"classname,attr"`
						Failure   *struct {
							Type string `xml:"type,attr"`
						} `xml:"failure"`
					} `xml:"testcase"`
				} `xml:"testsuite"`
			}
			x, err := os.ReadFile(junitPath)
			if err != nil || xml.Unmarshal(x, &junit) != nil || len(junit.Suites) != 1 {
				t.Fatalf("junit: %v\n%s", err, x)
			}
			failedIDs := map[string]bool{}
			for _, c := range junit.Suites[0].Cases {
				if c.Classname != "enrollmentConfigurationAssignment.update" || !strings.HasPrefix(c.Name, "ECA-UPDATE-") {
					t.Errorf("testcase %q classname %q", c.Name, c.Classname)
				}
				if c.Failure != nil && c.Failure.Type == "MUST" {
					failedIDs[strings.Fields(c.Name)[0]] = true
				}
			}
			for _, id := range d.Breaks {
				if !failedIDs[id] {
					t.Errorf("the JUnit has no MUST failure for %s", id)
				}
			}
			assertNoToken(t, junitPath, string(x))
		})
	}
}

func TestTagsSelectingNothingExit2(t *testing.T) {
	t.Parallel()
	got := runCLI(t, mapEnv(), "run", "--tags", "@req:NO-SUCH-REQUIREMENT")
	if got.code != 2 || !strings.Contains(got.stderr, "no scenario matches") {
		t.Errorf("exit %d, stderr %q; want 2 and a line saying no scenario matched", got.code, got.stderr)
	}
}

func TestTagsSelectOneRequirement(t *testing.T) {
	t.Parallel()
	got := runCLI(t, mapEnv(), "run", "--tags", "@req:ECA-UPDATE-010")
	if got.code != 0 {
		t.Fatalf("exit %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	if !strings.Contains(got.stdout, "ECA-UPDATE-010") || strings.Contains(got.stdout, "ECA-UPDATE-001") {
		t.Errorf("want only ECA-UPDATE-010 in the summary:\n%s", got.stdout)
	}
}

// The features and fixtures directories of the checkout, given with --features, run like the embedded ones.
func TestFeaturesDir(t *testing.T) {
	t.Parallel()
	got := runCLI(t, mapEnv(), "run", "--features", filepath.Join("..", ".."), "--tags", "@must")
	if got.code != 0 {
		t.Fatalf("exit %d\n%s%s", got.code, got.stdout, got.stderr)
	}
}

// A machine format on the console keeps the console parseable: the summary goes to stderr.
func TestMachineFormatOnTheConsole(t *testing.T) {
	t.Parallel()
	got := runCLI(t, mapEnv(), "run", "--format", "junit", "--tags", "@req:ECA-UPDATE-010")
	if got.code != 0 {
		t.Fatalf("exit %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	if !strings.HasPrefix(strings.TrimSpace(got.stdout), "<?xml") || strings.Contains(got.stdout, "PASS:") {
		t.Errorf("stdout is not just JUnit XML:\n%s", got.stdout)
	}
	if !strings.Contains(got.stderr, "PASS:") {
		t.Errorf("the summary is not on stderr:\n%s", got.stderr)
	}
}

func assertNoToken(t *testing.T, where, s string) {
	t.Helper()
	for _, tok := range []string{writeToken, readToken} {
		if strings.Contains(s, tok) {
			t.Errorf("%s contains a token", where)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// An interrupt (the context main cancels on SIGINT/SIGTERM) stops the run with exit 1, and the suite still
// deletes what it created. A POST in flight when the interrupt comes may create something whose id never came
// back: the CLI then deletes it by its run's name; whatever is left must at least carry the prefix sweep finds.
func TestInterruptCleansUp(t *testing.T) {
	m := graphmock.New(graphmock.Config{Tokens: map[string][]string{writeToken: {graphmock.ScopeServiceConfigReadWrite}}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The interrupt comes while the third create is in flight: it reaches the service, its answer may not.
	var posts atomic.Int32
	interrupting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && posts.Add(1) == 3 {
			cancel()
		}
		m.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(interrupting)
	t.Cleanup(srv.Close)
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"run", "--target", srv.URL + "/v1.0", "--allow-writes", "--concurrency", "2",
		"--tags", "@op:enrollmentConfigurationAssignment.update"}, mapEnv(envToken, writeToken), &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "interrupted") || !strings.Contains(stdout.String(), "INTERRUPTED") {
		t.Errorf("exit %d, stderr %q; want 1 and a line saying the run was interrupted\n%s", code, stderr.String(), stdout.String())
	}
	assertNoToken(t, "stdout", stdout.String())
	assertNoToken(t, "stderr", stderr.String())

	req, _ := http.NewRequest("GET", srv.URL+"/v1.0/deviceManagement/deviceEnrollmentConfigurations", nil)
	req.Header.Set("Authorization", "Bearer "+writeToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Value []struct{ ID, DisplayName string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	for _, c := range list.Value {
		if !strings.HasPrefix(c.DisplayName, "graphconform-") {
			t.Errorf("configuration %s (%q) was left behind under a name sweep cannot find", c.ID, c.DisplayName)
		}
	}
	if configs, assignments := m.Counts(); configs+assignments > 0 {
		t.Errorf("left after the interrupt: %d configuration(s), %d assignment(s)\nstderr: %s", configs, assignments, stderr.String())
	}
}
