package graphconformtest_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/graphconform/graphconform/graphconformtest"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
)

// The progress formatter writes to Output, and the result lists every
// scenario of the embedded features with its requirement.
func TestRunEmbedded(t *testing.T) {
	var out bytes.Buffer
	res, err := graphconformtest.Check(context.Background(), embedded(t).Target, graphconformtest.Formats(&out, "progress"))
	if err != nil {
		t.Fatal(err)
	}
	inv, err := graphconformtest.Requirements()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Outcomes) != len(inv) || res.Concurrency != 4 || res.Seed == 0 || res.RunID == "" {
		t.Errorf("got %d results (concurrency %d, seed %d, run %q); want %d, 4, a seed and a run id",
			len(res.Outcomes), res.Concurrency, res.Seed, res.RunID, len(inv))
	}
	if !strings.Contains(out.String(), "scenarios (") {
		t.Errorf("no godog summary in the output:\n%s", out.String())
	}
	for _, r := range res.Failed() {
		t.Errorf("%s %s: %s\n%s", r.ID, r.Scenario, r.Reason, r.Evidence)
	}
}

// A service reached by URL (here a mock behind a server of its own), with a
// trailing slash on its URL, passes like the embedded one.
func TestRemoteTarget(t *testing.T) {
	mock := graphmock.New(graphmock.Config{Tokens: map[string][]string{
		"remote-writer-token": {graphmock.ScopeServiceConfigReadWrite},
		"remote-reader-token": {graphmock.ScopeServiceConfigRead},
	}})
	srv := httptest.NewServer(mock)
	defer srv.Close()
	tg := graphconformtest.Target{BaseURL: srv.URL + "/v1.0/", Token: graphconformtest.StaticToken("remote-writer-token"),
		ReadToken: graphconformtest.StaticToken("remote-reader-token")}
	res, err := graphconformtest.Check(context.Background(), tg, graphconformtest.Concurrency(1), graphconformtest.Tags(oneExample+",@req:ECA-UPDATE-104"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Concurrency != 1 || !res.Passed() || res.Count(graphconformtest.StatusPassed) != 2 {
		t.Errorf("concurrency %d, passed %v, %+v", res.Concurrency, res.Passed(), res.Outcomes)
	}
	if c, a := mock.Counts(); c+a != 0 {
		t.Errorf("left %d configurations, %d assignments behind", c, a)
	}
}

// rotatingToken hands out a new token every call, as a credential refreshing its token does.
type rotatingToken struct{ n atomic.Int32 }

func (r *rotatingToken) Token(context.Context) (string, error) {
	return fmt.Sprintf("rotating-token-%03d-abcdefgh", r.n.Add(1)%3), nil
}

// Every token a TokenSource hands out during the run is kept out of the result and the formatter output, even
// when a broken service echoes it back.
func TestTokensObtainedDuringTheRunAreRedacted(t *testing.T) {
	tokens := map[string][]string{}
	for i := range 3 {
		tokens[fmt.Sprintf("rotating-token-%03d-abcdefgh", i)] = []string{graphmock.ScopeServiceConfigReadWrite}
	}
	mock := graphmock.New(graphmock.Config{Tokens: tokens})
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, `{"error":{"code":"echo","message":%q}}`, r.Header.Get("Authorization"))
			return
		}
		mock.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(echo)
	defer srv.Close()
	var out bytes.Buffer
	res, err := graphconformtest.Check(context.Background(), graphconformtest.Target{BaseURL: srv.URL + "/v1.0", Token: &rotatingToken{}},
		graphconformtest.Tags("@op:enrollmentConfigurationAssignment.update"), graphconformtest.Formats(&out, "pretty"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed() {
		t.Fatal("a service answering every PATCH with 500 passed")
	}
	text := out.String() + strings.Join(res.Leftovers, "\n")
	for _, o := range res.Outcomes {
		text += o.Reason + o.Evidence
	}
	if strings.Contains(text, "rotating-token-") {
		i := strings.Index(text, "rotating-token-")
		t.Errorf("a token reached the output: ...%s...", text[max(0, i-200):min(len(text), i+50)])
	}
	if !strings.Contains(text, "[REDACTED]") {
		t.Error("no redaction seen: the test did not observe an echoed token")
	}
}
