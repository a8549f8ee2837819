// Package auth picks the credential graphconform uses against a Graph
// service: a static bearer token, or Microsoft Entra ID client credentials
// through azidentity, configured the way azidentity's environment
// conventions describe (AZURE_TENANT_ID, AZURE_CLIENT_ID and one of
// AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE).
//
// TLS verification is always on. Trusted roots are the system's, plus
// SSL_CERT_FILE and --ca-file when given; there is no way to skip
// verification, for the authority or for the service.
package auth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphconformtest/azuretoken"
	"github.com/graphconform/graphconform/internal/transport"
)

// Environment variables read (the names azidentity documents).
const (
	EnvTenantID           = "AZURE_TENANT_ID"
	EnvClientID           = "AZURE_CLIENT_ID"
	EnvClientSecret       = "AZURE_CLIENT_SECRET"
	EnvClientCertPath     = "AZURE_CLIENT_CERTIFICATE_PATH"
	EnvClientCertPass     = "AZURE_CLIENT_CERTIFICATE_PASSWORD"
	EnvFederatedTokenFile = "AZURE_FEDERATED_TOKEN_FILE"
	EnvAuthorityHost      = "AZURE_AUTHORITY_HOST"
	EnvSSLCertFile        = "SSL_CERT_FILE"
)

// Kinds of credential.
const (
	KindStatic            = "static token"
	KindClientSecret      = "client secret"
	KindClientCertificate = "client certificate"
	KindWorkloadIdentity  = "workload identity"
)

// ErrNoCredential says neither a token nor AZURE_* client credentials were given.
var ErrNoCredential = errors.New("no credential: pass --token (or GRAPH_TOKEN), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_FEDERATED_TOKEN_FILE)")

// Options are what the command line and the environment say.
type Options struct {
	Token         string              // static bearer token; wins over AZURE_*
	Target        string              // the service's base URL (https://graph.microsoft.com/v1.0)
	AuthorityHost string              // --authority-host; "" -> AZURE_AUTHORITY_HOST -> public cloud
	CAFile        string              // --ca-file: PEM bundle of extra trusted CAs
	Getenv        func(string) string // nil -> os.Getenv
	// RequestTimeout bounds one request to the authority (0: 30s).
	RequestTimeout time.Duration
}

// Credential is the chosen credential and what goes with it.
type Credential struct {
	Kind      string                       // KindStatic, KindClientSecret, ...
	Source    graphconformtest.TokenSource // the target's Token
	Scope     string                       // "" for a static token
	Authority string                       // authority host ("" for a static token)
	TenantID  string
	// InstanceDiscovery is false when it was turned off (any authority that
	// is not a known public cloud).
	InstanceDiscovery bool
	TLS               *tls.Config // trusted roots for the service too
	// Secrets are the values no output may show: the static token or the
	// client secret, and every access token the credential hands out
	// (appended as they are acquired, see Secret).
	secrets *secretList
}

// Secrets returns the values to redact, including the tokens acquired so far.
func (c *Credential) Secrets() []string { return c.secrets.list() }

// Transport returns an HTTP transport for the service that trusts the same
// roots as the credential.
func (c *Credential) Transport() *http.Transport { return newTransport(c.TLS) }

// New picks and builds the credential. It makes no network request; call
// Check to acquire the first token. Errors are configuration errors (exit 2).
func New(opts Options) (*Credential, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	tlsConf, err := TLSConfig(opts.CAFile, getenv)
	if err != nil {
		return nil, err
	}
	c := &Credential{TLS: tlsConf, secrets: &secretList{}}
	if tok := strings.TrimSpace(opts.Token); tok != "" {
		c.Kind, c.Source = KindStatic, graphconformtest.StaticToken(tok)
		c.secrets.add(tok)
		return c, nil
	}
	app, err := appFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	c.secrets.add(app.secret)
	c.secrets.add(app.certPass)

	scope, err := Scope(opts.Target)
	if err != nil {
		return nil, err
	}
	host, err := AuthorityHost(opts.AuthorityHost, getenv)
	if err != nil {
		return nil, err
	}
	c.Scope, c.Authority, c.TenantID = scope, host, app.tenant
	c.InstanceDiscovery = KnownPublicCloud(host)

	timeout := opts.RequestTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	co := azcore.ClientOptions{
		Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: host},
		// azidentity sends its requests through this transport only, so the
		// authority is verified against the same roots as the service.
		Transport: &http.Client{Transport: newTransport(tlsConf), Timeout: timeout},
		Retry:     policy.RetryOptions{MaxRetries: 2, ShouldRetry: shouldRetryAuthority},
	}
	var cred azcore.TokenCredential
	c.Kind, cred, err = app.credential(co, !c.InstanceDiscovery, c.secrets.redact)
	if err != nil {
		return nil, err
	}
	c.Source = &reporting{c: c, src: azuretoken.New(cred, scope)}
	return c, nil
}

// app is the Entra ID application the AZURE_* variables describe.
type app struct {
	tenant, clientID                           string
	secret, certPath, certPass, federatedToken string // federatedToken: the token file's path
}

// appFromEnv reads the AZURE_* variables: ErrNoCredential when none is set,
// a configuration error when some are.
func appFromEnv(getenv func(string) string) (*app, error) {
	a := &app{
		tenant: strings.TrimSpace(getenv(EnvTenantID)), clientID: strings.TrimSpace(getenv(EnvClientID)),
		secret: getenv(EnvClientSecret), certPath: getenv(EnvClientCertPath), certPass: getenv(EnvClientCertPass),
		federatedToken: getenv(EnvFederatedTokenFile),
	}
	noCredential := a.secret == "" && a.certPath == "" && a.federatedToken == ""
	switch {
	case a.tenant == "" && a.clientID == "" && noCredential:
		return nil, ErrNoCredential
	case a.tenant == "":
		return nil, fmt.Errorf("%s is not set: the Entra ID credential needs the tenant (directory) id", EnvTenantID)
	case a.clientID == "":
		return nil, fmt.Errorf("%s is not set: the Entra ID credential needs the application (client) id", EnvClientID)
	case noCredential:
		return nil, fmt.Errorf("%s and %s are set but none of %s, %s, %s", EnvTenantID, EnvClientID, EnvClientSecret, EnvClientCertPath, EnvFederatedTokenFile)
	}
	return a, nil
}

// credential builds the azidentity credential for the application's own
// credential: a client secret, else a certificate, else a federated token.
// azidentity's errors are redacted.
func (a *app) credential(co azcore.ClientOptions, noDiscovery bool, redact func(string) string) (string, azcore.TokenCredential, error) {
	built := func(kind string, cred azcore.TokenCredential, err error) (string, azcore.TokenCredential, error) {
		if err != nil {
			return kind, nil, fmt.Errorf("%s credential: %s", kind, redact(err.Error()))
		}
		return kind, cred, nil
	}
	switch {
	case a.secret != "":
		cred, err := azidentity.NewClientSecretCredential(a.tenant, a.clientID, a.secret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions: co, DisableInstanceDiscovery: noDiscovery,
		})
		return built(KindClientSecret, cred, err)
	case a.certPath != "":
		data, err := os.ReadFile(a.certPath)
		if err != nil {
			return KindClientCertificate, nil, fmt.Errorf("%s: %w", EnvClientCertPath, err)
		}
		var pass []byte
		if a.certPass != "" {
			pass = []byte(a.certPass)
		}
		certs, key, err := azidentity.ParseCertificates(data, pass)
		if err != nil {
			return KindClientCertificate, nil, fmt.Errorf("%s %s: %v", EnvClientCertPath, a.certPath, err)
		}
		cred, err := azidentity.NewClientCertificateCredential(a.tenant, a.clientID, certs, key, &azidentity.ClientCertificateCredentialOptions{
			ClientOptions: co, DisableInstanceDiscovery: noDiscovery,
		})
		return built(KindClientCertificate, cred, err)
	default:
		if _, err := os.Stat(a.federatedToken); err != nil {
			return KindWorkloadIdentity, nil, fmt.Errorf("%s: %w", EnvFederatedTokenFile, err)
		}
		cred, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: co, DisableInstanceDiscovery: noDiscovery,
			TenantID: a.tenant, ClientID: a.clientID, TokenFilePath: a.federatedToken,
		})
		return built(KindWorkloadIdentity, cred, err)
	}
}

// reporting turns a credential's failures into TokenErrors: azidentity's own
// messages dump the authority's whole response over many lines, and a token
// refresh failing mid-run ends up in a scenario's evidence. It records each
// token among the credential's secrets.
type reporting struct {
	c   *Credential
	src graphconformtest.TokenSource
}

func (r *reporting) Token(ctx context.Context) (string, error) {
	tok, err := r.src.Token(ctx)
	if err == nil {
		r.c.secrets.add(tok)
	}
	if err != nil {
		var te *TokenError
		if errors.As(err, &te) {
			return "", err
		}
		return "", newTokenError(r.c, err)
	}
	return tok, nil
}

// Check acquires a token once, so that a wrong secret, tenant or authority
// is reported as a configuration error before the suite starts. The error
// is a *TokenError for a refusal by the authority.
func (c *Credential) Check(ctx context.Context) error {
	if c.Kind == KindStatic {
		return nil
	}
	_, err := c.Source.Token(ctx)
	return err
}

// Scope is the Graph resource's .default scope for a target URL: its scheme
// and host (with the port, if any), then "/.default". National clouds work
// by pointing the target at them: https://graph.microsoft.us/v1.0 asks for
// https://graph.microsoft.us/.default.
func Scope(targetURL string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(targetURL))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("target %q: want an absolute https URL to derive the token scope from", targetURL)
	}
	if u.Scheme != "https" {
		// A token from Entra ID is never sent in clear text.
		return "", fmt.Errorf("target %s is not https: an Entra ID token is sent only over https", u.Redacted())
	}
	return "https://" + strings.ToLower(u.Host) + "/.default", nil
}

// knownPublicClouds are the Entra authority hosts of Microsoft's clouds, for
// which instance discovery works (it is served by login.microsoftonline.com).
var knownPublicClouds = map[string]bool{
	"login.microsoftonline.com":        true,
	"login.microsoft.com":              true,
	"login.windows.net":                true,
	"sts.windows.net":                  true,
	"login.chinacloudapi.cn":           true,
	"login.partner.microsoftonline.cn": true,
	"login.microsoftonline.us":         true,
	"login-us.microsoftonline.com":     true,
	"login.usgovcloudapi.net":          true,
	"login.microsoftonline.de":         true,
}

// KnownPublicCloud reports whether authorityHost (a URL) is one of
// Microsoft's clouds; for any other authority instance discovery is turned
// off, which MSAL would otherwise send to login.microsoftonline.com.
func KnownPublicCloud(authorityHost string) bool {
	u, err := url.Parse(authorityHost)
	if err != nil {
		return false
	}
	return u.Port() == "" && knownPublicClouds[strings.ToLower(u.Hostname())]
}

// AuthorityHost resolves the authority: flag, else AZURE_AUTHORITY_HOST,
// else the public cloud. It must be an https URL with no path beyond "/".
func AuthorityHost(flagValue string, getenv func(string) string) (string, error) {
	host := strings.TrimSpace(flagValue)
	from := "--authority-host"
	if host == "" {
		host, from = strings.TrimSpace(getenv(EnvAuthorityHost)), EnvAuthorityHost
	}
	if host == "" {
		return cloud.AzurePublic.ActiveDirectoryAuthorityHost, nil
	}
	u, err := url.Parse(host)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%s %q: want an https URL such as https://login.microsoftonline.us/", from, host)
	}
	if u.Scheme != "https" {
		return "", fmt.Errorf("%s %s: the authority must be https (TLS verification is always on)", from, u.Redacted())
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("%s %s: want only the scheme and host, such as https://login.microsoftonline.us/", from, u.Redacted())
	}
	return "https://" + u.Host + "/", nil
}

// shouldRetryAuthority retries what azcore would (408, 429, 5xx, transport
// errors) except a certificate the roots do not trust: asking again cannot
// change the answer, and it only makes a wrong --ca-file slow to report.
func shouldRetryAuthority(resp *http.Response, err error) bool {
	if err != nil {
		var uae x509.UnknownAuthorityError
		var hie x509.HostnameError
		var cie x509.CertificateInvalidError
		var tve *tls.CertificateVerificationError
		return !errors.As(err, &uae) && !errors.As(err, &hie) && !errors.As(err, &cie) && !errors.As(err, &tve)
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func newTransport(tlsConf *tls.Config) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConf.Clone(),
		TLSHandshakeTimeout:   10 * time.Second,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		// Go's default is 10 MB, which a hostile service fills to stall every check quoting a header.
		MaxResponseHeaderBytes: transport.MaxResponseHeaderBytes,
	}
}
