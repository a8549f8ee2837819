package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/graphmock/graphmockcontainer"
)

const (
	writeToken = "cli-test-write-token-3f9a61c2"
	readToken  = "cli-test-read-token-77b0e4d1"
)

// mapEnv is an environment for run made of the given pairs only.
func mapEnv(pairs ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return func(k string) string { return m[k] }
}

type outcome struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, env func(string) string, args ...string) outcome {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env, &stdout, &stderr)
	return outcome{code, stdout.String(), stderr.String()}
}

// countingServer answers 500 to everything and counts what reached it.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// mockServer serves the reference mock on loopback, wrapped by wrap (nil: as it is), with a read/write and a
// read-only token.
func mockServer(t *testing.T, wrap func(http.Handler) http.Handler) *httptest.Server {
	var h http.Handler = graphmock.New(graphmock.Config{Tokens: map[string][]string{
		writeToken: {graphmock.ScopeServiceConfigReadWrite},
		readToken:  {graphmock.ScopeServiceConfigRead},
	}})
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestUsageErrorsExit2BeforeAnyRequest(t *testing.T) {
	srv, hits := countingServer(t)
	url := srv.URL + "/v1.0"
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		env  func(string) string
		args []string
		want string // in the one line on stderr
	}{
		{"unknown flag", mapEnv(), []string{"run", "--bogus"}, "flag provided but not defined: -bogus"},
		{"unknown command", mapEnv(), []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"stray argument", mapEnv(), []string{"run", "extra"}, `unexpected argument "extra"`},
		{"URL without allow-writes", mapEnv(), []string{"run", "--target", url, "--token", writeToken}, "without --allow-writes"},
		{"URL from env without allow-writes", mapEnv(envTarget, url, envToken, writeToken), nil, "without --allow-writes"},
		{"allow-writes env says no", mapEnv(envAllowWrites, "0"), []string{"run", "--target", url, "--token", writeToken}, "without --allow-writes"},
		{"allow-writes env garbage", mapEnv(envAllowWrites, "sure"), []string{"run", "--target", url}, "GRAPHCONFORM_ALLOW_WRITES"},
		{"URL without token", mapEnv(), []string{"run", "--target", url, "--allow-writes"}, "no token"},
		{"URL without version", mapEnv(), []string{"run", "--target", srv.URL, "--allow-writes", "--token", writeToken}, "version segment"},
		{"URL with resource path", mapEnv(), []string{"run", "--target", url + "/deviceManagement", "--allow-writes", "--token", writeToken}, "resource path"},
		{"URL not http", mapEnv(), []string{"run", "--target", "ftp://127.0.0.1/v1.0", "--allow-writes", "--token", writeToken}, "http or https"},
		{"URL with query", mapEnv(), []string{"run", "--target", url + "?a=b", "--allow-writes", "--token", writeToken}, "no query"},
		{"not a target", mapEnv(), []string{"run", "--target", "mock"}, "want embedded, container"},
		{"bad format", mapEnv(), []string{"run", "--format", "html"}, `--format "html"`},
		{"two console formats", mapEnv(), []string{"run", "--format", "pretty,progress"}, "at most one format"},
		{"format file in missing dir", mapEnv(), []string{"run", "--format", "junit:" + filepath.Join(dir, "nope", "j.xml")}, "does not exist"},
		{"same file twice", mapEnv(), []string{"run", "--format", "junit:" + filepath.Join(dir, "x.json"), "--report", filepath.Join(dir, "x.json")}, "both write"},
		{"report extension", mapEnv(), []string{"run", "--report", filepath.Join(dir, "r.txt")}, ".json or .md"},
		{"zero timeout", mapEnv(), []string{"run", "--timeout", "0s"}, "--timeout"},
		{"bad timeout", mapEnv(), []string{"run", "--timeout", "soon"}, "invalid value"},
		{"negative concurrency", mapEnv(), []string{"run", "--concurrency", "-1"}, "--concurrency"},
		{"assignment without config", mapEnv(), []string{"run", "--assignment-id", "a"}, "go together"},
		{"config without assignment", mapEnv(), []string{"run", "--config-id", "c"}, "go together"},
		{"given ids, concurrent", mapEnv(), []string{"run", "--config-id", "c", "--assignment-id", "a", "--concurrency", "2"}, "use 1"},
		{"zero concurrency", mapEnv(), []string{"run", "--concurrency", "0"}, "--concurrency"},
		{"zero generated cases", mapEnv(), []string{"run", "--generated-cases", "0"}, "--generated-cases"},
		{"negative convergence window", mapEnv(), []string{"run", "--convergence-window", "-1s"}, "--convergence-window"},
		{"features dir missing", mapEnv(), []string{"run", "--features", filepath.Join(dir, "none")}, "no directory"},
		{"flags first, bad", mapEnv(), []string{"--target", url, "--token", writeToken}, "without --allow-writes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runCLI(t, tc.env, tc.args...)
			if got.code != 2 {
				t.Fatalf("exit %d; want 2\nstdout: %s\nstderr: %s", got.code, got.stdout, got.stderr)
			}
			if lines := strings.Count(strings.TrimRight(got.stderr, "\n"), "\n") + 1; lines != 1 || !strings.Contains(got.stderr, tc.want) {
				t.Errorf("stderr: got %q; want one line containing %q", got.stderr, tc.want)
			}
			if strings.Contains(got.stdout+got.stderr, writeToken) {
				t.Errorf("the token was printed: %s%s", got.stdout, got.stderr)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d request(s) reached the server; a usage error must stop before the first request", n)
	}
}

func TestHelpAndVersion(t *testing.T) {
	env := mapEnv(envToken, writeToken, envReadToken, readToken)
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}, {"run", "-h"}, {"help", "run"}, {"list", "-h"}} {
		got := runCLI(t, env, args...)
		if got.code != 0 || !strings.Contains(got.stdout, "Usage") {
			t.Errorf("%v: exit %d, stdout %q; want 0 and a usage text", args, got.code, got.stdout)
		}
		if strings.Contains(got.stdout+got.stderr, writeToken) || strings.Contains(got.stdout+got.stderr, readToken) {
			t.Errorf("%v: the usage text shows a token from the environment", args)
		}
	}
	got := runCLI(t, env, "run", "-h")
	for _, flag := range []string{"-target", "-token", "-read-token", "-tags", "-format", "-features", "-config-id", "-assignment-id", "-allow-writes", "-timeout", "-concurrency", "-seed", "-generated-cases", "-convergence-window", "-report", "-version"} {
		if !strings.Contains(got.stdout, flag) {
			t.Errorf("run -h does not document %s", flag)
		}
	}
	for _, args := range [][]string{{"--version"}, {"version"}, {"run", "--version"}} {
		if got := runCLI(t, env, args...); got.code != 0 || !strings.HasPrefix(got.stdout, "graphconform ") {
			t.Errorf("%v: exit %d, stdout %q", args, got.code, got.stdout)
		}
	}
}

// Every command is listed by help, and reached by its name.
func TestEveryCommandIsListed(t *testing.T) {
	help := runCLI(t, mapEnv(), "help")
	for _, c := range commands() {
		if !strings.Contains(help.stdout, "  "+c.name+" ") {
			t.Errorf("help does not list %s:\n%s", c.name, help.stdout)
		}
		if got := runCLI(t, mapEnv(), c.name, "-h"); got.code != 0 {
			t.Errorf("%s -h: exit %d\n%s", c.name, got.code, got.stderr)
		}
	}
}

// --target container starts graphmock in a container and removes it afterwards; without Docker the container
// tests skip (see graphmock/graphmockcontainer).
func TestContainerTarget(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a container")
	}
	graphmockcontainer.SkipUnlessDocker(t)
	got := runCLI(t, mapEnv(), "run", "--target", "container", "--tags", "@req:ECA-UPDATE-010,@req:ECA-UPDATE-104")
	if got.code != 0 {
		t.Fatalf("exit %d; want 0\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	if !strings.Contains(got.stdout, "(container)") || !strings.Contains(got.stdout, "ECA-UPDATE-104") {
		t.Errorf("the summary does not show a container run of both requirements:\n%s", got.stdout)
	}
}

func TestList(t *testing.T) {
	got := runCLI(t, mapEnv(), "list")
	if got.code != 0 || !strings.Contains(got.stdout, "ECA-UPDATE-001") || !strings.Contains(got.stdout, "MUST") {
		t.Errorf("list: exit %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	if got := runCLI(t, mapEnv(), "list", "--format", "yaml"); got.code != 2 {
		t.Errorf("list --format yaml: exit %d; want 2", got.code)
	}
}

// TestREADMERequirements keeps the README's requirement table equal to what the features declare.
func TestREADMERequirements(t *testing.T) {
	const begin, end = "<!-- requirements:begin -->\n", "<!-- requirements:end -->"
	path := filepath.Join("..", "..", "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q markers", strings.TrimSpace(begin), end)
	}
	got := runCLI(t, mapEnv(), "list", "--format", "markdown")
	if got.code != 0 {
		t.Fatalf("list --format markdown: exit %d: %s", got.code, got.stderr)
	}
	want := readme[:i+len(begin)] + got.stdout + readme[j:]
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if readme != want {
		t.Errorf("the README's requirement table is stale; run go test ./cmd/graphconform -run TestREADMERequirements -update\nwant:\n%s", got.stdout)
	}
}
