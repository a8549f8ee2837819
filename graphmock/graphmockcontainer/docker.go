package graphmockcontainer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// EnvRyukDisabled is testcontainers' setting that turns its reaper off. It is read once per process, from
// the environment or ~/.testcontainers.properties (ryuk.disabled=true), so this package cannot set it per
// call and leaves it to whoever runs the program.
const EnvRyukDisabled = "TESTCONTAINERS_RYUK_DISABLED"

// checkDocker refuses, with the reason and the fix, what Run cannot do without dialling another machine or
// pulling an image: a Docker daemon elsewhere (its published ports are not on this machine's loopback), and
// testcontainers' reaper when its image is not here.
func checkDocker(ctx context.Context) error {
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return fmt.Errorf("docker: %w", err)
	}
	defer cli.Close()
	if host := cli.DaemonHost(); !localDaemon(host) {
		return fmt.Errorf("the Docker daemon at %s is not on this machine: graphmock's port would be published "+
			"there, and only this machine's loopback is dialled; use a daemon on a local socket", host)
	}
	cfg := testcontainers.ReadConfig()
	if cfg.RyukDisabled || cfg.Config.HubImageNamePrefix != "" { // a configured registry mirror can serve the reaper
		return nil
	}
	exists, err := imageExists(ctx, cli, testcontainers.ReaperDefaultImage)
	if err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("testcontainers' reaper (Ryuk) is enabled, and its image %s is not on this machine "+
			"(nothing is pulled here): set %s=true in the environment (or ryuk.disabled=true in "+
			"~/.testcontainers.properties) before the program starts; graphmock containers are removed by "+
			"whoever starts them, and stop by themselves when idle", testcontainers.ReaperDefaultImage, EnvRyukDisabled)
	}
	return nil
}

// localDaemon reports whether the Docker API endpoint host (as the client uses it: unix:///var/run/docker.sock,
// tcp://127.0.0.1:2375, ...) is a daemon on this machine, which publishes ports on this machine's loopback.
func localDaemon(host string) bool {
	if host == "" {
		return true
	}
	u, err := url.Parse(host)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "unix", "npipe":
		return true
	case "tcp", "http", "https":
		h := u.Hostname()
		if strings.EqualFold(h, "localhost") {
			return true
		}
		ip := net.ParseIP(h)
		return ip != nil && ip.IsLoopback()
	}
	return false // ssh:// and the like: another machine
}

// Available reports why Run cannot be used here, or nil: no Docker daemon answers, the daemon is on another
// machine, or testcontainers' reaper is on without its image. Call it first to skip tests, or to fail a
// program with a clear reason.
func Available(ctx context.Context) error {
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err == nil {
		defer cli.Close()
		_, err = cli.Ping(ctx, client.PingOptions{})
	}
	if err == nil {
		return checkDocker(ctx)
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
