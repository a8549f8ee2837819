package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock"
)

// A wrong port, token, permission or URL is a configuration problem: exit 2 with one line on stderr that says
// what to fix, nothing on stdout (no scenario ran), and quickly.
func TestPreflightExits2WithOneLine(t *testing.T) {
	t.Parallel()
	const noScope = "cli-test-noscope-token-41c2"
	srv := httptest.NewServer(graphmock.New(graphmock.Config{Tokens: map[string][]string{
		writeToken: {graphmock.ScopeServiceConfigReadWrite},
		noScope:    {"User.Read"},
	}}))
	t.Cleanup(srv.Close)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<html><body>Not Found</body></html>"))
	}))
	t.Cleanup(page.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/v1.0"
	l.Close()

	for _, tc := range []struct {
		name, url, token string
		says             []string
	}{
		{"closed port", closed, writeToken, []string{"--target: cannot reach", "connection refused"}},
		{"rejected token", srv.URL + "/v1.0", "wrong", []string{"the service rejected the token", "401 Unauthorized", "GRAPH_TOKEN", "--skip-preflight"}},
		{"missing scope", srv.URL + "/v1.0", noScope, []string{"403 Forbidden", "DeviceManagementServiceConfig.ReadWrite.All"}},
		{"not a Graph service", page.URL + "/v1.0", writeToken, []string{"--target: no deviceEnrollmentConfigurations collection", "404 Not Found", "version segment"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			got := runCLI(t, mapEnv(envToken, tc.token), "run", "--target", tc.url, "--allow-writes", "--format", "pretty")
			took := time.Since(start)
			if got.code != 2 || got.stdout != "" || strings.Count(got.stderr, "\n") != 1 {
				t.Fatalf("exit %d; want 2 with one line on stderr and nothing on stdout\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
			}
			for _, want := range tc.says {
				if !strings.Contains(got.stderr, want) {
					t.Errorf("stderr %q lacks %q", got.stderr, want)
				}
			}
			assertNoToken(t, "stderr", got.stderr)
			t.Logf("%s: exit 2 after %s: %s", tc.name, took.Round(time.Millisecond), strings.TrimSpace(got.stderr))
		})
	}
}

// --skip-preflight: a service that answers 401 to the read is checked anyway, and fails requirements (exit 1).
func TestSkipPreflightFlag(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"code":"InvalidAuthenticationToken"}}`, http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	got := runCLI(t, mapEnv(envToken, writeToken), "run", "--target", srv.URL+"/v1.0", "--allow-writes", "--skip-preflight",
		"--tags", "@req:ECA-UPDATE-001")
	if got.code != 1 || !strings.Contains(got.stdout, "FAIL: 1 requirement failed: ECA-UPDATE-001") {
		t.Errorf("exit %d; want 1 with ECA-UPDATE-001 failed\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
}
