package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/auth"
	"github.com/graphconform/graphconform/internal/target"
	"github.com/graphconform/graphconform/internal/transport"
)

// targetFlags are the flags of every command that reaches a target (run, sweep).
type targetFlags struct {
	authorityHost  string
	caFile         string
	containerImage string // run only
}

// addTargetFlags adds the target flags to fs; withContainer adds --container-image too.
func addTargetFlags(fs *flag.FlagSet, withContainer bool) *targetFlags {
	tf := &targetFlags{}
	fs.StringVar(&tf.authorityHost, "authority-host", "", "Entra ID authority `URL` for the AZURE_* client credentials (env "+auth.EnvAuthorityHost+"; default the public cloud); national clouds: point --target and this at them")
	fs.StringVar(&tf.caFile, "ca-file", "", "trust the CA certificates in this PEM `file` too, for the target and the authority (SSL_CERT_FILE is honoured as well); verification is never turned off")
	if withContainer {
		fs.StringVar(&tf.containerImage, "container-image", "", "with --target container: run this prebuilt graphmock `image` instead of building one from the checkout (env "+envContainerImage+")")
	}
	return tf
}

// targetRequest is what a command knows about the target it was asked for, once its flags are parsed.
type targetRequest struct {
	Kind      string // kindEmbedded, kindContainer, kindRemote
	URL       string // remote: the URL as given (the suite checks it)
	Version   string // embedded and container: the version segment (from the fixtures' metadata, default v1.0)
	Token     string // may be empty for a URL: AZURE_* client credentials may be set instead
	ReadToken string
	Env       func(string) string
	Flags     *targetFlags
}

// makeTarget makes the target a command asked for: the embedded mock, the mock in a container, or a service
// by URL with a static token or Entra ID client credentials. Every error is a configuration error (exit 2) and
// carries no secret.
func makeTarget(ctx context.Context, req targetRequest) (*target.Target, error) {
	switch req.Kind {
	case kindEmbedded:
		t, err := target.Embedded(target.WithVersion(cmp.Or(req.Version, "v1.0")))
		if err != nil {
			return nil, fmt.Errorf("start the embedded mock: %w", err)
		}
		return t, nil
	case kindContainer:
		return containerTarget(ctx, req)
	}
	return urlTarget(req)
}

// urlTarget is a service reached by URL: the static token (--token) or, when none is given and AZURE_* are
// set, an Entra ID credential through azidentity; the service verified against the system roots plus
// SSL_CERT_FILE and --ca-file. The suite acquires the first token before its first request, so a refusal by the
// authority is a configuration error carrying its error code.
func urlTarget(req targetRequest) (*target.Target, error) {
	if req.Token == "" && req.Env(auth.EnvTenantID) == "" && req.Env(auth.EnvClientID) == "" {
		return nil, fmt.Errorf("no token for %s: pass --token or set %s (or Entra ID client credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)", req.URL, envToken)
	}
	t, _, err := auth.RemoteTarget(auth.TargetOptions{
		Options:   auth.Options{Token: req.Token, Target: req.URL, AuthorityHost: req.Flags.authorityHost, CAFile: req.Flags.caFile, Getenv: req.Env},
		ReadToken: req.ReadToken,
	})
	return t, err
}

// containerTarget is graphmock in a container started through testcontainers, removed when the run ends
// (Target.Close, deferred by the command, also after an interrupt).
func containerTarget(ctx context.Context, req targetRequest) (*target.Target, error) {
	var opts []target.ContainerOption
	if req.Version != "" {
		opts = append(opts, target.ContainerVersion(req.Version))
	}
	if ref := cmp.Or(req.Flags.containerImage, strings.TrimSpace(req.Env(envContainerImage))); ref != "" {
		opts = append(opts, target.ContainerImage(ref))
	}
	t, err := target.Container(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("--target container: %w", err)
	}
	return t, nil
}

// settingFlags names the flag that sets each of graphconformtest's settings, for its configuration errors.
var settingFlags = map[string]string{
	"BaseURL":     "--target",
	"Token":       "--token",
	"ReadToken":   "--read-token",
	"Tags":        "--tags",
	"Existing":    "--config-id/--assignment-id",
	"Concurrency": "--concurrency",
	"Timeout":     "--timeout",
	"Features":    "--features",
	"Fixtures":    "--features",
	"Formats":     "--format",
}

// configLine renders a configuration error of the library for the command line: the flag first, then the
// library's words.
func configLine(ce *graphconformtest.ConfigError) string {
	line := oneLine(ce.Problem)
	if f, ok := settingFlags[ce.Setting]; ok {
		return f + ": " + line
	}
	return line
}

// sendingClient is how sweep reaches a target: its client, with bounded retries, the
// per-request timeout, response headers bounded, and no redirects followed (as the suite sends). The process
// ends soon after: the idle connections of a transport Bounded cloned are not worth closing.
func sendingClient(t *target.Target, timeout time.Duration) (*http.Client, *transport.RetryTransport) {
	var c http.Client
	if t.Client != nil {
		c = *t.Client
	}
	base, _ := transport.Bounded(c.Transport)
	rt := transport.NewRetryTransport(base, transport.RetryPolicy{})
	c.Transport, c.Timeout, c.CheckRedirect = rt, timeout, transport.NoRedirects
	return &c, rt
}

// fixturesVersion reads the API version the fixtures were generated for, from the meta.json files the doc
// generator writes beside them ("version" or "apiVersion"). "" when none says. Fixtures of several versions run
// against one URL only when they share a type model: beta differs from every other segment.
func fixturesVersion(fixtures fs.FS) (string, error) {
	seen := map[string]bool{}
	err := fs.WalkDir(fixtures, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "meta.json" {
			return err
		}
		data, err := fs.ReadFile(fixtures, p)
		if err != nil {
			return err
		}
		var meta struct {
			Version    string `json:"version"`
			APIVersion string `json:"apiVersion"`
		}
		if err := json.Unmarshal(data, &meta); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if v := strings.TrimSpace(cmp.Or(meta.Version, meta.APIVersion)); v != "" {
			seen[v] = true
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read fixture metadata: %w", err)
	}
	versions := slices.Sorted(maps.Keys(seen))
	switch {
	case len(versions) == 0:
		return "", nil
	case len(versions) == 1:
		return versions[0], nil
	case seen["beta"]:
		return "", fmt.Errorf("the fixtures are for several API versions (%s) and beta has its own type model: run them separately", strings.Join(versions, ", "))
	case seen["v1.0"]:
		return "v1.0", nil
	}
	return versions[0], nil
}

// featureDirs opens DIR/features and DIR/fixtures (nil when DIR has none: the embedded fixtures are used).
func featureDirs(dir string) (features, fixtures fs.FS) {
	features = os.DirFS(filepath.Join(dir, "features"))
	if fi, err := os.Stat(filepath.Join(dir, "fixtures")); err == nil && fi.IsDir() {
		fixtures = os.DirFS(filepath.Join(dir, "fixtures"))
	}
	return features, fixtures
}
