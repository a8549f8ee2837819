package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/graphconform/graphconform/internal/target"
)

// targetRequest is what a command knows about the target it was asked for, once its flags are parsed.
type targetRequest struct {
	Kind      string // kindEmbedded, kindContainer, kindRemote
	BaseURL   string // remote: checked, up to and including the version segment
	Version   string // the version segment (embedded: from the fixtures' metadata, default v1.0)
	Token     string // may be empty: a remoteMaker may bring its own credential
	ReadToken string
	Timeout   time.Duration
	Env       func(string) string
}

// A remoteMaker makes the target when it has what it takes: the container for --target container, a URL
// target with Entra ID client credentials or a private CA... It returns ok=false to leave the job to the next
// maker, and finally to the defaults (embedded mock, target.Remote with the static token). Its error is a
// configuration error (exit 2) and must not contain a secret.
type remoteMaker func(ctx context.Context, req targetRequest) (t *target.Target, ok bool, err error)

// A targetHook adds flags to every command that connects to a target (run; sweep through addTargetFlags) and
// returns the remoteMaker that reads them. Other files of package main register theirs from init().
type targetHook func(fs *flag.FlagSet) remoteMaker

var (
	targetHooksMu sync.Mutex
	targetHooks   []targetHook
)

func registerTargetHook(h targetHook) {
	targetHooksMu.Lock()
	defer targetHooksMu.Unlock()
	targetHooks = append(targetHooks, h)
}

// addTargetHooks adds every registered hook's flags to fs and returns the makers to try, in registration order.
func addTargetHooks(fs *flag.FlagSet) []remoteMaker {
	targetHooksMu.Lock()
	hooks := slices.Clone(targetHooks)
	targetHooksMu.Unlock()
	var makers []remoteMaker
	for _, h := range hooks {
		if m := h(fs); m != nil {
			makers = append(makers, m)
		}
	}
	return makers
}

// makeTarget makes the target a command asked for: the first registered maker that takes the request
// (container support, Entra ID credentials...), else the embedded mock, else target.Remote with the static
// token. Every error is a configuration error.
func makeTarget(ctx context.Context, req targetRequest, makers []remoteMaker) (*target.Target, error) {
	for _, m := range makers {
		t, ok, err := m(ctx, req)
		if err != nil {
			if t != nil {
				t.Shutdown()
			}
			return nil, err
		}
		if ok {
			return t, nil
		}
	}
	switch req.Kind {
	case kindEmbedded:
		version := req.Version
		if version == "" {
			version = "v1.0"
		}
		t, err := target.Embedded(target.WithVersion(version), target.WithTimeout(req.Timeout))
		if err != nil {
			return nil, fmt.Errorf("start the embedded mock: %w", err)
		}
		return t, nil
	case kindContainer:
		return nil, errors.New("--target container is not available in this build (no container support compiled in); use --target embedded or a URL")
	}
	if req.Token == "" {
		return nil, fmt.Errorf("no token for %s: pass --token or set %s (or Entra ID client credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)", req.BaseURL, envToken)
	}
	return target.Remote(target.RemoteOptions{BaseURL: req.BaseURL, Token: req.Token, ReadToken: req.ReadToken, Timeout: req.Timeout})
}

// retries reads how many requests the target's transport retried, when it says.
func retries(t *target.Target) int {
	if t == nil || t.HTTP == nil {
		return 0
	}
	if r, ok := t.HTTP.Transport.(interface{ Retries() int }); ok {
		return r.Retries()
	}
	return 0
}

// featureDirs opens DIR/features and DIR/fixtures (nil when DIR has none: the embedded fixtures are used).
func featureDirs(dir string) (features, fixtures fs.FS) {
	features = os.DirFS(filepath.Join(dir, "features"))
	if fi, err := os.Stat(filepath.Join(dir, "fixtures")); err == nil && fi.IsDir() {
		fixtures = os.DirFS(filepath.Join(dir, "fixtures"))
	}
	return features, fixtures
}
