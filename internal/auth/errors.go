package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// TokenError is a token request the authority refused or that never got an
// answer. It is a configuration error (exit 2). Its message carries the
// authority's error code (the OAuth "error" field and the AADSTS code) and
// never a secret: the client secret and any token are redacted from every
// text taken from the authority or the libraries.
type TokenError struct {
	Kind        string // credential kind (KindClientSecret, ...)
	Authority   string // authority host
	URL         string // the URL that answered (no query), when known
	Status      int    // HTTP status, 0 when there was no response
	Code        string // OAuth error: invalid_client, unauthorized_client, invalid_scope, ...
	AADSTS      string // the first AADSTS code: AADSTS7000215
	Description string // the authority's description, without trace ids, redacted
	Cause       string // a failure with no response (TLS, connection), redacted
	Hint        string // what to check
}

func (e *TokenError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "token request (%s) to %s failed", e.Kind, e.Authority)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
		if e.URL != "" {
			fmt.Fprintf(&b, " from %s", e.URL)
		}
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	switch {
	case e.Description != "":
		d := e.Description
		if e.AADSTS != "" && !strings.HasPrefix(d, e.AADSTS) {
			d = e.AADSTS + ": " + d
		}
		fmt.Fprintf(&b, ": %s", d)
	case e.AADSTS != "":
		fmt.Fprintf(&b, ": %s", e.AADSTS)
	}
	if e.Cause != "" {
		fmt.Fprintf(&b, ": %s", e.Cause)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, " (%s)", e.Hint)
	}
	return b.String()
}

var (
	aadstsRE  = regexp.MustCompile(`AADSTS\d+`)
	traceTail = regexp.MustCompile(`\s*(Trace ID|Correlation ID|Timestamp):.*$`)
)

// oauthError is the body of an OAuth 2.0 error (RFC 6749 section 5.2) as Entra sends it.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	ErrorCodes  []int  `json:"error_codes"`
}

func newTokenError(c *Credential, err error) *TokenError {
	te := &TokenError{Kind: c.Kind, Authority: c.Authority}
	var afe *azidentity.AuthenticationFailedError
	if errors.As(err, &afe) && afe.RawResponse != nil {
		resp := afe.RawResponse
		te.Status = resp.StatusCode
		if resp.Request != nil && resp.Request.URL != nil {
			u := *resp.Request.URL
			u.RawQuery, u.ForceQuery, u.User = "", false, nil
			te.URL = u.String()
		}
		body, _ := runtime.Payload(resp)
		var oe oauthError
		if json.Unmarshal(body, &oe) == nil && (oe.Error != "" || oe.Description != "") {
			te.Code = c.secrets.redact(oe.Error)
			te.Description = c.secrets.redact(strings.TrimSpace(traceTail.ReplaceAllString(oe.Description, "")))
			if len(oe.ErrorCodes) > 0 {
				te.AADSTS = fmt.Sprintf("AADSTS%d", oe.ErrorCodes[0])
			}
		}
		if te.AADSTS == "" {
			te.AADSTS = aadstsRE.FindString(te.Description)
		}
		if te.Code == "" && te.Description == "" {
			te.Cause = "no OAuth error in the response: " + excerpt(c.secrets.redact(string(body)), 200)
		}
	} else {
		te.Cause = c.secrets.redact(oneLine(err.Error()))
		te.AADSTS = aadstsRE.FindString(te.Cause)
	}
	te.Hint = hint(te)
	if len(te.Description) > 400 {
		te.Description = excerpt(te.Description, 400)
	}
	return te
}

func hint(te *TokenError) string {
	switch {
	case strings.Contains(te.Cause, "x509:") || strings.Contains(te.Cause, "tls:"):
		return "the authority's certificate is not trusted: add its CA with --ca-file or SSL_CERT_FILE"
	case te.Code == "invalid_client" && te.Kind == KindClientCertificate:
		return "check that " + EnvClientCertPath + " holds a certificate registered for the app " + EnvClientID + " names"
	case te.Code == "invalid_client" && te.Kind == KindWorkloadIdentity:
		return "check " + EnvFederatedTokenFile + " and the app's federated credential"
	case te.Code == "invalid_client":
		return "check " + EnvClientSecret + " (the secret's value, not its id) for the app " + EnvClientID + " names"
	case te.Code == "unauthorized_client" || te.AADSTS == "AADSTS700016":
		return "check " + EnvClientID + " and " + EnvTenantID
	case te.AADSTS == "AADSTS90002" || te.Status == http.StatusNotFound:
		return "check " + EnvTenantID + " and --authority-host"
	case te.Code == "invalid_scope" || te.AADSTS == "AADSTS500011":
		return "the scope is derived from --target; check that the target is the Graph root the app has permissions on"
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func excerpt(s string, n int) string {
	s = oneLine(s)
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
