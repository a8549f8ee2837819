package graphmock

import (
	"net/http"
	"strings"
)

// authenticate reads the bearer token and returns its scopes, or answers 401 with a
// WWW-Authenticate challenge (RFC 6750) and returns false. The scheme is case-insensitive (RFC 9110).
func (m *Mock) authenticate(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	authz := r.Header.Get("Authorization")
	if authz == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="graphmock"`)
		WriteError(w, http.StatusUnauthorized, CodeUnauthenticated, "Access token is empty.")
		return nil, false
	}
	scheme, token, _ := strings.Cut(authz, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="graphmock", error="invalid_request"`)
		WriteError(w, http.StatusUnauthorized, CodeUnauthenticated,
			"Authorization header must be 'Bearer {token}'.")
		return nil, false
	}
	if scopes, ok := m.cfg.Tokens[token]; ok {
		return scopes, true
	}
	if m.cfg.VerifyToken != nil {
		if scopes, ok := m.cfg.VerifyToken(token); ok {
			return scopes, true
		}
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="graphmock", error="invalid_token"`)
	WriteError(w, http.StatusUnauthorized, CodeUnauthenticated, "Access token validation failure. Invalid audience or unknown token.")
	return nil, false
}

// authorize answers 403 unless scopes hold a write scope (writes) or any scope of the family (reads),
// as the published permission tables list them.
func authorize(w http.ResponseWriter, scopes []string, write bool) bool {
	for _, s := range scopes {
		switch s {
		case ScopeServiceConfigReadWrite, ScopeConfigurationReadWrite:
			return true
		case ScopeServiceConfigRead, ScopeConfigurationRead:
			if !write {
				return true
			}
		}
	}
	need := ScopeServiceConfigReadWrite + " or " + ScopeConfigurationReadWrite
	if !write {
		need = "one of " + ScopeServiceConfigRead + ", " + ScopeServiceConfigReadWrite + ", " +
			ScopeConfigurationRead + ", " + ScopeConfigurationReadWrite
	}
	WriteError(w, http.StatusForbidden, CodeAccessDenied, "Application is not authorized to perform this operation; it needs "+need+".")
	return false
}
