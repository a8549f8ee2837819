package auth

import (
	"context"
	"strings"
	"time"

	"github.com/graphconform/graphconform/internal/target"
)

// TargetOptions describe a remote target to reach with the credential the
// options select.
type TargetOptions struct {
	Options
	ReadToken string             // optional static read-only token (the 403 requirement)
	Timeout   time.Duration      // per request, retries included; 0 -> target.DefaultTimeout
	Retry     target.RetryPolicy // zero: the defaults
}

// RemoteTarget builds the target for a service reached by URL: the chosen
// credential (acquiring a first token now, so a refusal is a configuration
// error before the suite starts), the trusted roots for the service as for
// the authority, and a RetryTransport whose retries the summary reports.
// The returned target's Secrets hold the static tokens, the client secret
// and the first access token. Errors never contain a secret.
func RemoteTarget(ctx context.Context, o TargetOptions) (*target.Target, *Credential, error) {
	cred, err := New(o.Options)
	if err != nil {
		return nil, nil, err
	}
	if err := cred.Check(ctx); err != nil {
		return nil, nil, err
	}
	var reader target.TokenSource
	if rt := strings.TrimSpace(o.ReadToken); rt != "" {
		reader = target.StaticToken(rt)
		cred.secrets.add(rt)
	}
	t, err := target.RemoteWithCredential(target.CredentialOptions{
		BaseURL:   o.Target,
		Writer:    cred.Source,
		Reader:    reader,
		Transport: target.NewRetryTransport(cred.Transport(), o.Retry),
		Timeout:   o.Timeout,
		// Target.Secrets is read while scenarios run, so it is fixed here: a
		// token refreshed during a long run is still kept out of every
		// Authorization header rendering, which is where a token goes.
		Secrets: cred.Secrets(),
	})
	if err != nil {
		return nil, nil, err
	}
	return t, cred, nil
}
