package check

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// replayTools finds bash, curl and jq, which a replay script needs: missing, the test is skipped, unless
// GRAPHCONFORM_REQUIRE_REPLAY_TOOLS=1 (as .ci/run sets) makes it fail.
func replayTools(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			requireTool(t, tool, err)
		}
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		requireTool(t, "bash", err)
	}
	return bash
}

func requireTool(t *testing.T, tool string, err error) {
	t.Helper()
	if os.Getenv("GRAPHCONFORM_REQUIRE_REPLAY_TOOLS") == "1" {
		t.Fatalf("%s: %v (GRAPHCONFORM_REQUIRE_REPLAY_TOOLS=1; .ci/run installs it)", tool, err)
	}
	t.Skipf("no %s here to run a replay with: %v", tool, err)
}

type seenRequest struct {
	method, path, auth, crid string
	body                     []byte
}

// A transcript's script sends the chain again: a fresh name where the run's was, the ids the replayed responses
// give where the run's ids were, every body byte for byte (NUL, invalid UTF-8, quotes, percent signs), each
// request's kind of credential, and the cleanup. It holds no secret and nothing a terminal acts on.
func TestScriptReplaysTheChain(t *testing.T) {
	bash := replayTools(t)
	var mu sync.Mutex
	var seen []seenRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, seenRequest{r.Method, r.URL.EscapedPath(), r.Header.Get("Authorization"), r.Header.Get("client-request-id"), b})
		mu.Unlock()
		switch r.Method {
		case http.MethodPost:
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"id":"replayed-config-7"}`)
		case http.MethodPatch:
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, "boom\x1b[2J")
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()
	base := srv.URL + "/v1.0"
	const runName = "graphconform-0a1b2c3d"
	odd := []byte("{\"target\":{\"groupId\":\"run-config-1\",\"x\":\"a'b\\\"c %s %% \\\\n \x00 \xff\xed\xa0\x80 \x1b[31m $HOME `id` é\"}}")

	var tr Transcript
	post := &Exchange{Method: http.MethodPost, URL: base + "/deviceManagement/deviceEnrollmentConfigurations",
		RequestHeader: http.Header{"Authorization": {"Bearer " + token}, "Content-Type": {"application/json"}},
		RequestBody:   []byte(`{"displayName":"` + runName + `-ECA-UPDATE-001-x"}`),
		Status:        201, Header: http.Header{}, Body: []byte(`{"id":"run-config-1"}`), Secrets: []string{token}}
	patch := &Exchange{Method: http.MethodPatch, URL: base + "/deviceManagement/deviceEnrollmentConfigurations/run-config-1/assignments/a1",
		RequestHeader: http.Header{"Authorization": {"Bearer " + token}, "Content-Type": {"application/json"}, "Client-Request-Id": {"crid-" + token}},
		RequestBody:   odd, Status: 500, Header: http.Header{}, Body: []byte("boom"), Secrets: []string{token}}
	invalid := &Exchange{Method: http.MethodGet, URL: base + "/deviceManagement/deviceEnrollmentConfigurations/run-config-1",
		RequestHeader: http.Header{"Authorization": {"Bearer made-up-invalid-token"}}, Status: 401, Header: http.Header{}, Secrets: []string{token}}
	del := &Exchange{Method: http.MethodDelete, URL: base + "/deviceManagement/deviceEnrollmentConfigurations/run-config-1",
		RequestHeader: http.Header{"Authorization": {"Bearer " + token}}, Status: 204, Header: http.Header{}, Secrets: []string{token}}
	tr.Add(post, TokenCredential)
	tr.Add(patch, TokenCredential)
	tr.Add(invalid, SentCredential)
	tr.Cleanup()
	tr.Add(del, TokenCredential)

	script := tr.Script(ReplayOptions{Title: "ECA-UPDATE-014 x\n# evil", Finding: "got status 500\x1b[2J; want 400", BaseURL: base,
		NamePrefix: "graphconform-", RunID: "0a1b2c3d"})
	if strings.Contains(script, token) {
		t.Fatalf("the script carries the token:\n%s", script)
	}
	for i, r := range script {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || r > unicode.MaxASCII {
			t.Fatalf("the script holds %q at %d:\n%s", r, i, script)
		}
	}
	if strings.Contains(script, "\n# evil") {
		t.Errorf("a title's newline ended the comment:\n%s", script)
	}
	cmd := exec.Command(bash, "-c", script)
	cmd.Env = []string{"GRAPH_TOKEN=token-from-the-environment", "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the script: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "\x1b") || !strings.Contains(string(out), "boom^[[2J") {
		t.Errorf("the target's ESC reached the terminal, or was not shown:\n%s", out)
	}
	if !strings.Contains(string(out), "### the scenario's last request (3): the run got 401 Unauthorized; this replay got 204") {
		t.Errorf("no comparison of the last request's status:\n%s", out)
	}

	if len(seen) != 4 {
		t.Fatalf("the service saw %d requests; want 4: %+v", len(seen), seen)
	}
	name := regexp.MustCompile(`^\{"displayName":"graphconform-([0-9a-f]{8})-ECA-UPDATE-001-x"\}$`).FindSubmatch(seen[0].body)
	if seen[0].method != "POST" || name == nil || string(name[1]) == "0a1b2c3d" {
		t.Errorf("request 1: %s %s; want a POST naming a fresh run", seen[0].method, seen[0].body)
	}
	want := bytes.ReplaceAll(odd, []byte("run-config-1"), []byte("replayed-config-7"))
	if seen[1].method != "PATCH" || seen[1].path != "/v1.0/deviceManagement/deviceEnrollmentConfigurations/replayed-config-7/assignments/a1" ||
		!bytes.Equal(seen[1].body, want) {
		t.Errorf("request 2: %s %s\n body %q\n want %q", seen[1].method, seen[1].path, seen[1].body, want)
	}
	if seen[1].auth != "Bearer token-from-the-environment" || seen[1].crid != "crid-"+Redacted {
		t.Errorf("request 2: Authorization %q, client-request-id %q", seen[1].auth, seen[1].crid)
	}
	if seen[2].auth != "Bearer made-up-invalid-token" {
		t.Errorf("request 3 carried %q; want the made-up token it was sent with", seen[2].auth)
	}
	if seen[3].method != "DELETE" || seen[3].path != "/v1.0/deviceManagement/deviceEnrollmentConfigurations/replayed-config-7" {
		t.Errorf("the cleanup: %s %s", seen[3].method, seen[3].path)
	}
}

// A transcript keeps at most MaxTranscriptExchanges exchanges and says how many it left out.
func TestTranscriptIsBounded(t *testing.T) {
	var tr Transcript
	for range MaxTranscriptExchanges + 3 {
		tr.Add(exchange(200, "application/json", `{"id":"x"}`), TokenCredential)
	}
	if tr.Len() != MaxTranscriptExchanges {
		t.Errorf("kept %d; want %d", tr.Len(), MaxTranscriptExchanges)
	}
	s := tr.String()
	if !strings.Contains(s, "(3 more exchanges not kept") || strings.Contains(s, token) {
		t.Errorf("transcript ends %q", s[max(0, len(s)-200):])
	}
	if !strings.Contains(tr.Script(ReplayOptions{BaseURL: "http://127.0.0.1:1/v1.0"}), "left 3 out") {
		t.Error("the script does not say it stops short")
	}
}

func TestHeadline(t *testing.T) {
	f := &Failure{Context: "provisioning", Expected: "/target holding {...}", Actual: "/target = {...}", Detail: "/target/groupId: missing\n/target/x: extra"}
	if got := f.Headline(); got != "provisioning: /target/groupId: missing" {
		t.Errorf("Headline() = %q", got)
	}
	f.Detail = ""
	if got := f.Headline(); got != "provisioning: got /target = {...}; want /target holding {...}" {
		t.Errorf("Headline() = %q", got)
	}
	if got := Headline(fmt.Errorf("first\nsecond")); got != "first" {
		t.Errorf("Headline(error) = %q", got)
	}
}
