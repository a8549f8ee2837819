// Package azuretoken turns an Azure SDK credential (any azcore.TokenCredential, such as an azidentity
// ClientSecretCredential or WorkloadIdentityCredential) into a graphconformtest.TokenSource, for running the
// suite against a service that takes Microsoft Entra ID tokens.
//
// It lives in its own package so that importing graphconformtest does not bring the Azure SDK into a build.
// The suite redacts every token a TokenSource hands out from its output; the credential's own secrets (a client
// secret, say) are the caller's to pass to graphconformtest.Redact.
package azuretoken

import (
	"context"
	"errors"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/graphconform/graphconform/graphconformtest"
)

// New returns a TokenSource asking cred for a token for scopes; for Graph, the service root's
// "/.default" scope: "https://graph.microsoft.com/.default". The credential caches its token and asks the
// authority for a new one shortly before it expires, so the suite may call Token for every request.
func New(cred azcore.TokenCredential, scopes ...string) graphconformtest.TokenSource {
	return &source{cred: cred, scopes: scopes}
}

type source struct {
	cred   azcore.TokenCredential
	scopes []string
}

// Token returns a valid access token, from the credential's cache when it has one.
func (s *source) Token(ctx context.Context) (string, error) {
	if len(s.scopes) == 0 {
		return "", errors.New("azuretoken: no scope to ask for (for Graph: https://graph.microsoft.com/.default)")
	}
	tk, err := s.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: s.scopes})
	if err != nil {
		return "", err
	}
	if tk.Token == "" {
		return "", errors.New("the credential returned an empty access token")
	}
	return tk.Token, nil
}
