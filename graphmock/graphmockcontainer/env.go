package graphmockcontainer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

const (
	envRyukDisabled = "TESTCONTAINERS_RYUK_DISABLED"
	envHostOverride = "TESTCONTAINERS_HOST_OVERRIDE"
)

// configureTestcontainers sets the two testcontainers settings these machines need, unless the caller set
// them already, before testcontainers reads its configuration (it reads it once per process):
//
//   - Ryuk disabled: the reaper is an image from a registry, and no registry can be reached here. Whoever
//     starts a container terminates it.
//   - Host override "localhost" when the daemon is a local unix socket: the machine itself runs in a
//     container (/.dockerenv), and testcontainers would then reach published ports through the Docker bridge
//     gateway, a private address that must never be dialled here. Ports are published on the host's
//     loopback, so localhost is both correct and safe.
//
// Environment variables are testcontainers' documented way to set both; this is the one place that
// touches them.
func configureTestcontainers() error {
	if _, set := os.LookupEnv(envRyukDisabled); !set {
		if err := os.Setenv(envRyukDisabled, "true"); err != nil {
			return fmt.Errorf("disable ryuk: %w", err)
		}
	}
	if _, set := os.LookupEnv(envHostOverride); !set && localDaemon(os.Getenv("DOCKER_HOST")) {
		if err := os.Setenv(envHostOverride, "localhost"); err != nil {
			return fmt.Errorf("set docker host override: %w", err)
		}
	}
	if !testcontainers.ReadConfig().RyukDisabled {
		return errors.New("testcontainers' reaper (ryuk) is enabled, but its image cannot be pulled here: " +
			"set " + envRyukDisabled + "=true (or ryuk.disabled=true in ~/.testcontainers.properties) " +
			"before anything in this process uses testcontainers")
	}
	return nil
}

// localDaemon reports whether DOCKER_HOST names a daemon on this machine's unix socket (unset means the
// default socket). A tcp:// daemon publishes ports on its own host, which testcontainers derives itself.
func localDaemon(dockerHost string) bool {
	return dockerHost == "" || strings.HasPrefix(dockerHost, "unix://")
}

// Available reports why Docker cannot be used, or nil when a daemon answers. It configures testcontainers
// as Run does, so it can be called first (to skip tests, or to fail a CLI run with a clear reason).
func Available(ctx context.Context) error {
	if err := configureTestcontainers(); err != nil {
		return err
	}
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err == nil {
		defer cli.Close()
		_, err = cli.Ping(ctx, client.PingOptions{})
	}
	if err == nil {
		return nil
	}
	// testcontainers reports the last alternative it tried (often "rootless Docker not found"); say instead
	// what a person would check first.
	if host := os.Getenv("DOCKER_HOST"); host != "" {
		return fmt.Errorf("no Docker daemon answers at DOCKER_HOST=%s: %w", host, err)
	}
	if _, statErr := os.Stat(defaultSocket); errors.Is(statErr, fs.ErrNotExist) {
		return fmt.Errorf("no Docker daemon: DOCKER_HOST is unset and %s does not exist", defaultSocket)
	}
	return fmt.Errorf("no Docker daemon answers at unix://%s: %w", defaultSocket, err)
}

const defaultSocket = "/var/run/docker.sock"

// checkDaemonHost refuses a Docker host whose published ports are not on this machine's loopback: the
// readiness probe and every request would dial it, and nothing but loopback may be dialled here.
func checkDaemonHost(ctx context.Context) error {
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return fmt.Errorf("docker provider: %w", err)
	}
	defer p.Close()
	host, err := p.DaemonHost(ctx)
	if err != nil {
		return fmt.Errorf("docker host: %w", err)
	}
	return checkLoopback(host)
}
