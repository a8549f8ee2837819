package graphmock

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"strings"
	"time"
)

// token is the v2.0 token endpoint for the client credentials grant: it
// authenticates the client, checks the scope and issues a token.
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
	clientID, ok := a.authenticate(w, r, tenant)
	if !ok {
		return
	}
	resource, ok := a.resourceScope(w, r.PostForm.Get("scope"))
	if !ok {
		return
	}
	tok, life := a.issue()
	a.log.Info("issued token", "tenant", tenant, "client_id", clientID, "scope", resource, "expires_in", int(life.Seconds()))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeAuthorityJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     int(life.Seconds()),
		"ext_expires_in": int(life.Seconds()),
		"access_token":   tok,
	})
}

// authenticate checks the grant and the client's credential (a secret in the
// form or in Basic auth, or a client assertion), answering a refusal itself.
func (a *Authority) authenticate(w http.ResponseWriter, r *http.Request, tenant string) (clientID string, ok bool) {
	form := r.PostForm
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok { // client_secret_basic
		clientID, secret = u, p
	}
	switch {
	case form.Get("grant_type") == "":
		a.tokenFail(w, http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: 'grant_type'.")
	case form.Get("grant_type") != "client_credentials":
		a.tokenFail(w, http.StatusBadRequest, "unsupported_grant_type", 70003,
			"The app requested an unsupported grant type '"+safeEcho(form.Get("grant_type"))+"'.")
	case clientID == "":
		a.tokenFail(w, http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: 'client_id'.")
	case clientID != a.cfg.ClientID:
		a.tokenFail(w, http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '"+safeEcho(clientID)+"' was not found in the directory '"+safeEcho(tenant)+"'.")
	case form.Get("client_assertion") != "":
		return clientID, a.assertionOK(w, r, tenant, clientID, form.Get("client_assertion_type"), form.Get("client_assertion"))
	case secret == "":
		a.tokenFail(w, http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
	case subtle.ConstantTimeCompare([]byte(secret), []byte(a.cfg.ClientSecret)) != 1:
		a.tokenFail(w, http.StatusUnauthorized, "invalid_client", 7000215,
			"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"+safeEcho(clientID)+"'.")
	default:
		return clientID, true
	}
	return "", false
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

// resourceScope checks the scope parameter: the client credentials grant
// takes exactly one scope, the resource's /.default.
func (a *Authority) resourceScope(w http.ResponseWriter, scope string) (string, bool) {
	var resource []string
	for _, s := range strings.Fields(scope) {
		switch s {
		case "openid", "profile", "offline_access":
			continue // MSAL may add these; Entra ignores them for app tokens
		}
		resource = append(resource, s)
	}
	if len(resource) != 1 || !strings.HasSuffix(resource[0], "/.default") {
		a.tokenFail(w, http.StatusBadRequest, "invalid_scope", 1002012,
			"The provided value for scope "+safeEcho(scope)+" is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
		return "", false
	}
	return resource[0], true
}

// issue makes an opaque token and remembers it until it expires.
func (a *Authority) issue() (string, time.Duration) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := "gm1." + base64.RawURLEncoding.EncodeToString(b[:])
	life := a.cfg.TokenLifetime
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	for t, exp := range a.tokens { // forget expired tokens so the table stays small
		if now.After(exp) {
			delete(a.tokens, t)
		}
	}
	a.tokens[tok] = now.Add(life)
	a.stats.Issued++
	return tok, life
}
