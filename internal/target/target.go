// Package target is what the steps talk to: a base URL up to and including
// the version segment, credentials, and an HTTP client. Its makers are
// Embedded (the in-process mock), Remote (any Graph-compatible URL) and, in
// container.go, the containerized mock.
package target

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// MaxResponseHeaderBytes bounds the header section of one response (Go's
// default is 10 MB, which a hostile target fills to stall every check that
// quotes a header). Graph's headers are well under a kilobyte.
const MaxResponseHeaderBytes = 64 << 10

// NewTransport is the transport of every target the suite builds:
// http.DefaultTransport's settings, with the response headers bounded.
// Bodies are bounded where they are read, and the whole exchange, body
// included, by the client's timeout and the request's context.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxResponseHeaderBytes = MaxResponseHeaderBytes
	return t
}

// newClient is a target's client: rt (nil: NewTransport()), the per-request
// timeout (reading the body included), and redirects returned as they are.
func newClient(timeout time.Duration, rt http.RoundTripper) *http.Client {
	if rt == nil {
		rt = NewTransport()
	}
	return &http.Client{Timeout: timeout, CheckRedirect: noRedirects, Transport: rt}
}

// TokenSource returns a bearer token for the next request.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// StaticToken is a fixed bearer token.
type StaticToken string

// Token returns the token itself.
func (t StaticToken) Token(context.Context) (string, error) { return string(t), nil }

// Kinds of target.
const (
	KindEmbedded  = "embedded"
	KindContainer = "container"
	KindRemote    = "remote"
)

// Target is a service under test.
type Target struct {
	Kind       string       // KindEmbedded, KindContainer or KindRemote
	BaseURL    string       // up to and including the version segment, no trailing slash
	Writer     TokenSource  // read/write credential
	Reader     TokenSource  // optional read-only credential (nil: the 403 scenario is skipped with the reason)
	Disposable bool         // a mock: writes need no consent
	HTTP       *http.Client // transport (timeouts, retries) without auth; auth is added per request
	Secrets    []string     // every secret or token to redact from any output
	Close      func() error
}

// Version is the URL's version segment ("v1.0", "beta", "localtest").
func (t *Target) Version() string {
	u := strings.TrimRight(t.BaseURL, "/")
	return u[strings.LastIndex(u, "/")+1:]
}

// Client is t.HTTP, or http.DefaultClient when unset.
func (t *Target) Client() *http.Client {
	if t.HTTP != nil {
		return t.HTTP
	}
	return http.DefaultClient
}

// Shutdown calls Close when set; safe on a nil target.
func (t *Target) Shutdown() error {
	if t == nil || t.Close == nil {
		return nil
	}
	return t.Close()
}
