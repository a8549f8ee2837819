package azuretoken

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// fakeCred hands out tokens from a list, recording the scopes asked for.
type fakeCred struct {
	tokens []string
	scopes []string
	err    error
}

func (f *fakeCred) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.scopes = o.Scopes
	if f.err != nil {
		return azcore.AccessToken{}, f.err
	}
	t := f.tokens[0]
	if len(f.tokens) > 1 {
		f.tokens = f.tokens[1:]
	}
	return azcore.AccessToken{Token: t, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestToken(t *testing.T) {
	f := &fakeCred{tokens: []string{"tok-a", "tok-b"}}
	src := New(f, "https://graph.microsoft.com/.default")
	for _, want := range []string{"tok-a", "tok-b"} {
		got, err := src.Token(context.Background())
		if err != nil || got != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
	if len(f.scopes) != 1 || f.scopes[0] != "https://graph.microsoft.com/.default" {
		t.Errorf("scopes %v", f.scopes)
	}
	f.err = errors.New("refused")
	if _, err := src.Token(context.Background()); err == nil {
		t.Error("want the credential's error")
	}
	f.err, f.tokens = nil, []string{""}
	if _, err := src.Token(context.Background()); err == nil {
		t.Error("an empty token: want an error")
	}
	if _, err := New(f).Token(context.Background()); err == nil {
		t.Error("no scope: want an error")
	}
}
