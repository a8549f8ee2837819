package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/defects"
)

// The JUnit as a CI tool reads it back.
type junitSuites struct {
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Time     string `xml:"time,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Time     string `xml:"time,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			Error *struct{} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// validateJUnit checks data against the schema Jenkins and GitLab follow (testdata/jenkins-junit.xsd) with
// xmllint. Without xmllint the test is skipped, unless GRAPHCONFORM_REQUIRE_XMLLINT=1 (.ci/run sets it and
// installs Debian's libxml2-utils) makes it fail.
func validateJUnit(t *testing.T, data []byte) error {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("GRAPHCONFORM_REQUIRE_XMLLINT") == "1" {
			t.Fatalf("xmllint: %v (GRAPHCONFORM_REQUIRE_XMLLINT=1; apt-get install libxml2-utils)", err)
		}
		t.Skipf("no xmllint to validate the JUnit with (apt-get install libxml2-utils): %v", err)
	}
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join("testdata", "jenkins-junit.xsd"), path).CombinedOutput()
	if err != nil {
		return &validationError{string(out)}
	}
	return nil
}

type validationError struct{ out string }

func (e *validationError) Error() string { return e.out }

func readJUnit(t *testing.T, data []byte) junitSuites {
	t.Helper()
	var s junitSuites
	if err := xml.Unmarshal(data, &s); err != nil {
		t.Fatalf("the JUnit does not parse: %v\n%s", err, data)
	}
	return s
}

// checkJUnit holds the JUnit to the Result: one testcase per scenario, named by its id, classname its
// operation, in a testsuite per operation; a failure typed by level, a skip with its reason; no negative time;
// every count equal to the Result's.
func checkJUnit(t *testing.T, res *graphconformtest.Result, data []byte) {
	t.Helper()
	if err := validateJUnit(t, data); err != nil {
		t.Fatalf("the JUnit does not validate against testdata/jenkins-junit.xsd:\n%v\n%s", err, data)
	}
	s := readJUnit(t, data)
	byName := map[string]graphconformtest.Outcome{}
	for _, o := range res.Outcomes {
		byName[o.ID+" "+o.Scenario] = o
	}
	cases, failures, skipped := 0, 0, 0
	for _, suite := range s.Suites {
		n, f, sk := 0, 0, 0
		for _, c := range suite.Cases {
			n++
			o, ok := byName[c.Name]
			if !ok {
				t.Errorf("testcase %q names no scenario of the run", c.Name)
				continue
			}
			delete(byName, c.Name)
			if c.Classname != suite.Name || (o.Operation != "" && c.Classname != o.Operation) {
				t.Errorf("%s: classname %q in testsuite %q; want the operation %q", c.Name, c.Classname, suite.Name, o.Operation)
			}
			if secs, err := strconv.ParseFloat(c.Time, 64); err != nil || secs < 0 {
				t.Errorf("%s: time %q", c.Name, c.Time)
			}
			switch {
			case o.Status.Failing():
				f++
				if c.Failure == nil || c.Failure.Type != string(o.Level) || c.Failure.Message == "" || !strings.Contains(c.Failure.Text, o.ID) {
					t.Errorf("%s (%s): failure %+v; want type %s, a message and the reason as text", c.Name, o.Status, c.Failure, o.Level)
				}
			case o.Status == graphconformtest.StatusSkipped:
				sk++
				if c.Skipped == nil || c.Skipped.Message == "" {
					t.Errorf("%s: skipped %+v; want the reason", c.Name, c.Skipped)
				}
			default:
				if c.Failure != nil || c.Skipped != nil || c.Error != nil {
					t.Errorf("%s passed but reads as failed or skipped", c.Name)
				}
			}
		}
		if suite.Tests != n || suite.Failures != f || suite.Skipped != sk || suite.Errors != 0 {
			t.Errorf("testsuite %s: tests %d failures %d skipped %d errors %d; its cases say %d, %d, %d, 0",
				suite.Name, suite.Tests, suite.Failures, suite.Skipped, suite.Errors, n, f, sk)
		}
		if secs, err := strconv.ParseFloat(suite.Time, 64); err != nil || secs < 0 {
			t.Errorf("testsuite %s: time %q", suite.Name, suite.Time)
		}
		cases, failures, skipped = cases+n, failures+f, skipped+sk
	}
	for name := range byName {
		t.Errorf("scenario %q has no testcase", name)
	}
	if secs, err := strconv.ParseFloat(s.Time, 64); err != nil || secs < 0 {
		t.Errorf("testsuites: time %q", s.Time)
	}
	if cases != len(res.Outcomes) || failures != len(res.Failed()) || skipped != res.Count(graphconformtest.StatusSkipped) ||
		s.Tests != cases || s.Failures != failures {
		t.Errorf("counts: %d cases (testsuites says %d), %d failures (%d), %d skipped; the run had %d scenarios, %d failed, %d skipped",
			cases, s.Tests, failures, s.Failures, skipped, len(res.Outcomes), len(res.Failed()), res.Count(graphconformtest.StatusSkipped))
	}
}

// Written from a Result with every kind of outcome, a negative duration (a clock that stepped back) and text a
// target chose (control characters, a CDATA end): valid, and true to the Result.
func TestJUnitFromEveryKindOfOutcome(t *testing.T) {
	op := "enrollmentConfigurationAssignment.update"
	mk := func(id, scenario string, level graphconformtest.Level, st graphconformtest.Status, reason string, d time.Duration) graphconformtest.Outcome {
		o := outcome(id, level, "The service MUST do "+id+".", scenario, st)
		o.Operation, o.Reason, o.Duration = op, reason, d
		return o
	}
	failed := mk("ECA-UPDATE-001", "the example", must, graphconformtest.StatusFailed, "ECA-UPDATE-001: got status 500\x1b[2J]]>; want status 200 OK\n  detail \x07\xff", 3*time.Millisecond)
	failed.Headline = "got status 500\x1b[2J; want status 200 OK"
	failed.Transcript = "[1/1]\n> PATCH http://127.0.0.1/v1.0/x\n< 500 Internal Server Error\n<\n< ]]><x>\x00\n"
	failed.Replay = "#!/usr/bin/env bash\necho ']]>'\n"
	res := &graphconformtest.Result{Duration: -time.Second, Started: time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC), Outcomes: []graphconformtest.Outcome{
		failed,
		mk("ECA-UPDATE-002", "row: groupAssignmentTarget", must, graphconformtest.StatusPassed, "", -482*time.Microsecond),
		mk("ECA-UPDATE-002", "row: allDevicesAssignmentTarget", must, graphconformtest.StatusFailed, "ECA-UPDATE-002: got 400; want 200", time.Millisecond),
		mk("ECA-UPDATE-014", "malformed", must, graphconformtest.StatusUndefined, "a step has no definition", 0),
		mk("ECA-UPDATE-104", "read-only token", should, graphconformtest.StatusSkipped, "the target has no read-only token", 0),
		mk("ECA-UPDATE-105", "text/plain", should, graphconformtest.StatusFailed, "ECA-UPDATE-105: got 200; want 415", 0),
		{Requirement: graphconformtest.Requirement{ID: "ECA-GET-001", Level: must, Scenario: "get", Operation: "enrollmentConfigurationAssignment.get"}, Status: graphconformtest.StatusPassed},
	}}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, res); err != nil {
		t.Fatal(err)
	}
	checkJUnit(t, res, buf.Bytes())
	s := readJUnit(t, buf.Bytes())
	if len(s.Suites) != 2 {
		t.Errorf("%d testsuites; want one per operation (2)", len(s.Suites))
	}
	if bytes.Contains(buf.Bytes(), []byte("\x1b")) || !bytes.Contains(buf.Bytes(), []byte(`\x1b[2J`)) {
		t.Errorf("the target's ESC is not shown as \\x1b:\n%s", buf.Bytes())
	}
	for _, suite := range s.Suites {
		for _, c := range suite.Cases {
			if c.Name == "ECA-UPDATE-014 malformed" && !strings.HasPrefix(c.Failure.Message, "undefined: ") {
				t.Errorf("an undefined step's failure message %q does not say so", c.Failure.Message)
			}
			if c.Name == "ECA-UPDATE-105 text/plain" && c.Failure.Type != "SHOULD" {
				t.Errorf("a SHOULD failure has type %q", c.Failure.Type)
			}
		}
	}
	// The validator can say no: a testcase without its name.
	bad := bytes.Replace(buf.Bytes(), []byte(`<testcase name="ECA-GET-001 get"`), []byte(`<testcase`), 1)
	if err := validateJUnit(t, bad); err == nil {
		t.Error("xmllint accepted a testcase without a name: the validation proves nothing")
	}
}

// The JUnit of a real failing run (a mock that answers malformed JSON with 500) validates, with a testcase per
// scenario and outline row, named by id, and the run's counts.
func TestJUnitOfAFailingRun(t *testing.T) {
	const tok = "junit-test-writer-token-2a9c"
	h, err := defects.Wrap("malformed-json-500", graphmock.New(graphmock.Config{Tokens: map[string][]string{tok: {graphmock.ScopeServiceConfigReadWrite}}}), defects.Config{Token: tok})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := graphconformtest.Check(context.Background(), graphconformtest.Target{BaseURL: srv.URL + "/v1.0", Token: graphconformtest.StaticToken(tok)},
		graphconformtest.Tags("@op:enrollmentConfigurationAssignment.update,@op:enrollmentConfigurationAssignment.get"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed() || res.Count(graphconformtest.StatusSkipped) == 0 {
		t.Fatalf("want a failing run with skips (no read-only token); got %d failed, %d skipped", len(res.Failed()), res.Count(graphconformtest.StatusSkipped))
	}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, res); err != nil {
		t.Fatal(err)
	}
	checkJUnit(t, res, buf.Bytes())
	if bytes.Contains(buf.Bytes(), []byte(tok)) {
		t.Error("the JUnit holds the token")
	}
}
