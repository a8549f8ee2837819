package graphconformtest_test

import (
	"context"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/defects"
	"github.com/graphconform/graphconform/internal/target"
)

// A generated failure replays: against a service whose JSON reader falls over past 64 levels of nesting, a
// run fails ECA-UPDATE-021 on the deep-nesting row, shrinks the body to the shallowest one that still fails
// (65 levels, down from up to a hundred thousand), and says how to get it again (the seed) and how to send
// it by hand (a curl line). A second run with that seed fails the same way with the same body, and the curl
// line, pasted into a shell, gets the same 500 from the service.
func TestGeneratedFailureReplays(t *testing.T) {
	const writer = "replay-writer-token-0123456789"
	d, ok := defects.Lookup("deep-nesting-500")
	if !ok {
		t.Fatal("no defect deep-nesting-500")
	}
	tg := embedded(t, target.WithTokens(writer, "replay-reader-token-0123456789"),
		target.WithHandler(func(h http.Handler) http.Handler { return d.Wrap(h, defects.Config{Token: writer}) }))
	const seed = 20240611
	run := func() graphconformtest.Outcome {
		t.Helper()
		res, err := graphconformtest.Check(context.Background(), tg.Target, graphconformtest.Seed(seed),
			graphconformtest.Tags("@req:ECA-UPDATE-021"), graphconformtest.GeneratedCases(4))
		if err != nil {
			t.Fatal(err)
		}
		if res.Seed != seed {
			t.Fatalf("the run reports seed %d; want %d", res.Seed, seed)
		}
		for _, o := range res.Failed() {
			if strings.HasSuffix(o.Scenario, ": deep nesting") {
				return o
			}
		}
		t.Fatalf("the deep nesting row of ECA-UPDATE-021 passed against %s", d.Name)
		return graphconformtest.Outcome{}
	}
	first, second := run(), run()

	// The same case, the same shrunk body: only the ids the runs created (and the request ids) differ.
	ids := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	norm := func(s string) string { return ids.ReplaceAllString(s, "<id>") }
	if norm(first.Reason) != norm(second.Reason) {
		t.Errorf("the replay differs:\nfirst:  %s\nsecond: %s", first.Reason, second.Reason)
	}
	for _, want := range []string{"got status 500 Internal Server Error; want status 400 Bad Request", "shrunk from ",
		"replay: --seed 20240611", "reproduce: curl "} {
		if !strings.Contains(first.Reason, want) {
			t.Errorf("the reason does not say %q:\n%s", want, first.Reason)
		}
	}
	if strings.Contains(first.Reason+first.Evidence, writer) {
		t.Error("the token reached the reason or the evidence")
	}

	// The shrunk body is minimal for this service: 65 levels, one more than its reader takes.
	line := first.Reason[strings.Index(first.Reason, "reproduce: ")+len("reproduce: "):]
	line, _, _ = strings.Cut(line, "\n")
	body := line[strings.Index(line, "--data-binary ")+len("--data-binary "):]
	if depth := strings.Count(body, "[") + strings.Count(body, "{"); depth != 65 {
		t.Errorf("the shrunk body nests %d levels; want 65 (the reader's limit is 64):\n%s", depth, body)
	}
	if len(body) > 200 {
		t.Errorf("the shrunk body is %d bytes; want a small one", len(body))
	}

	// Pasted into a shell, the line gets the same answer.
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the curl line with")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl to run the line with")
	}
	cmd := exec.Command(bash, "-c", line+" -o /dev/null -w '%{http_code}'")
	cmd.Env = []string{"GRAPH_TOKEN=" + writer, "PATH=/usr/bin:/bin:/usr/local/bin"}
	out, err := cmd.Output()
	if err != nil || string(out) != "500" {
		t.Errorf("the curl line answered %q (%v); want 500:\n%s", out, err, line)
	}
}

// When only the read after a write shows the failure (a refused body that changed the assignment), the
// evidence is that read, and the curl line still sends the write.
func TestGeneratedFailureCurlSendsTheWrite(t *testing.T) {
	const writer = "replay-writer-token-0123456789"
	d, ok := defects.Lookup("rejected-patch-applied")
	if !ok {
		t.Fatal("no defect rejected-patch-applied")
	}
	tg := embedded(t, target.WithTokens(writer, "replay-reader-token-0123456789"),
		target.WithHandler(func(h http.Handler) http.Handler { return d.Wrap(h, defects.Config{Token: writer}) }))
	res, err := graphconformtest.Check(context.Background(), tg.Target, graphconformtest.Seed(3),
		graphconformtest.Tags("@req:ECA-UPDATE-021"), graphconformtest.GeneratedCases(4))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Failed() {
		if !strings.HasSuffix(o.Scenario, ": undeclared property") {
			continue
		}
		if !strings.Contains(o.Reason, "the refused body changed the assignment") || !strings.HasPrefix(o.Evidence, "> GET ") {
			t.Errorf("want the read that shows the change as evidence; reason %q, evidence:\n%s", firstLine(o.Reason), o.Evidence)
		}
		if !strings.Contains(o.Reason, "reproduce: curl -sS -i -X 'PATCH' ") {
			t.Errorf("the curl line does not send the PATCH:\n%s", o.Reason)
		}
		return
	}
	t.Fatalf("the undeclared-property row passed against %s (failed: %v)", d.Name, res.FailedIDs())
}
