package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/target"
	"github.com/graphconform/graphconform/internal/transport"
)

// TargetOptions describe a service reached by URL, with the credential the options select.
type TargetOptions struct {
	Options
	ReadToken string // optional static read-only token (the 403 requirement)
}

// RemoteTarget builds the target for a service reached by URL: the chosen credential, and a client that trusts
// the same roots for the service as for the authority. It sends nothing: the suite acquires the first token
// before its first request, and reports a refusal as a configuration problem. A token never goes in clear text
// to another machine: plain http is refused unless the service is on this one. The target's Secrets hold the
// static tokens and the client secret. Errors never contain a secret.
func RemoteTarget(o TargetOptions) (*target.Target, *Credential, error) {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(o.Target)), "http://") && !transport.Loopback(o.Target) {
		return nil, nil, errors.New("the target is plain http to another machine: a token is sent only over https, or http to this machine")
	}
	cred, err := New(o.Options)
	if err != nil {
		return nil, nil, err
	}
	t := &target.Target{
		Target: graphconformtest.Target{
			BaseURL: o.Target,
			Token:   cred.Source,
			Client:  &http.Client{Transport: cred.Transport()},
		},
		Kind: target.KindRemote,
	}
	if rt := strings.TrimSpace(o.ReadToken); rt != "" {
		t.ReadToken = graphconformtest.StaticToken(rt)
		cred.secrets.add(rt)
	}
	t.Secrets = cred.Secrets()
	return t, cred, nil
}
