package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphconform/graphconform/graphmock"
)

const (
	tenantID = "8a2b6c2e-1f3d-4c5b-9a7e-0d1c2b3a4f5e"
	clientID = "0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"
	secret   = "Qx8~vE.secret-value-which-must-never-appear"
)

// fixture is the mock serving as authority and Graph over TLS.
type fixture struct {
	url    string // https://localhost:PORT
	caFile string
	auth   *graphmock.Authority
}

func newFixture(t *testing.T, cfg graphmock.AuthorityConfig) *fixture {
	t.Helper()
	files, err := graphmock.WriteSelfSignedTLS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := graphmock.NewAuthority(cfg)
	m := graphmock.New(graphmock.Config{VerifyToken: a.VerifyToken})
	srv := httptest.NewUnstartedServer(a.Wrap(m))
	srv.TLS = files.Config
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake errors are expected in some tests
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &fixture{url: strings.Replace(srv.URL, "127.0.0.1", "localhost", 1), caFile: files.CAFile, auth: a}
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func secretEnv() map[string]string {
	return map[string]string{EnvTenantID: tenantID, EnvClientID: clientID, EnvClientSecret: secret}
}

func TestClientSecretAgainstMockAuthority(t *testing.T) {
	f := newFixture(t, graphmock.AuthorityConfig{ClientID: clientID, ClientSecret: secret, Tenant: tenantID})
	c, err := New(Options{Target: f.url + "/v1.0", AuthorityHost: f.url, CAFile: f.caFile, Getenv: env(secretEnv())})
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != KindClientSecret || c.Scope != f.url+"/.default" || c.InstanceDiscovery {
		t.Errorf("credential %s scope %s discovery %v; want client secret, %s/.default, discovery off", c.Kind, c.Scope, c.InstanceDiscovery, f.url)
	}
	ctx := context.Background()
	if err := c.Check(ctx); err != nil {
		t.Fatalf("Check: %v", err)
	}
	var tok string
	for range 5 {
		if tok, err = c.Source.Token(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// The credential caches the token: one token request for six calls.
	if st := f.auth.Stats(); st.TokenRequests != 1 || st.Issued != 1 || st.Discovery != 1 {
		t.Errorf("authority stats %+v; want one discovery and one token request", st)
	}
	if !contains(c.Secrets(), tok) || !contains(c.Secrets(), secret) {
		t.Error("Secrets() lacks the client secret or the acquired token")
	}

	// The token works on the Graph side, over the same trusted transport.
	req, _ := http.NewRequest(http.MethodGet, f.url+"/v1.0/deviceManagement/deviceEnrollmentConfigurations", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := (&http.Client{Transport: c.Transport()}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("Graph GET with the acquired token: %d; want 200", resp.StatusCode)
	}
}

func TestFailedTokenRequestCarriesCodeNotSecret(t *testing.T) {
	f := newFixture(t, graphmock.AuthorityConfig{ClientID: clientID, ClientSecret: "the-registered-one", Tenant: tenantID})
	for _, tc := range []struct {
		name   string
		env    map[string]string
		code   string
		aadsts string
	}{
		{"wrong secret", secretEnv(), "invalid_client", "AADSTS7000215"},
		{"unknown client", map[string]string{EnvTenantID: tenantID, EnvClientID: "ffffffff-0000-0000-0000-000000000000", EnvClientSecret: secret}, "unauthorized_client", "AADSTS700016"},
		{"unknown tenant", map[string]string{EnvTenantID: "fabrikam.example", EnvClientID: clientID, EnvClientSecret: secret}, "invalid_request", "AADSTS90002"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(Options{Target: f.url + "/v1.0", AuthorityHost: f.url, CAFile: f.caFile, Getenv: env(tc.env)})
			if err != nil {
				t.Fatal(err)
			}
			err = c.Check(context.Background())
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Check error %v (%T); want a *TokenError", err, err)
			}
			msg := err.Error()
			if te.Code != tc.code || te.AADSTS != tc.aadsts || !strings.Contains(msg, tc.aadsts) || !strings.Contains(msg, tc.code) {
				t.Errorf("error %q (code %q, %q); want %s and %s in it", msg, te.Code, te.AADSTS, tc.code, tc.aadsts)
			}
			if strings.Contains(msg, secret) || strings.Contains(msg, "the-registered-one") {
				t.Errorf("error message leaks a secret: %s", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error message spans lines: %q", msg)
			}
			t.Log(msg)
		})
	}
}

func TestUntrustedAuthorityIsRefused(t *testing.T) {
	f := newFixture(t, graphmock.AuthorityConfig{ClientID: clientID, ClientSecret: secret})
	c, err := New(Options{Target: f.url + "/v1.0", AuthorityHost: f.url, Getenv: env(secretEnv())})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Check(context.Background())
	var te *TokenError
	t.Log(err)
	if !errors.As(err, &te) || !strings.Contains(te.Hint, "--ca-file") {
		t.Fatalf("Check error %v; want a TokenError pointing at --ca-file", err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error leaks the secret: %v", err)
	}
	if st := f.auth.Stats(); st.TokenRequests != 0 {
		t.Errorf("the secret was sent to an unverified server (%d token requests)", st.TokenRequests)
	}
}

func TestSSLCertFileIsHonoured(t *testing.T) {
	f := newFixture(t, graphmock.AuthorityConfig{ClientID: clientID, ClientSecret: secret})
	e := secretEnv()
	e[EnvSSLCertFile] = f.caFile
	e[EnvAuthorityHost] = f.url // and the authority from the environment
	c, err := New(Options{Target: f.url + "/v1.0", Getenv: env(e)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check with SSL_CERT_FILE and AZURE_AUTHORITY_HOST: %v", err)
	}
}

func TestWorkloadIdentity(t *testing.T) {
	f := newFixture(t, graphmock.AuthorityConfig{ClientID: clientID, FederatedToken: "sa-token-from-kubernetes"})
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("sa-token-from-kubernetes"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := map[string]string{EnvTenantID: tenantID, EnvClientID: clientID, EnvFederatedTokenFile: tokenFile}
	c, err := New(Options{Target: f.url + "/v1.0", AuthorityHost: f.url, CAFile: f.caFile, Getenv: env(e)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != KindWorkloadIdentity {
		t.Errorf("kind %s; want workload identity", c.Kind)
	}
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
}

func TestSelection(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		opts    Options
		env     map[string]string
		kind    string
		wantErr string
	}{
		{name: "static token wins", opts: Options{Token: "tok-1234"}, env: secretEnv(), kind: KindStatic},
		{name: "nothing", env: map[string]string{}, wantErr: "no credential"},
		{name: "no tenant", env: map[string]string{EnvClientID: clientID, EnvClientSecret: secret}, wantErr: EnvTenantID},
		{name: "no client", env: map[string]string{EnvTenantID: tenantID, EnvClientSecret: secret}, wantErr: EnvClientID},
		{name: "no secret", env: map[string]string{EnvTenantID: tenantID, EnvClientID: clientID}, wantErr: "none of"},
		{name: "http target", opts: Options{Target: "http://graph.example/v1.0"}, env: secretEnv(), wantErr: "not https"},
		{name: "http authority", opts: Options{Target: "https://graph.example/v1.0", AuthorityHost: "http://login.example"}, env: secretEnv(), wantErr: "must be https"},
		{name: "missing CA file", opts: Options{Target: "https://graph.example/v1.0", CAFile: filepath.Join(dir, "nope.pem")}, env: secretEnv(), wantErr: "--ca-file"},
		{name: "missing cert", opts: Options{Target: "https://graph.example/v1.0"}, env: map[string]string{EnvTenantID: tenantID, EnvClientID: clientID, EnvClientCertPath: filepath.Join(dir, "nope.pem")}, wantErr: EnvClientCertPath},
		{name: "secret", opts: Options{Target: "https://graph.microsoft.com/v1.0"}, env: secretEnv(), kind: KindClientSecret},
	} {
		c, err := New(Options{Token: tc.opts.Token, Target: tc.opts.Target, AuthorityHost: tc.opts.AuthorityHost, CAFile: tc.opts.CAFile, Getenv: env(tc.env)})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v; want one mentioning %q", tc.name, err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("%s: error leaks the secret", tc.name)
			}
			continue
		}
		if err != nil || c.Kind != tc.kind {
			t.Errorf("%s: got %v, %v; want %s", tc.name, c, err, tc.kind)
		}
	}
}

func TestScopeAndAuthority(t *testing.T) {
	for in, want := range map[string]string{
		"https://graph.microsoft.com/v1.0":             "https://graph.microsoft.com/.default",
		"https://graph.microsoft.us/beta/":             "https://graph.microsoft.us/.default",
		"https://microsoftgraph.chinacloudapi.cn/v1.0": "https://microsoftgraph.chinacloudapi.cn/.default",
		"https://LOCALHOST:8443/v1.0":                  "https://localhost:8443/.default",
	} {
		if got, err := Scope(in); err != nil || got != want {
			t.Errorf("Scope(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	none := env(map[string]string{})
	if got, _ := AuthorityHost("", none); got != cloud.AzurePublic.ActiveDirectoryAuthorityHost {
		t.Errorf("default authority %q; want the public cloud", got)
	}
	if got, _ := AuthorityHost("", env(map[string]string{EnvAuthorityHost: "https://login.microsoftonline.us"})); got != "https://login.microsoftonline.us/" {
		t.Errorf("authority from env %q", got)
	}
	if got, _ := AuthorityHost("https://localhost:9443", env(map[string]string{EnvAuthorityHost: "https://login.microsoftonline.us"})); got != "https://localhost:9443/" {
		t.Errorf("flag should win over env, got %q", got)
	}
	for host, known := range map[string]bool{
		"https://login.microsoftonline.com/": true, "https://login.microsoftonline.us/": true,
		"https://login.chinacloudapi.cn/": true, "https://localhost:9443/": false,
		"https://login.microsoftonline.com:8443/": false, "https://login.contoso.example/": false,
	} {
		if KnownPublicCloud(host) != known {
			t.Errorf("KnownPublicCloud(%s) = %v; want %v", host, !known, known)
		}
	}
}

// recorder is a transport that records every host asked for and refuses
// anything but loopback without dialling it.
type recorder struct {
	mu    sync.Mutex
	hosts []string
	next  http.RoundTripper
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.hosts = append(r.hosts, req.URL.Host)
	r.mu.Unlock()
	if h := req.URL.Hostname(); h != "localhost" && net.ParseIP(h) == nil {
		return nil, fmt.Errorf("test transport: refusing to dial %s", req.URL.Host)
	}
	return r.next.RoundTrip(req)
}

// TestInstanceDiscoveryMustBeOffForAPrivateAuthority documents why the
// credential turns instance discovery off: with it on, azidentity (MSAL)
// asks login.microsoftonline.com about the private authority before anything else.
func TestInstanceDiscoveryMustBeOffForAPrivateAuthority(t *testing.T) {
	f := newFixture(t, graphmock.AuthorityConfig{ClientID: clientID, ClientSecret: secret})
	tlsConf, err := TLSConfig(f.caFile, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, disable := range []bool{false, true} {
		rec := &recorder{next: newTransport(tlsConf)}
		cred, err := azidentity.NewClientSecretCredential(tenantID, clientID, secret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions: azcore.ClientOptions{
				Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: f.url},
				Transport: rec,
				Retry:     policy.RetryOptions{MaxRetries: -1},
			},
			DisableInstanceDiscovery: disable,
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{f.url + "/.default"}})
		t.Logf("DisableInstanceDiscovery=%v: hosts asked %v, err=%v", disable, rec.hosts, err != nil)
		if disable {
			if err != nil {
				t.Errorf("with discovery off: %v", err)
			}
			for _, h := range rec.hosts {
				if !strings.HasPrefix(h, "localhost:") {
					t.Errorf("with discovery off, asked %s", h)
				}
			}
		} else if err == nil || len(rec.hosts) == 0 || rec.hosts[0] != "login.microsoftonline.com" {
			t.Errorf("with discovery on: hosts %v, err %v; want a first request to login.microsoftonline.com", rec.hosts, err)
		}
	}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// A token close to expiry is replaced by the credential itself (MSAL refreshes
// within five minutes of expiry), and each new token joins the secrets.
func TestCredentialRefreshesExpiringTokens(t *testing.T) {
	f := newFixture(t, graphmock.AuthorityConfig{ClientID: clientID, ClientSecret: secret, TokenLifetime: time.Minute})
	c, err := New(Options{Target: f.url + "/v1.0", AuthorityHost: f.url, CAFile: f.caFile, Getenv: env(secretEnv())})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Source.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Source.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if a == b || f.auth.Stats().TokenRequests != 2 {
		t.Errorf("a one-minute token was reused (%d token requests); want a fresh one", f.auth.Stats().TokenRequests)
	}
	if !contains(c.Secrets(), a) || !contains(c.Secrets(), b) {
		t.Error("Secrets() lacks a refreshed token")
	}
}

func TestCAFileWithoutCertificate(t *testing.T) {
	p := filepath.Join(t.TempDir(), "empty.pem")
	if err := os.WriteFile(p, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := TLSConfig(p, env(nil)); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("TLSConfig(empty) = %v; want an error, never a silent fallback", err)
	}
	if _, err := TLSConfig("", env(map[string]string{EnvSSLCertFile: p})); err == nil || !strings.Contains(err.Error(), EnvSSLCertFile) {
		t.Errorf("TLSConfig(SSL_CERT_FILE=empty) = %v; want an error naming SSL_CERT_FILE", err)
	}
}

// TestRemoteTargetBoundsResponseHeaders: the transport built for URL targets (and the authority) reads at
// most transport.MaxResponseHeaderBytes of response headers, not Go's default 10 MB.
func TestRemoteTargetBoundsResponseHeaders(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+strings.Repeat("x", 2<<20)+`"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	tgt, _, err := RemoteTarget(TargetOptions{
		Options: Options{Token: "static-token-for-this-test", Target: srv.URL + "/v1.0", Getenv: func(string) string { return "" }},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Shutdown()
	resp, err := tgt.Client.Get(srv.URL + "/v1.0/x")
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got %s with 2 MB of headers; want the response refused", resp.Status)
	}
	if !strings.Contains(err.Error(), "exceeded") {
		t.Errorf("error %v; want it to say the headers exceeded the limit", err)
	}
}
