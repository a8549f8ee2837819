// Package sdkclient shows a Graph client author's code, written with
// Microsoft's Go SDK (github.com/microsoftgraph/msgraph-sdk-go), tested
// against graphconform's reference mock instead of a tenant: see
// sdkclient_test.go.
package sdkclient

import (
	"context"
	"fmt"
	"net/url"

	"github.com/microsoft/kiota-abstractions-go/authentication"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
)

// NewClient returns a Graph client that sends requests to baseURL (up to and
// including the version segment, e.g. http://127.0.0.1:PORT/v1.0) with a
// fixed bearer token. The SDK's default middleware (retry, redirect, gzip
// request bodies, ...) stays in place: the client under test is the one
// people ship.
func NewClient(baseURL, token string) (*msgraphsdk.GraphServiceClient, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("base URL %q: want an absolute URL", baseURL)
	}
	// The token goes only to the base URL's host, as the SDK's Azure
	// provider sends it only to Graph's hosts.
	hosts, err := authentication.NewAllowedHostsValidatorErrorCheck([]string{u.Hostname()})
	if err != nil {
		return nil, err
	}
	auth := authentication.NewBaseBearerTokenAuthenticationProvider(&staticToken{token: token, hosts: hosts})
	adapter, err := msgraphsdk.NewGraphRequestAdapter(auth)
	if err != nil {
		return nil, err
	}
	adapter.SetBaseUrl(baseURL)
	return msgraphsdk.NewGraphServiceClient(adapter), nil
}

// staticToken is an authentication.AccessTokenProvider with one token.
type staticToken struct {
	token string
	hosts *authentication.AllowedHostsValidator
}

func (s *staticToken) GetAuthorizationToken(_ context.Context, u *url.URL, _ map[string]any) (string, error) {
	if !s.hosts.IsUrlHostValid(u) {
		return "", nil // no token for any other host
	}
	return s.token, nil
}

func (s *staticToken) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	return s.hosts
}
