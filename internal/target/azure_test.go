package target

import (
	"context"
	"errors"
	"strings"
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

func TestCredentialToken(t *testing.T) {
	f := &fakeCred{tokens: []string{"tok-a", "tok-a", "tok-b"}}
	ct := NewCredentialToken(f, "https://graph.microsoft.com/.default")
	var seen []string
	ct.OnNewToken(func(s string) { seen = append(seen, s) })
	for range 3 {
		if _, err := ct.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.scopes) != 1 || f.scopes[0] != "https://graph.microsoft.com/.default" {
		t.Errorf("scopes %v", f.scopes)
	}
	if strings.Join(seen, ",") != "tok-a,tok-b" || ct.Acquired() != 2 {
		t.Errorf("new tokens %v (acquired %d); want each distinct token reported once", seen, ct.Acquired())
	}
	f.err = errors.New("refused")
	if _, err := ct.Token(context.Background()); err == nil {
		t.Error("want the credential's error")
	}
}

func TestRemoteWithCredential(t *testing.T) {
	ts := StaticToken("x")
	if _, err := RemoteWithCredential(CredentialOptions{BaseURL: "http://graph.example/v1.0", Writer: ts}); err == nil {
		t.Error("plain http to another host: want an error")
	}
	for _, u := range []string{"http://127.0.0.1:8080/v1.0", "http://localhost/beta", "http://[::1]:9/v1.0", "https://graph.example/v1.0/"} {
		tg, err := RemoteWithCredential(CredentialOptions{BaseURL: u, Writer: ts, Secrets: []string{"", "s"}})
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		if tg.Kind != KindRemote || tg.Disposable || len(tg.Secrets) != 1 || strings.HasSuffix(tg.BaseURL, "/") {
			t.Errorf("%s: got %+v", u, tg)
		}
	}
	if _, err := RemoteWithCredential(CredentialOptions{BaseURL: "https://graph.example/v1.0"}); err == nil {
		t.Error("no writer: want an error")
	}
}
