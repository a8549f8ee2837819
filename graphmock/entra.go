package graphmock

import (
	"crypto/x509"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
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
		writeAuthorityJSON(w, http.StatusOK, openIDConfiguration(a.base(r)+"/"+tenant))
	case "instance":
		if !a.methodIs(w, r, http.MethodGet) {
			return
		}
		a.count(func(s *AuthorityStats) { s.Discovery++ })
		writeAuthorityJSON(w, http.StatusOK, instanceDiscovery(r))
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

func (a *Authority) count(f func(*AuthorityStats)) {
	a.mu.Lock()
	f(&a.stats)
	a.mu.Unlock()
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
