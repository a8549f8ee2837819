package main

// The tenant path end to end, on this machine and with no internet: the mock serves as Entra ID authority and
// as Graph over TLS (a self-signed CA written to a temp file), and the CLI runs the whole suite against it with a
// client secret in the environment, as a user would against a real tenant.

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/auth"
)

const (
	tenantTestTenant = "4d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f"
	tenantTestClient = "9e8d7c6b-5a4f-4e3d-a2c1-b0a9f8e7d6c5"
	tenantTestSecret = "tenant-test-SECRET~d41d8cd98f00b204e9800998ecf8427e"
)

// tenant is the mock as authority + Graph over TLS, counting every request and remembering the bearer tokens
// the Graph side was sent.
type tenant struct {
	url    string // https://localhost:PORT
	caFile string
	mock   *graphmock.Mock
	auth   *graphmock.Authority
	faults *graphmock.FaultInjector

	requests atomic.Int64
	mu       sync.Mutex
	tokens   map[string]bool
}

func newTenant(t *testing.T, faults ...string) *tenant {
	t.Helper()
	files, err := graphmock.WriteSelfSignedTLS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fs, err := graphmock.ParseFaults(faults)
	if err != nil {
		t.Fatal(err)
	}
	tn := &tenant{caFile: files.CAFile, tokens: map[string]bool{}, faults: graphmock.NewFaultInjector(fs...)}
	tn.auth = graphmock.NewAuthority(graphmock.AuthorityConfig{
		ClientID: tenantTestClient, ClientSecret: tenantTestSecret, Tenant: tenantTestTenant,
	})
	tn.mock = graphmock.New(graphmock.Config{
		VerifyToken: tn.auth.VerifyToken,
		Middleware:  []func(http.Handler) http.Handler{tn.faults.Wrap},
	})
	inner := tn.auth.Wrap(tn.mock)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tn.requests.Add(1)
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			tn.mu.Lock()
			tn.tokens[tok] = true
			tn.mu.Unlock()
		}
		inner.ServeHTTP(w, r)
	}))
	srv.TLS = files.Config
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	// localhost, as a user would type it: the certificate names it, and the issuer MSAL checks must match it.
	tn.url = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	return tn
}

func (tn *tenant) env() func(string) string {
	return mapEnv("AZURE_TENANT_ID", tenantTestTenant, "AZURE_CLIENT_ID", tenantTestClient, "AZURE_CLIENT_SECRET", tenantTestSecret)
}

func (tn *tenant) issued() []string {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	var out []string
	for tok := range tn.tokens {
		out = append(out, tok)
	}
	return out
}

// outputs runs the CLI with every output format and report file, and returns the exit code and every text it
// produced, by name.
func runTenant(t *testing.T, tn *tenant, extra ...string) (int, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"junit":       filepath.Join(dir, "junit.xml"),
		"cucumber":    filepath.Join(dir, "cucumber.json"),
		"report.json": filepath.Join(dir, "report.json"),
		"report.md":   filepath.Join(dir, "report.md"),
	}
	args := append([]string{"run", "--target", tn.url + "/v1.0", "--authority-host", tn.url, "--ca-file", tn.caFile,
		"--format", "pretty", "--format", "junit:" + files["junit"], "--format", "cucumber:" + files["cucumber"],
		"--report", files["report.json"], "--report", files["report.md"]}, extra...)
	o := runCLI(t, tn.env(), args...)
	out := map[string]string{"stdout": o.stdout, "stderr": o.stderr}
	for name, path := range files {
		if b, err := os.ReadFile(path); err == nil {
			out[name] = string(b)
		}
	}
	return o.code, out
}

func assertNoSecrets(t *testing.T, tn *tenant, outputs map[string]string) {
	t.Helper()
	secrets := append([]string{tenantTestSecret}, tn.issued()...)
	for name, text := range outputs {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s shows a secret or token (%.6s...)", name, s)
			}
		}
	}
}

func TestTenantRunOverTLS(t *testing.T) {
	tn := newTenant(t)
	code, out := runTenant(t, tn, "--allow-writes")
	// First, so that a failing run's evidence (the riskiest output) is checked too.
	assertNoSecrets(t, tn, out)
	if code != 0 {
		t.Fatalf("exit %d; want 0\nstdout:\n%s\nstderr:\n%s", code, out["stdout"], out["stderr"])
	}
	for _, name := range []string{"junit", "cucumber", "report.json", "report.md"} {
		if out[name] == "" {
			t.Errorf("%s was not written", name)
		}
	}
	if c, a := tn.mock.Counts(); c != 0 || a != 0 {
		t.Errorf("the mock holds %d configurations and %d assignments after the run; want none", c, a)
	}
	st := tn.auth.Stats()
	if st.Issued < 1 || st.Failed != 0 {
		t.Errorf("authority stats %+v; want tokens issued and no refusal", st)
	}
	if len(tn.issued()) == 0 {
		t.Fatal("no bearer token reached the Graph side")
	}
	// The 401 scenarios send no or a bogus token; every other token the service saw came from the authority.
	for _, tok := range tn.issued() {
		if _, ok := tn.auth.VerifyToken(tok); !ok && strings.HasPrefix(tok, "gm1.") {
			t.Errorf("a token the authority did not issue reached Graph")
		}
	}
	assertNoSecrets(t, tn, out)
	t.Logf("authority: %+v; requests: %d", st, tn.requests.Load())
}

func TestTenantRunWithoutAllowWritesSendsNothing(t *testing.T) {
	tn := newTenant(t)
	code, out := runTenant(t, tn)
	if code != 2 {
		t.Fatalf("exit %d; want 2\nstderr:\n%s", code, out["stderr"])
	}
	if !strings.Contains(out["stderr"], "--allow-writes") {
		t.Errorf("stderr does not say why: %s", out["stderr"])
	}
	if n := tn.requests.Load(); n != 0 {
		t.Errorf("%d requests reached the server (authority or Graph); want none", n)
	}
	assertNoSecrets(t, tn, out)
}

func TestTenantRunThrottled(t *testing.T) {
	tn := newTenant(t, "throttle:every=3,retry-after=0.05")
	code, out := runTenant(t, tn, "--allow-writes")
	assertNoSecrets(t, tn, out)
	if code != 0 {
		t.Fatalf("exit %d under throttling; want 0\nstdout:\n%s\nstderr:\n%s", code, out["stdout"], out["stderr"])
	}
	throttled := tn.faults.Stats().Throttled
	if throttled == 0 {
		t.Fatal("no request was throttled: the fault is not in place")
	}
	m := regexp.MustCompile(`retried requests \(429/503\): (\d+)`).FindStringSubmatch(out["stdout"] + out["stderr"])
	if m == nil {
		t.Fatalf("the summary does not report retries:\n%s", out["stdout"])
	}
	if n, _ := strconv.Atoi(m[1]); n != throttled {
		t.Errorf("summary reports %d retries; the mock throttled %d requests", n, throttled)
	}
	if !strings.Contains(out["report.json"], `"retries": `+m[1]) && !strings.Contains(out["report.json"], `"retries":`+m[1]) {
		t.Errorf("report.json does not carry the retries")
	}
	if c, a := tn.mock.Counts(); c != 0 || a != 0 {
		t.Errorf("the mock holds %d configurations and %d assignments after the run; want none", c, a)
	}
	assertNoSecrets(t, tn, out)
	t.Logf("throttled %d requests, all retried", throttled)
}

func TestTenantWrongSecretExits2WithTheAuthorityCode(t *testing.T) {
	tn := newTenant(t)
	env := mapEnv("AZURE_TENANT_ID", tenantTestTenant, "AZURE_CLIENT_ID", tenantTestClient, "AZURE_CLIENT_SECRET", "wrong-"+tenantTestSecret)
	o := runCLI(t, env, "run", "--target", tn.url+"/v1.0", "--authority-host", tn.url, "--ca-file", tn.caFile, "--allow-writes")
	if o.code != 2 {
		t.Fatalf("exit %d; want 2\nstderr: %s", o.code, o.stderr)
	}
	if !strings.Contains(o.stderr, "AADSTS7000215") || !strings.Contains(o.stderr, "invalid_client") {
		t.Errorf("stderr does not carry the authority's error code: %s", o.stderr)
	}
	for _, s := range []string{tenantTestSecret, "wrong-"} {
		if strings.Contains(o.stdout+o.stderr, s) {
			t.Errorf("output shows the secret: %s", o.stderr)
		}
	}
	if st := tn.auth.Stats(); st.TokenRequests == 0 {
		t.Error("no token request reached the authority")
	}
	// No Graph request: the run stopped at the token.
	if len(tn.issued()) != 0 {
		t.Error("a Graph request was sent after the token request failed")
	}
}

func TestTenantUntrustedCAExits2(t *testing.T) {
	tn := newTenant(t)
	o := runCLI(t, tn.env(), "run", "--target", tn.url+"/v1.0", "--authority-host", tn.url, "--allow-writes")
	if o.code != 2 || !strings.Contains(o.stderr, "--ca-file") {
		t.Fatalf("exit %d, stderr %q; want 2 and a pointer to --ca-file", o.code, o.stderr)
	}
	if st := tn.auth.Stats(); st.TokenRequests != 0 {
		t.Errorf("the secret was sent to an unverified server")
	}
}

// sweep reaches a tenant the same way run does: AZURE_* credentials, --authority-host, --ca-file.
func TestTenantSweep(t *testing.T) {
	tn := newTenant(t)
	cred, err := auth.New(auth.Options{Target: tn.url + "/v1.0", AuthorityHost: tn.url, CAFile: tn.caFile, Getenv: tn.env()})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.Source.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: cred.Transport()}
	for _, name := range []string{"graphconform-leftover", "someone else's"} {
		body := `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","displayName":"` + name + `","limit":5}`
		req, _ := http.NewRequest(http.MethodPost, tn.url+"/v1.0/deviceManagement/deviceEnrollmentConfigurations", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("create %q: %d", name, resp.StatusCode)
		}
	}
	o := runCLI(t, tn.env(), "sweep", "--target", tn.url+"/v1.0", "--authority-host", tn.url, "--ca-file", tn.caFile, "--allow-writes")
	if o.code != 0 || !strings.Contains(o.stdout, "deleted 1, kept 0, failed 0") {
		t.Fatalf("sweep: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
	if c, _ := tn.mock.Counts(); c != 1 {
		t.Errorf("%d configurations left; want only the one not named graphconform-*", c)
	}
	assertNoSecrets(t, tn, map[string]string{"stdout": o.stdout, "stderr": o.stderr})
}
