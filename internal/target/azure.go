package target

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// CredentialToken is a TokenSource backed by an azcore TokenCredential
// (an azidentity credential). The credential caches its token and asks
// the authority for a new one shortly before it expires, so Token is cheap
// to call for every request.
type CredentialToken struct {
	cred   azcore.TokenCredential
	scopes []string

	mu     sync.Mutex
	seen   map[string]bool
	onNew  func(token string)
	tokens int
}

// NewCredentialToken returns a TokenSource asking cred for a token for scope
// (for Graph: "<graph root>/.default").
func NewCredentialToken(cred azcore.TokenCredential, scope string) *CredentialToken {
	return &CredentialToken{cred: cred, scopes: []string{scope}, seen: map[string]bool{}}
}

// OnNewToken registers f to be called once with each distinct token the
// credential hands out (before Token returns it), so the caller can add it
// to the values redacted from every output. Set it before the first Token.
func (c *CredentialToken) OnNewToken(f func(token string)) { c.onNew = f }

// Token returns a valid access token, from the credential's cache when it
// has one.
func (c *CredentialToken) Token(ctx context.Context) (string, error) {
	tk, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: c.scopes})
	if err != nil {
		return "", err
	}
	if tk.Token == "" {
		return "", errors.New("the credential returned an empty access token")
	}
	c.mu.Lock()
	fresh := !c.seen[tk.Token]
	if fresh {
		c.seen[tk.Token] = true
		c.tokens++
	}
	c.mu.Unlock()
	if fresh && c.onNew != nil {
		c.onNew(tk.Token)
	}
	return tk.Token, nil
}

// Acquired reports how many distinct tokens were handed out so far (a
// token refreshed by the credential counts again).
func (c *CredentialToken) Acquired() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tokens
}

// CredentialOptions describe a remote target reached with a TokenSource of
// any kind (a static token or an Entra ID credential) over a transport the
// caller built (trusted CAs, retries).
type CredentialOptions struct {
	BaseURL   string
	Writer    TokenSource       // read/write credential (required)
	Reader    TokenSource       // optional read-only credential
	Transport http.RoundTripper // nil: NewTransport()
	Timeout   time.Duration     // per request (retries included); 0 -> DefaultTimeout
	Secrets   []string          // values to redact (tokens, client secrets)
}

// RemoteWithCredential is Remote for a credential other than a static token.
// Like Remote, the target is not disposable and redirects are not followed.
func RemoteWithCredential(opts CredentialOptions) (*Target, error) {
	base, err := ValidateBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if opts.Writer == nil {
		return nil, errors.New("no credential for the target")
	}
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("timeout %v is negative", opts.Timeout)
	}
	if strings.HasPrefix(base, "http://") && !loopbackURL(base) {
		// A bearer token in clear text to another machine is a token given away.
		return nil, fmt.Errorf("target %s is plain http: a token is sent only over https, or http to this machine", base)
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	var secrets []string
	for _, s := range opts.Secrets {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	client := newClient(timeout, opts.Transport)
	return &Target{
		Kind:    KindRemote,
		BaseURL: base,
		Writer:  opts.Writer,
		Reader:  opts.Reader,
		HTTP:    client,
		Secrets: secrets,
		Close:   func() error { client.CloseIdleConnections(); return nil },
	}, nil
}

func loopbackURL(u string) bool {
	rest := strings.TrimPrefix(u, "http://")
	host := rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		host = rest[:i]
	}
	if strings.HasPrefix(host, "[") {
		if j := strings.IndexByte(host, ']'); j > 0 {
			host = host[1:j]
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	switch strings.ToLower(host) {
	case "localhost", "::1":
		return true
	}
	return strings.HasPrefix(host, "127.")
}
