package graphmock

import (
	"crypto/rand"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/graphconform/graphconform/internal/guid"
)

// AuthorityConfig configures an Authority: one registered application that
// may obtain app-only tokens with the client credentials grant.
type AuthorityConfig struct {
	ClientID     string
	ClientSecret string
	// FederatedToken, when set, is accepted as a client_assertion (the
	// workload identity flow: a Kubernetes service account token exchanged
	// for an Entra token). Real Entra checks the assertion against a
	// federated credential; the mock compares it with this value.
	FederatedToken string
	// ClientCertificate, when set, is the application's registered
	// certificate: a client assertion signed with its key is accepted
	// (private_key_jwt, azidentity's ClientCertificateCredential).
	ClientCertificate *x509.Certificate
	// Tenant, when set, is the only tenant (id or domain) the authority
	// knows; other tenants get AADSTS90002. Empty: any valid tenant name.
	Tenant string
	// Scopes granted to issued tokens (nil: ScopeServiceConfigReadWrite,
	// the permission the suite's writes need).
	Scopes []string
	// TokenLifetime of issued tokens (0: one hour, as Entra's default).
	TokenLifetime time.Duration
	Logger        *slog.Logger // nil: discard. Secrets and tokens are never logged.
}

// AuthorityStats counts token requests, for tests.
type AuthorityStats struct {
	Discovery     int // openid-configuration and instance discovery documents served
	TokenRequests int
	Issued        int
	Failed        int
}

// Authority acts as a Microsoft Entra ID authority for tests: it serves
// the documents MSAL (and so azidentity) fetches and the v2.0 token endpoint
// for the client credentials grant, issuing opaque bearer tokens the Graph
// side of the mock accepts through VerifyToken.
//
// Paths (any tenant segment):
//
//	GET  /{tenant}/v2.0/.well-known/openid-configuration
//	POST /{tenant}/oauth2/v2.0/token
//	GET  /common/discovery/instance   (only asked for when instance discovery is on)
//
// Errors follow Entra's shape: {"error","error_description":"AADSTS...: ...",
// "error_codes":[...],"timestamp","trace_id","correlation_id"}; none of them
// echoes the secret that was sent.
type Authority struct {
	cfg AuthorityConfig
	log *slog.Logger

	mu     sync.Mutex
	tokens map[string]time.Time // issued token -> expiry
	stats  AuthorityStats
}

// NewAuthority returns an authority for cfg.
func NewAuthority(cfg AuthorityConfig) *Authority {
	if cfg.Scopes == nil {
		cfg.Scopes = []string{ScopeServiceConfigReadWrite}
	}
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = time.Hour
	}
	a := &Authority{cfg: cfg, log: cfg.Logger, tokens: map[string]time.Time{}}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	return a
}

// Stats reports what the authority served so far.
func (a *Authority) Stats() AuthorityStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stats
}

// VerifyToken reports the scopes of a token this authority issued and that
// has not expired; it fits Config.VerifyToken.
func (a *Authority) VerifyToken(token string) ([]string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	exp, ok := a.tokens[token]
	if !ok || time.Now().After(exp) {
		return nil, false
	}
	return append([]string(nil), a.cfg.Scopes...), true
}

// IsAuthorityPath reports whether path is one the authority serves.
func IsAuthorityPath(path string) bool {
	_, kind := authorityRoute(path)
	return kind != ""
}

// authorityRoute splits an authority path into its tenant and the document asked for.
func authorityRoute(path string) (tenant, kind string) {
	if path == "/common/discovery/instance" {
		return "common", "instance"
	}
	tenant, rest, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if !ok || tenant == "" {
		return "", ""
	}
	switch rest {
	case "v2.0/.well-known/openid-configuration":
		return tenant, "openid"
	case "oauth2/v2.0/token":
		return tenant, "token"
	}
	return "", ""
}

// Wrap serves the authority's paths and passes every other request to next
// (the Graph mock), so one TLS listener is both authority and Graph.
func (a *Authority) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if IsAuthorityPath(r.URL.Path) {
			a.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ServeHTTP serves the authority's paths (404 for anything else).
func (a *Authority) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tenant, kind := authorityRoute(r.URL.Path)
	switch kind {
	case "openid":
		if !a.methodIs(w, r, http.MethodGet) || !a.tenantKnown(w, tenant) {
			return
		}
		a.count(func(s *AuthorityStats) { s.Discovery++ })
		base := a.base(r) + "/" + tenant
		writeAuthorityJSON(w, http.StatusOK, map[string]any{
			"token_endpoint":                        base + "/oauth2/v2.0/token",
			"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
			"jwks_uri":                              a.base(r) + "/" + tenant + "/discovery/v2.0/keys",
			"response_modes_supported":              []string{"query", "fragment", "form_post"},
			"subject_types_supported":               []string{"pairwise"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
			"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
			// MSAL checks that the issuer's scheme and host are the authority's.
			"issuer":                          base + "/v2.0",
			"request_uri_parameter_supported": false,
			"authorization_endpoint":          base + "/oauth2/v2.0/authorize",
			"tenant_region_scope":             "WW",
			"cloud_instance_name":             "graphmock.local",
		})
	case "instance":
		if !a.methodIs(w, r, http.MethodGet) {
			return
		}
		a.count(func(s *AuthorityStats) { s.Discovery++ })
		// Served for completeness: MSAL sends instance discovery to the
		// public cloud for an unknown host, so it only reaches this mock
		// when the mock is that host. azidentity must disable it here.
		host := r.Host
		tenant := "common"
		if ae, err := url.Parse(r.URL.Query().Get("authorization_endpoint")); err == nil && ae.Host != "" {
			host = ae.Host
			if t, _, ok := strings.Cut(strings.TrimPrefix(ae.Path, "/"), "/"); ok {
				tenant = t
			}
		}
		writeAuthorityJSON(w, http.StatusOK, map[string]any{
			"tenant_discovery_endpoint": "https://" + host + "/" + tenant + "/v2.0/.well-known/openid-configuration",
			"api-version":               "1.1",
			"metadata": []map[string]any{{
				"preferred_network": host, "preferred_cache": host, "aliases": []string{host},
			}},
		})
	case "token":
		if !a.methodIs(w, r, http.MethodPost) {
			return
		}
		a.count(func(s *AuthorityStats) { s.TokenRequests++ })
		a.token(w, r, tenant)
	default:
		a.fail(w, http.StatusNotFound, "invalid_request", 90002, "no authority endpoint at "+r.URL.Path)
	}
}

func (a *Authority) token(w http.ResponseWriter, r *http.Request, tenant string) {
	if !a.tenantKnown(w, tenant) {
		a.count(func(s *AuthorityStats) { s.Failed++ })
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		a.tokenFail(w, http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: 'grant_type'.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.tokenFail(w, http.StatusBadRequest, "invalid_request", 900144, "The request body could not be read as a form.")
		return
	}
	form := r.PostForm
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok { // client_secret_basic
		clientID, secret = u, p
	}
	switch {
	case form.Get("grant_type") == "":
		a.tokenFail(w, http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: 'grant_type'.")
		return
	case form.Get("grant_type") != "client_credentials":
		a.tokenFail(w, http.StatusBadRequest, "unsupported_grant_type", 70003,
			"The app requested an unsupported grant type '"+safeEcho(form.Get("grant_type"))+"'.")
		return
	case clientID == "":
		a.tokenFail(w, http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: 'client_id'.")
		return
	case clientID != a.cfg.ClientID:
		a.tokenFail(w, http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '"+safeEcho(clientID)+"' was not found in the directory '"+safeEcho(tenant)+"'.")
		return
	case form.Get("client_assertion") != "":
		if !a.assertionOK(w, r, tenant, clientID, form.Get("client_assertion_type"), form.Get("client_assertion")) {
			return
		}
	case secret == "":
		a.tokenFail(w, http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return
	case subtle.ConstantTimeCompare([]byte(secret), []byte(a.cfg.ClientSecret)) != 1:
		a.tokenFail(w, http.StatusUnauthorized, "invalid_client", 7000215,
			"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"+safeEcho(clientID)+"'.")
		return
	}
	// The client credentials grant takes exactly one scope, the resource's /.default.
	scopes := strings.Fields(form.Get("scope"))
	var resource []string
	for _, s := range scopes {
		switch s {
		case "openid", "profile", "offline_access":
			continue // MSAL may add these; Entra ignores them for app tokens
		}
		resource = append(resource, s)
	}
	if len(resource) != 1 || !strings.HasSuffix(resource[0], "/.default") {
		a.tokenFail(w, http.StatusBadRequest, "invalid_scope", 1002012,
			"The provided value for scope "+safeEcho(form.Get("scope"))+" is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
		return
	}

	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := "gm1." + base64.RawURLEncoding.EncodeToString(b[:])
	life := a.cfg.TokenLifetime
	a.mu.Lock()
	now := time.Now()
	for t, exp := range a.tokens { // forget expired tokens so the table stays small
		if now.After(exp) {
			delete(a.tokens, t)
		}
	}
	a.tokens[tok] = now.Add(life)
	a.stats.Issued++
	a.mu.Unlock()
	a.log.Info("issued token", "tenant", tenant, "client_id", clientID, "scope", resource[0], "expires_in", int(life.Seconds()))

	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeAuthorityJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     int(life.Seconds()),
		"ext_expires_in": int(life.Seconds()),
		"access_token":   tok,
	})
}

// assertionOK checks a client assertion against the registered certificate
// or federated token, answering the refusal itself.
func (a *Authority) assertionOK(w http.ResponseWriter, r *http.Request, tenant, clientID, typ, assertion string) bool {
	if typ != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		a.tokenFail(w, http.StatusBadRequest, "invalid_request", 50027,
			"client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.")
		return false
	}
	if a.cfg.FederatedToken != "" && subtle.ConstantTimeCompare([]byte(assertion), []byte(a.cfg.FederatedToken)) == 1 {
		return true
	}
	if a.cfg.ClientCertificate != nil {
		endpoint := a.base(r) + "/" + tenant + "/oauth2/v2.0/token"
		err := verifyCertificateAssertion(assertion, a.cfg.ClientCertificate, clientID, endpoint, time.Now())
		if err == nil {
			return true
		}
		a.tokenFail(w, http.StatusUnauthorized, "invalid_client", 700027,
			"Client assertion failed signature validation: "+err.Error()+".")
		return false
	}
	if a.cfg.FederatedToken != "" {
		a.tokenFail(w, http.StatusBadRequest, "invalid_client", 700213,
			"No matching federated identity record found for presented assertion.")
		return false
	}
	a.tokenFail(w, http.StatusUnauthorized, "invalid_client", 700027,
		"Client assertion failed signature validation: no certificate or federated credential is registered for this application.")
	return false
}

func (a *Authority) tenantKnown(w http.ResponseWriter, tenant string) bool {
	valid := tenant != ""
	for _, c := range tenant {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			valid = false
		}
	}
	if valid && (a.cfg.Tenant == "" || strings.EqualFold(tenant, a.cfg.Tenant)) {
		return true
	}
	a.fail(w, http.StatusBadRequest, "invalid_request", 90002,
		"Tenant '"+safeEcho(tenant)+"' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
	return false
}

func (a *Authority) methodIs(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	a.fail(w, http.StatusMethodNotAllowed, "invalid_request", 900561,
		"The endpoint only accepts "+method+" requests. Received a "+r.Method+" request.")
	return false
}

func (a *Authority) count(f func(*AuthorityStats)) {
	a.mu.Lock()
	f(&a.stats)
	a.mu.Unlock()
}

func (a *Authority) tokenFail(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	a.count(func(s *AuthorityStats) { s.Failed++ })
	a.log.Info("token request refused", "error", code, "code", fmt.Sprintf("AADSTS%d", aadsts))
	a.fail(w, status, code, aadsts, desc)
}

// fail answers in Entra's error shape.
func (a *Authority) fail(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	now := time.Now().UTC()
	trace, corr := guid.New(), guid.New()
	w.Header().Set("Cache-Control", "no-store")
	writeAuthorityJSON(w, status, map[string]any{
		"error": code,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s",
			aadsts, desc, trace, corr, now.Format("2006-01-02 15:04:05Z")),
		"error_codes":    []int{aadsts},
		"timestamp":      now.Format("2006-01-02 15:04:05Z"),
		"trace_id":       trace,
		"correlation_id": corr,
		"error_uri":      fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", aadsts),
	})
}

// base is the scheme and host the client used to reach the authority, so
// the documents point back at the same listener whatever port it has.
func (a *Authority) base(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

// safeEcho bounds and sanitises a client-supplied value before it is put
// into an error description.
func safeEcho(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f {
			return '?'
		}
		return c
	}, s)
}

func writeAuthorityJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
