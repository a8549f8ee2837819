package graphmock

import (
	"net/http"
	"net/url"
	"strings"
)

// openIDConfiguration is the tenant's OpenID configuration document, at
// base = https://host/{tenant}: where MSAL finds the token endpoint.
func openIDConfiguration(base string) map[string]any {
	return map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              base + "/discovery/v2.0/keys",
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
	}
}

// instanceDiscovery is the instance discovery document, served for
// completeness: MSAL sends instance discovery to the public cloud for an
// unknown host, so it only reaches this mock when the mock is that host.
// azidentity must disable it here.
func instanceDiscovery(r *http.Request) map[string]any {
	host := r.Host
	tenant := "common"
	if ae, err := url.Parse(r.URL.Query().Get("authorization_endpoint")); err == nil && ae.Host != "" {
		host = ae.Host
		if t, _, ok := strings.Cut(strings.TrimPrefix(ae.Path, "/"), "/"); ok {
			tenant = t
		}
	}
	return map[string]any{
		"tenant_discovery_endpoint": "https://" + host + "/" + tenant + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []map[string]any{{
			"preferred_network": host, "preferred_cache": host, "aliases": []string{host},
		}},
	}
}
