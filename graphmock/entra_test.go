package graphmock

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

const (
	testClientID = "11111111-2222-3333-4444-555555555555"
	testSecret   = "s3cr3t~value.that-must-never-leak"
	testTenant   = "contoso.onmicrosoft.com"
)

// tlsAuthority serves an authority in front of a mock, over TLS with a CA
// written to a temp dir, and returns a client that trusts only that CA.
func tlsAuthority(t *testing.T, cfg AuthorityConfig) (*httptest.Server, *http.Client, *Authority, *Mock) {
	t.Helper()
	files, err := WriteSelfSignedTLS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := NewAuthority(cfg)
	m := New(Config{VerifyToken: a.VerifyToken})
	srv := httptest.NewUnstartedServer(a.Wrap(m))
	srv.TLS = files.Config
	srv.StartTLS()
	t.Cleanup(srv.Close)

	pem, err := os.ReadFile(files.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("ca.pem holds no certificate")
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	return srv, c, a, m
}

func decode(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	var v map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	return v
}

func TestAuthorityOpenIDConfigurationPointsBackAtItself(t *testing.T) {
	srv, c, _, _ := tlsAuthority(t, AuthorityConfig{ClientID: testClientID, ClientSecret: testSecret})
	// localhost, not 127.0.0.1: the certificate names both, and the documents
	// must use whichever host the client used.
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	resp, err := c.Get(base + "/" + testTenant + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("status %d; want 200", resp.StatusCode)
	}
	doc := decode(t, resp)
	want := map[string]string{
		"issuer":                 base + "/" + testTenant + "/v2.0",
		"token_endpoint":         base + "/" + testTenant + "/oauth2/v2.0/token",
		"authorization_endpoint": base + "/" + testTenant + "/oauth2/v2.0/authorize",
	}
	for k, v := range want {
		if doc[k] != v {
			t.Errorf("%s = %v; want %s", k, doc[k], v)
		}
	}
}

func tokenRequest(t *testing.T, c *http.Client, endpoint string, form url.Values) (int, map[string]any, string) {
	t.Helper()
	resp, err := c.PostForm(endpoint, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v map[string]any
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, v, string(b)
}

func TestAuthorityClientCredentials(t *testing.T) {
	srv, c, a, m := tlsAuthority(t, AuthorityConfig{ClientID: testClientID, ClientSecret: testSecret, Tenant: testTenant})
	endpoint := srv.URL + "/" + testTenant + "/oauth2/v2.0/token"
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID},
		"client_secret": {testSecret}, "scope": {"https://localhost/.default"}}

	status, body, raw := tokenRequest(t, c, endpoint, good)
	if status != 200 || body["token_type"] != "Bearer" || body["access_token"] == "" || body["expires_in"] == nil {
		t.Fatalf("got %d %s; want 200 with a bearer token", status, raw)
	}
	tok := body["access_token"].(string)
	if scopes, ok := a.VerifyToken(tok); !ok || len(scopes) != 1 || scopes[0] != ScopeServiceConfigReadWrite {
		t.Errorf("VerifyToken(issued) = %v, %v; want the write scope", scopes, ok)
	}
	if _, ok := a.VerifyToken("gm1.forged"); ok {
		t.Error("VerifyToken accepted a token it never issued")
	}

	// The Graph side accepts the issued token.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1.0/deviceManagement/deviceEnrollmentConfigurations", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("Graph GET with the issued token: %d; want 200", resp.StatusCode)
	}
	_ = m

	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range good {
			f[kk] = vv
		}
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
		return f
	}
	withAssertion := func(v string) url.Values {
		f := with("client_assertion", v)
		f.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		return f
	}
	for _, tc := range []struct {
		name     string
		endpoint string
		form     url.Values
		status   int
		code     string
		aadsts   float64
	}{
		{"wrong secret", endpoint, with("client_secret", "wrong-"+testSecret), 401, "invalid_client", 7000215},
		{"no secret", endpoint, with("client_secret", ""), 401, "invalid_client", 7000218},
		{"unknown client", endpoint, with("client_id", "00000000-0000-0000-0000-000000000000"), 400, "unauthorized_client", 700016},
		{"other grant", endpoint, with("grant_type", "password"), 400, "unsupported_grant_type", 70003},
		{"no /.default", endpoint, with("scope", "https://localhost/User.Read"), 400, "invalid_scope", 1002012},
		{"unknown tenant", srv.URL + "/fabrikam.example/oauth2/v2.0/token", good, 400, "invalid_request", 90002},
		{"assertion, none registered", endpoint, withAssertion("eyJ.x.y"), 401, "invalid_client", 700027},
	} {
		status, body, raw := tokenRequest(t, c, tc.endpoint, tc.form)
		codes, _ := body["error_codes"].([]any)
		if status != tc.status || body["error"] != tc.code || len(codes) != 1 || codes[0] != tc.aadsts {
			t.Errorf("%s: got %d %s; want %d error=%s error_codes=[%v]", tc.name, status, raw, tc.status, tc.code, tc.aadsts)
		}
		if d, _ := body["error_description"].(string); !strings.HasPrefix(d, "AADSTS") {
			t.Errorf("%s: error_description %q; want it to start with the AADSTS code", tc.name, d)
		}
		if strings.Contains(raw, testSecret) {
			t.Errorf("%s: the response echoes the client secret: %s", tc.name, raw)
		}
	}
	if st := a.Stats(); st.Issued != 1 || st.Failed != 7 {
		t.Errorf("stats %+v; want 1 issued, 7 failed", st)
	}
}

func TestAuthorityWorkloadIdentityAssertion(t *testing.T) {
	srv, c, _, _ := tlsAuthority(t, AuthorityConfig{ClientID: testClientID, FederatedToken: "k8s-sa-token"})
	endpoint := srv.URL + "/any-tenant/oauth2/v2.0/token"
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "scope": {"https://x/.default"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {"k8s-sa-token"}}
	if status, _, raw := tokenRequest(t, c, endpoint, form); status != 200 {
		t.Errorf("matching assertion: %d %s; want 200", status, raw)
	}
	form.Set("client_assertion", "other")
	if status, body, raw := tokenRequest(t, c, endpoint, form); status != 400 || body["error"] != "invalid_client" {
		t.Errorf("other assertion: %d %s; want 400 invalid_client", status, raw)
	}
}

func TestAuthorityLeavesGraphPathsToTheMock(t *testing.T) {
	for path, want := range map[string]bool{
		"/t/v2.0/.well-known/openid-configuration":              true,
		"/t/oauth2/v2.0/token":                                  true,
		"/common/discovery/instance":                            true,
		"/v1.0/deviceManagement/deviceEnrollmentConfigurations": false,
		"/v2.0/deviceManagement/deviceEnrollmentConfigurations": false,
		"/healthz":                                false,
		"/t/oauth2/v2.0/token/extra":              false,
		"//v2.0/.well-known/openid-configuration": false,
	} {
		if got := IsAuthorityPath(path); got != want {
			t.Errorf("IsAuthorityPath(%q) = %v; want %v", path, got, want)
		}
	}
}

func TestSelfSignedTLSIsVerifiable(t *testing.T) {
	files, err := WriteSelfSignedTLS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadServerTLS(files.CertFile, files.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	srv.TLS = cfg
	srv.StartTLS()
	defer srv.Close()

	// Without the CA: refused. With it: accepted, for localhost and 127.0.0.1.
	if _, err := (&http.Client{Transport: &http.Transport{}}).Get(srv.URL); err == nil {
		t.Error("a client without the test CA accepted the certificate")
	}
	pem, _ := os.ReadFile(files.CAFile)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, u := range []string{srv.URL, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)} {
		resp, err := c.Get(u)
		if err != nil {
			t.Errorf("GET %s: %v", u, err)
			continue
		}
		resp.Body.Close()
	}
	if fi, err := os.Stat(files.KeyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, %v; want 0600", fi.Mode(), err)
	}
}
