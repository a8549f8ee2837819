package graphconformtest_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock"
)

const (
	preflightWriter  = "preflight-writer-token-5b1e"
	preflightReader  = "preflight-reader-token-0c7d"
	preflightNoScope = "preflight-noscope-token-9f2a"
)

// counted serves h on loopback and counts the requests that reach it.
func counted(t *testing.T, h http.Handler, tls bool) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1); h.ServeHTTP(w, r) })
	srv := httptest.NewUnstartedServer(wrapped)
	if tls {
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake the client refuses, logged by the server
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &n
}

func preflightMock() http.Handler {
	return graphmock.New(graphmock.Config{Tokens: map[string][]string{
		preflightWriter:  {graphmock.ScopeServiceConfigReadWrite},
		preflightReader:  {graphmock.ScopeServiceConfigRead},
		preflightNoScope: {"User.Read"},
	}})
}

// A configuration problem is told from a conformance one by one authenticated read of the collection: each
// ends Check with a *ConfigError holding a *PreflightError that says what to fix, after that one request and
// before any scenario.
func TestPreflightTellsConfigurationFromConformance(t *testing.T) {
	t.Parallel()
	html := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("<!DOCTYPE html><html><body>Welcome to nginx!</body></html>"))
	})
	notFound := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<html><body>404 page not found</body></html>"))
	})
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://login.example/\u202esignin?state=abc")
		w.WriteHeader(http.StatusFound)
	})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + closed.Addr().String() + "/v1.0"
	closed.Close()

	cases := []struct {
		name    string
		handler http.Handler // nil: the closed port
		tls     bool
		token   string
		read    string
		problem graphconformtest.PreflightProblem
		setting string
		says    string
	}{
		{"closed port", nil, false, preflightWriter, "", graphconformtest.PreflightUnreachable, "BaseURL", "connection refused"},
		{"rejected token", preflightMock(), false, "not-a-token-anyone-issued", "", graphconformtest.PreflightTokenRejected, "Token", "401 Unauthorized (InvalidAuthenticationToken)"},
		{"rejected read token", preflightMock(), false, preflightWriter, "not-a-read-token", graphconformtest.PreflightTokenRejected, "ReadToken", "rejected the read-only token"},
		{"missing scope", preflightMock(), false, preflightNoScope, "", graphconformtest.PreflightMissingScope, "Token", "403 Forbidden"},
		{"web page", html, false, preflightWriter, "", graphconformtest.PreflightNotGraph, "BaseURL", "200 OK with an HTML page"},
		{"404 page", notFound, false, preflightWriter, "", graphconformtest.PreflightNotGraph, "BaseURL", "no deviceEnrollmentConfigurations collection"},
		{"redirect", redirect, false, preflightWriter, "", graphconformtest.PreflightNotGraph, "BaseURL", `redirect to https://login.example/%E2%80%AEsignin`},
		{"untrusted certificate", preflightMock(), true, preflightWriter, "", graphconformtest.PreflightTLS, "BaseURL", "certificate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base, hits := closedURL, new(atomic.Int64)
			if tc.handler != nil {
				var srv *httptest.Server
				srv, hits = counted(t, tc.handler, tc.tls)
				base = srv.URL + "/v1.0"
			}
			tg := graphconformtest.Target{BaseURL: base, Token: graphconformtest.StaticToken(tc.token)}
			if tc.read != "" {
				tg.ReadToken = graphconformtest.StaticToken(tc.read)
			}
			res, err := graphconformtest.Check(context.Background(), tg)
			var ce *graphconformtest.ConfigError
			var pe *graphconformtest.PreflightError
			if !errors.As(err, &ce) || !errors.As(err, &pe) {
				t.Fatalf("got %v (result %v); want a *ConfigError holding a *PreflightError", err, res)
			}
			if pe.Problem != tc.problem || ce.Setting != tc.setting || pe.Setting != tc.setting {
				t.Errorf("problem %q, setting %q/%q; want %q, %q", pe.Problem, ce.Setting, pe.Setting, tc.problem, tc.setting)
			}
			line := err.Error()
			if !strings.Contains(line, tc.says) || strings.Contains(line, "\n") || strings.Contains(line, "\u202e") {
				t.Errorf("error %q: want one line saying %q, control characters escaped", line, tc.says)
			}
			for _, secret := range []string{tc.token, tc.read} {
				if secret != "" && (strings.Contains(line, secret) || strings.Contains(pe.Evidence, secret)) {
					t.Errorf("%q or its evidence shows %q:\n%s", line, secret, pe.Evidence)
				}
			}
			if strings.Contains(line, "--") {
				t.Errorf("%q names a command-line flag", line)
			}
			want := int64(1)
			if tc.read != "" {
				want = 2 // the read/write token passed; the read-only one did not
			}
			if tc.handler != nil && !tc.tls && hits.Load() != want {
				t.Errorf("%d request(s) reached the service; want the preflight's %d", hits.Load(), want)
			}
		})
	}
}

// A conformant service passes the preflight with both tokens, and the run goes on; a service failing
// requirements in ways a conformance check judges (here 500 to everything) is a Result, not a configuration error.
func TestPreflightLetsFindingsThrough(t *testing.T) {
	t.Parallel()
	srv, _ := counted(t, preflightMock(), false)
	tg := graphconformtest.Target{BaseURL: srv.URL + "/v1.0", Token: graphconformtest.StaticToken(preflightWriter),
		ReadToken: graphconformtest.StaticToken(preflightReader)}
	res, err := graphconformtest.Check(context.Background(), tg, graphconformtest.Tags(oneExample))
	if err != nil || !res.Passed() {
		t.Fatalf("err %v, result %+v", err, res)
	}
	broken, hits := counted(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"code":"boom"}}`, http.StatusInternalServerError)
	}), false)
	res, err = graphconformtest.Check(context.Background(), graphconformtest.Target{BaseURL: broken.URL + "/v1.0",
		Token: graphconformtest.StaticToken(preflightWriter)}, graphconformtest.Tags(oneExample))
	if err != nil || res.Passed() || hits.Load() < 2 {
		t.Errorf("err %v, %d requests; want a failed Result after the scenario ran", err, hits.Load())
	}
}

// SkipPreflight: a service that answers 401 to the suite's read (a valid token it treats oddly) is checked
// anyway, and fails the requirements rather than the configuration.
func TestSkipPreflight(t *testing.T) {
	t.Parallel()
	srv, hits := counted(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"code":"InvalidAuthenticationToken"}}`, http.StatusUnauthorized)
	}), false)
	tg := graphconformtest.Target{BaseURL: srv.URL + "/v1.0", Token: graphconformtest.StaticToken(preflightWriter)}
	res, err := graphconformtest.Check(context.Background(), tg, graphconformtest.Tags(oneExample), graphconformtest.SkipPreflight())
	if err != nil || res.Passed() || hits.Load() == 0 {
		t.Errorf("err %v, %d requests; want the scenario run and failed", err, hits.Load())
	}
}
