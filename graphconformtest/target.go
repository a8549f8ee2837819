package graphconformtest

import (
	"context"
	"net/http"
)

// TokenSource returns the bearer token for the next request. The suite calls it before every request, so a
// source that refreshes its token (see package azuretoken) keeps a long run authenticated. Every token it
// returns is kept out of every output of the run.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// StaticToken is a fixed bearer token.
type StaticToken string

// Token returns the token itself.
func (t StaticToken) Token(context.Context) (string, error) { return string(t), nil }

// Target is the service under test.
type Target struct {
	// BaseURL is the service root up to and including the version segment, such as
	// http://127.0.0.1:PORT/v1.0 or https://graph.microsoft.com/v1.0.
	BaseURL string
	// Token gives a bearer token with read and write scopes (DeviceManagementServiceConfig.ReadWrite.All).
	Token TokenSource
	// ReadToken optionally gives a token with read scopes only; without it the requirements that need one
	// (a write refused with 403) are skipped, with the reason, never passed.
	ReadToken TokenSource
	// Client sends every request; nil: a client with http.DefaultTransport's settings. The suite uses a copy of
	// it whose transport also retries 429 and 503 responses (honouring Retry-After, within bounds), whose
	// timeout is the per-request Timeout, and which never follows a redirect: a redirect is something to check,
	// and following one would send the token wherever the service points. When its Transport is an
	// *http.Transport (or nil), the copy reads at most 64 KiB of response headers (Go's default is 10 MB): a
	// clone of the transport with that limit is used, the caller's own left as it was. A RoundTripper of another
	// kind reads headers its own way; what the suite quotes from them is bounded all the same.
	Client *http.Client
}
