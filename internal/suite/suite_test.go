package suite

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/target"
)

func embedded(t *testing.T, opts ...target.EmbeddedOption) *target.Target {
	t.Helper()
	tg, err := target.Embedded(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg
}

// The progress formatter writes to Output, and the result lists every
// scenario of the embedded features with its requirement.
func TestRunEmbedded(t *testing.T) {
	var out bytes.Buffer
	res, err := Run(context.Background(), Options{Target: embedded(t), Formats: []string{"progress"}, Output: &out})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Inventory(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Requirements) != len(inv) || res.Concurrency != 4 || res.Seed == 0 || res.RunID == "" {
		t.Errorf("got %d results (concurrency %d, seed %d, run %q); want %d, 4, a seed and a run id",
			len(res.Requirements), res.Concurrency, res.Seed, res.RunID, len(inv))
	}
	if !strings.Contains(out.String(), "scenarios (") {
		t.Errorf("no godog summary in the output:\n%s", out.String())
	}
	for _, r := range res.Failed() {
		t.Errorf("%s %s: %s\n%s", r.ID, r.Scenario, r.Reason, r.Evidence)
	}
}

func TestRefusesPreciousTargetWithoutConsent(t *testing.T) {
	tg, err := target.Remote(target.RemoteOptions{BaseURL: "http://127.0.0.1:1/v1.0", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), Options{Target: tg})
	if err == nil || !strings.Contains(err.Error(), "--allow-writes") {
		t.Fatalf("got %v; want a refusal naming --allow-writes", err)
	}
}

// A service reached by URL (here a mock behind its own server) is precious:
// it takes consent, runs one scenario at a time, and passes like the embedded one.
func TestRemoteTarget(t *testing.T) {
	mock := graphmock.New(graphmock.Config{Tokens: map[string][]string{
		"remote-writer-token": {graphmock.ScopeServiceConfigReadWrite},
		"remote-reader-token": {graphmock.ScopeServiceConfigRead},
	}})
	srv := httptest.NewServer(mock)
	defer srv.Close()
	tg, err := target.Remote(target.RemoteOptions{BaseURL: srv.URL + "/v1.0/", Token: "remote-writer-token", ReadToken: "remote-reader-token"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), Options{Target: tg}); err == nil {
		t.Fatal("ran against a remote target without consent")
	}
	if c, a := mock.Counts(); c+a != 0 {
		t.Fatalf("a refused run wrote to the target: %d configurations, %d assignments", c, a)
	}
	res, err := Run(context.Background(), Options{Target: tg, AllowWrites: true, Tags: oneExample + ",@req:ECA-UPDATE-104"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Concurrency != 1 || res.ExitCode() != 0 || res.Count(StatusPassed) != 2 {
		t.Errorf("concurrency %d, exit %d, %+v", res.Concurrency, res.ExitCode(), res.Requirements)
	}
	if c, a := mock.Counts(); c+a != 0 {
		t.Errorf("left %d configurations, %d assignments behind", c, a)
	}
}
