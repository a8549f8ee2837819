package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock/graphmockcontainer"
	"github.com/graphconform/graphconform/internal/auth"
	"github.com/graphconform/graphconform/internal/target"
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
		return nil, containerError(err)
	}
	return t, nil
}

// containerError says why the container target could not start, in the command line's words.
func containerError(err error) error {
	var exit *exec.ExitError
	switch {
	case errors.Is(err, graphmockcontainer.ErrNoGoToolchain), errors.As(err, &exit):
		// Compiling graphmock for the image needs the go tool and a module providing it: a binary used away from
		// its checkout has neither, and the way out is a flag of this command, not an option of the Go package.
		why := "no Go toolchain here to compile graphmock for the container image"
		if exit != nil {
			why = "graphmock cannot be compiled for the container image here (go build failed: away from a graphconform checkout?)"
		}
		return fmt.Errorf("--target container: %s: run a prebuilt image with --container-image IMAGE (env %s); `make image` in a graphconform checkout builds %s:latest",
			why, envContainerImage, graphmockcontainer.ImageRepo)
	}
	return fmt.Errorf("--target container: %w", err)
}

// settingFlags names the flag that sets each of graphconformtest's settings, for its configuration errors.
var settingFlags = map[string]string{
	"BaseURL":           "--target",
	"Token":             "--token",
	"ReadToken":         "--read-token",
	"Tags":              "--tags",
	"Existing":          "--config-id/--assignment-id",
	"Concurrency":       "--concurrency",
	"Timeout":           "--timeout",
	"Features":          "--features",
	"Fixtures":          "--features",
	"Formats":           "--format",
	"GeneratedCases":    "--generated-cases",
	"ConvergenceWindow": "--convergence-window",
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

// preflightLine renders what the preflight found in one line, with the fix in the command line's words.
func preflightLine(pe *graphconformtest.PreflightError) string {
	fix := pe.Fix
	switch pe.Problem {
	case graphconformtest.PreflightTokenRejected:
		fix = "give a valid, unexpired token for this service with DeviceManagementServiceConfig.ReadWrite.All (--token or " + envToken + ", or the AZURE_* client credentials); a service that answers 401 to a valid token: --skip-preflight"
		if pe.Setting == "ReadToken" {
			fix = "give a valid read-only token (--read-token or " + envReadToken + "), or none to skip the 403 requirement"
		}
	case graphconformtest.PreflightMissingScope:
		fix = "give a token granting DeviceManagementServiceConfig.ReadWrite.All (--token or " + envToken + "); a service that answers 403 to such a token: --skip-preflight"
		if pe.Setting == "ReadToken" {
			fix = "give --read-token a token granting DeviceManagementServiceConfig.Read.All"
		}
	case graphconformtest.PreflightTLS:
		if strings.Contains(pe.Fix, "CA") {
			fix = "trust the service's CA with --ca-file FILE (or SSL_CERT_FILE), or fix its certificate"
		}
	case graphconformtest.PreflightNotGraph:
		fix = "--target wants the service root up to and including the version segment, such as https://graph.microsoft.com/v1.0"
	}
	line := oneLine(pe.What) + "; " + fix
	if pe.Setting == "BaseURL" {
		line = "--target: " + line
	}
	return line
}

// featureDirs opens DIR/features and DIR/fixtures (nil when DIR has none: the embedded fixtures are used).
func featureDirs(dir string) (features, fixtures fs.FS) {
	features = os.DirFS(filepath.Join(dir, "features"))
	if fi, err := os.Stat(filepath.Join(dir, "fixtures")); err == nil && fi.IsDir() {
		fixtures = os.DirFS(filepath.Join(dir, "fixtures"))
	}
	return features, fixtures
}
