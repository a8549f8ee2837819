// Package mockcontainer runs graphmock, the reference Graph mock, in a container: a testcontainers-go module
// shaped like testcontainers' own (Run with module defaults first and the caller's options after, a typed
// container with domain accessors).
//
// The image is FROM scratch plus the static graphmock binary. No base image can be pulled where this project
// runs, so the binary is compiled on the host from the checkout and Docker only copies it in; the image is
// tagged by a hash of its content and reused when already present (see image.go).
//
// Ryuk, testcontainers' reaper, needs an image from a registry, so it is disabled: whoever calls Run must
// terminate the container (t.Cleanup in tests, a deferred Terminate in programs).
package graphmockcontainer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

const (
	// Port is the port graphmock listens on inside the container.
	Port = "8080/tcp"
	// DefaultVersion is the URL version segment BaseURL ends with.
	DefaultVersion = "v1.0"
	// ImageRepo is the repository part of the images this package builds (tags are content hashes) and of
	// the one `make image` builds (tag latest).
	ImageRepo = "graphconform/graphmock"

	envToken     = "GRAPHMOCK_TOKEN"
	envReadToken = "GRAPHMOCK_READ_TOKEN"
	envSeed      = "GRAPHMOCK_SEED"
	envIdleExit  = "GRAPHMOCK_EXIT_WHEN_IDLE"

	// DefaultIdleExit is how long a container may go without a request before graphmock stops and Docker
	// removes it: the safety net for an owner killed before it could terminate the container (Ryuk, which
	// would otherwise reap it, is disabled here). A suite run sends requests continuously.
	DefaultIdleExit = 10 * time.Minute

	// startupTimeout bounds the wait for GET /healthz; a static binary in a scratch image answers in well
	// under a second, so this only matters on a very loaded machine.
	startupTimeout = 60 * time.Second
	// terminateTimeout bounds Terminate when its context has no earlier deadline.
	terminateTimeout = 30 * time.Second
)

// Container is a running graphmock container.
type Container struct {
	testcontainers.Container
	token     string
	readToken string
}

// Token is the read/write bearer token the mock was started with (DeviceManagementServiceConfig.ReadWrite.All).
func (c *Container) Token() string { return c.token }

// ReadToken is the read-only bearer token the mock was started with (DeviceManagementServiceConfig.Read.All),
// or "" when it was started without one.
func (c *Container) ReadToken() string { return c.readToken }

// Terminate stops and removes the container, and returns once Docker has removed it: the container is
// auto-removed when it stops (see hostConfig), which Docker does asynchronously, and a caller that then
// lists containers must not find it. A container already gone is not an error. It cleans up even when ctx is
// already cancelled (a deferred Terminate after Ctrl-C), within terminateTimeout.
func (c *Container) Terminate(ctx context.Context, opts ...testcontainers.TerminateOption) error {
	if c == nil || c.Container == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), terminateTimeout)
	defer cancel()
	var removed client.ContainerWaitResult
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err == nil {
		defer cli.Close()
		// Registered before the stop, so the removal cannot be missed.
		removed = cli.ContainerWait(ctx, c.GetContainerID(), client.ContainerWaitOptions{Condition: container.WaitConditionRemoved})
	}
	// TerminateContainer treats "not found" and "removal already in progress" as done.
	if err := testcontainers.TerminateContainer(c.Container, append([]testcontainers.TerminateOption{testcontainers.StopContext(ctx)}, opts...)...); err != nil {
		return err
	}
	if removed.Error == nil {
		return nil // no client to wait with; the stop and remove above succeeded
	}
	select {
	case <-removed.Result:
		return nil
	case err := <-removed.Error:
		if err == nil || cerrdefs.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("wait for the graphmock container's removal: %w", err)
	case <-ctx.Done():
		return fmt.Errorf("wait for the graphmock container's removal: %w", ctx.Err())
	}
}

// BaseURL is the mock's URL up to and including the version segment, such as http://localhost:32768/v1.0.
// It fails rather than hand out a non-loopback address: on these machines testcontainers would otherwise
// resolve the host to the Docker bridge gateway, which must never be dialled.
func (c *Container) BaseURL(ctx context.Context) (string, error) {
	return c.VersionURL(ctx, DefaultVersion)
}

// VersionURL is like BaseURL with another version segment ("beta", "localtest").
func (c *Container) VersionURL(ctx context.Context, version string) (string, error) {
	host, err := c.Host(ctx)
	if err != nil {
		return "", fmt.Errorf("graphmock container host: %w", err)
	}
	if err := checkLoopback(host); err != nil {
		return "", err
	}
	port, err := c.MappedPort(ctx, Port)
	if err != nil {
		return "", fmt.Errorf("graphmock container port: %w", err)
	}
	return "http://" + net.JoinHostPort(host, port.Port()) + "/" + version, nil
}

// checkLoopback accepts "localhost" and loopback IP literals only.
func checkLoopback(host string) error {
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("graphmock container is reachable at %q, not a loopback address; "+
		"set TESTCONTAINERS_HOST_OVERRIDE=localhost (the Docker daemon must publish ports on this machine)", host)
}

// Option configures the module itself (as opposed to testcontainers' request options, which Run also takes).
type Option func(*settings)

// Customize makes an Option a testcontainers.ContainerCustomizer so both kinds mix in one Run call; the
// request is changed after every option has been seen, in Run.
func (o Option) Customize(*testcontainers.GenericContainerRequest) error { return nil }

type settings struct {
	sourceDir string    // checkout to build the binary from; "" -> discovered
	image     string    // prebuilt image to run; "" -> build from source (or reuse the content-hash tag)
	buildLog  io.Writer // docker build and go build output; nil -> discarded
	noCache   bool      // rebuild the image even when its tag exists (cold-start benchmark)
}

// WithSourceDir builds the image from the graphconform checkout at dir instead of the one found from the
// working directory (or from this package's own source location).
func WithSourceDir(dir string) Option { return func(s *settings) { s.sourceDir = dir } }

// WithImage runs a prebuilt image (such as graphconform/graphmock:latest from `make image`) instead of
// building one from the checkout. The image must exist locally: nothing is pulled.
func WithImage(ref string) Option { return func(s *settings) { s.image = ref } }

// WithBuildLog sends the output of the go build and docker build steps to w.
func WithBuildLog(w io.Writer) Option { return func(s *settings) { s.buildLog = w } }

// WithToken sets the read/write bearer token (default: a random one per container).
func WithToken(token string) testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(map[string]string{envToken: token})
}

// WithReadToken sets the read-only bearer token (default: a random one per container); "" starts the mock
// without one.
func WithReadToken(token string) testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(map[string]string{envReadToken: token})
}

// WithSeed makes the mock start with the doc page's configuration and assignment (off by default: the
// suite provisions its own fixtures through the API).
func WithSeed() testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(map[string]string{envSeed: "true"})
}

// WithIdleExit sets how long the container may go without a request before it stops and is removed
// (default DefaultIdleExit); 0 keeps it until terminated.
func WithIdleExit(d time.Duration) testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(map[string]string{envIdleExit: d.String()})
}

// Run builds (or reuses) the graphmock image, starts a container and waits until GET /healthz answers 200.
// The container is returned even with an error, so the caller can terminate it.
func Run(ctx context.Context, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	if err := configureTestcontainers(); err != nil {
		return nil, fmt.Errorf("run graphmock: %w", err)
	}
	// Before anything dials the container (the readiness probe does), not only in BaseURL.
	if err := checkDaemonHost(ctx); err != nil {
		return nil, fmt.Errorf("run graphmock: %w", err)
	}

	token, err := randomToken("graphmock-rw-")
	if err != nil {
		return nil, fmt.Errorf("run graphmock: %w", err)
	}
	readToken, err := randomToken("graphmock-ro-")
	if err != nil {
		return nil, fmt.Errorf("run graphmock: %w", err)
	}

	startID, err := randomToken("")
	if err != nil {
		return nil, fmt.Errorf("run graphmock: %w", err)
	}

	req := testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			Env: map[string]string{
				envToken:     token,
				envReadToken: readToken,
				envIdleExit:  DefaultIdleExit.String(),
			},
			// Names this start's container for sweepStart, should the start fail before testcontainers
			// learns its id.
			Labels:             map[string]string{labelStart: startID},
			ExposedPorts:       []string{Port},
			HostConfigModifier: hostConfig,
			WaitingFor: wait.ForHTTP("/healthz").
				WithPort(Port).
				WithStatusCodeMatcher(func(status int) bool { return status == 200 }).
				WithStartupTimeout(startupTimeout),
		},
		Started: true,
	}

	var s settings
	for _, opt := range opts {
		if o, ok := opt.(Option); ok {
			o(&s)
			continue
		}
		if err := opt.Customize(&req); err != nil {
			return nil, fmt.Errorf("run graphmock: customize: %w", err)
		}
	}

	if req.Image == "" && !req.ShouldBuildImage() {
		cleanup, err := resolveImage(ctx, &req, s)
		defer cleanup()
		if err != nil {
			return nil, fmt.Errorf("run graphmock: %w", err)
		}
	}

	ctr, err := testcontainers.GenericContainer(ctx, req)
	var c *Container
	if ctr != nil {
		c = &Container{Container: ctr, token: req.Env[envToken], readToken: req.Env[envReadToken]}
	}
	if err != nil {
		if c == nil {
			err = errors.Join(err, sweepStart(ctx, startID))
		}
		return c, fmt.Errorf("run graphmock: %w", err)
	}
	return c, nil
}

// labelStart marks the container of one Run call.
const labelStart = "org.graphconform.graphmockcontainer.start"

// sweepStart removes the container of a failed start that testcontainers did not return: when ctx is
// cancelled (Ctrl-C) while Docker creates the container, the daemon may finish creating it after the client
// gave up, and nobody would ever remove it (Ryuk is disabled here).
func sweepStart(ctx context.Context, startID string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), terminateTimeout)
	defer cancel()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil // no Docker, so no container either
	}
	defer cli.Close()
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: client.Filters{}.Add("label", labelStart+"="+startID)})
	if err != nil {
		return fmt.Errorf("look for the container of the failed start: %w", err)
	}
	var errs []error
	for _, item := range list.Items {
		if _, err := cli.ContainerRemove(ctx, item.ID, client.ContainerRemoveOptions{Force: true}); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove the container of the failed start: %w", err))
		}
	}
	return errors.Join(errs...)
}

// hostConfig publishes the port on the host's loopback only (nothing but this machine needs to reach the
// mock) and has Docker remove the container once it stops, also when graphmock stops itself on idle.
func hostConfig(hc *container.HostConfig) {
	hc.AutoRemove = true
	p, err := network.ParsePort(Port)
	if err != nil {
		return // Port is a constant that parses; keep Docker's default binding rather than panic
	}
	if hc.PortBindings == nil {
		hc.PortBindings = network.PortMap{}
	}
	if len(hc.PortBindings[p]) == 0 {
		hc.PortBindings[p] = []network.PortBinding{{HostIP: netip.AddrFrom4([4]byte{127, 0, 0, 1}), HostPort: "0"}}
	}
}

func randomToken(prefix string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return prefix + hex.EncodeToString(b), nil
}
