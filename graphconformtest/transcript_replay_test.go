package graphconformtest_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/defects"
)

// A failed requirement carries its scenario's whole transcript (the setup requests, the judged one, the cleanup)
// and a curl script that, run by hand against the same broken service, shows the same failure, then deletes
// what it created. bash, curl and jq are needed; missing, the test is skipped unless
// GRAPHCONFORM_REQUIRE_REPLAY_TOOLS=1 (.ci/run) makes it fail.
func TestReplayShowsTheSameFailure(t *testing.T) {
	t.Parallel()
	var bash string
	for _, tool := range []string{"bash", "curl", "jq"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			if os.Getenv("GRAPHCONFORM_REQUIRE_REPLAY_TOOLS") == "1" {
				t.Fatalf("%s: %v (GRAPHCONFORM_REQUIRE_REPLAY_TOOLS=1)", tool, err)
			}
			t.Skipf("no %s to run a replay with: %v", tool, err)
		}
		if tool == "bash" {
			bash = p
		}
	}
	const tok = "replay-test-writer-token-7d3e"
	for _, tc := range []struct{ defect, req, status string }{
		{"malformed-json-500", "ECA-UPDATE-014", "the run got 500 Internal Server Error; this replay got 500"},
		{"patch-204", "ECA-UPDATE-001", "the run got 204 No Content; this replay got 204"},
	} {
		t.Run(tc.defect, func(t *testing.T) {
			t.Parallel()
			mock := graphmock.New(graphmock.Config{Tokens: map[string][]string{tok: {graphmock.ScopeServiceConfigReadWrite}}})
			h, err := defects.Wrap(tc.defect, mock, defects.Config{Token: tok})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			res, err := graphconformtest.Check(context.Background(), graphconformtest.Target{BaseURL: srv.URL + "/v1.0",
				Token: graphconformtest.StaticToken(tok)}, graphconformtest.Tags("@req:"+tc.req))
			if err != nil {
				t.Fatal(err)
			}
			failed := res.Failed()
			if len(failed) != 1 {
				t.Fatalf("%d failed; want %s alone: %+v", len(failed), tc.req, res.Outcomes)
			}
			o := failed[0]
			for _, want := range []string{"[1/", "> POST " + srv.URL + "/v1.0/deviceManagement/deviceEnrollmentConfigurations\n", "after the scenario (cleanup)", "> DELETE "} {
				if !strings.Contains(o.Transcript, want) {
					t.Errorf("the transcript lacks %q:\n%s", want, o.Transcript)
				}
			}
			if o.Replay == "" || strings.Contains(o.Replay+o.Transcript, tok) {
				t.Fatalf("no replay, or a token in it:\n%s", o.Replay)
			}
			if c, a := mock.Counts(); c+a != 0 {
				t.Fatalf("the run left %d configurations, %d assignments", c, a)
			}
			cmd := exec.Command(bash, "-c", o.Replay)
			cmd.Env = []string{"GRAPH_TOKEN=" + tok, "PATH=" + os.Getenv("PATH")}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the replay: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), tc.status) {
				t.Errorf("the replay does not show the run's failure (%q):\n%s", tc.status, out)
			}
			if c, a := mock.Counts(); c+a != 0 {
				t.Errorf("the replay left %d configurations, %d assignments", c, a)
			}
		})
	}
}
