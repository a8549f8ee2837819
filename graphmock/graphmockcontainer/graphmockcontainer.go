// Package graphmockcontainer runs graphmock, graphconform's reference Graph mock, in a container: a
// testcontainers-go module shaped like testcontainers' own (Run with the module's defaults first and the
// caller's options after, a typed container with domain accessors).
//
//	c, err := graphmockcontainer.Run(ctx)
//	defer testcontainers.TerminateContainer(c) // also when err != nil
//	base, err := c.BaseURL(ctx)                 // http://127.0.0.1:PORT/v1.0
//	// send "Authorization: Bearer "+c.Token()
//
// The image is FROM scratch plus the static graphmock binary, and nothing is pulled from a registry. Unless
// WithImage names a prebuilt image or WithBinary a prebuilt binary, the binary is compiled with the go tool
// from the graphconform module the caller's module requires (a checkout works the same way: it is that
// module), and Docker only copies it in; the image is tagged by a hash of its content and reused when
// Docker has it already.
//
// Nothing process-wide is changed. The port is published on 127.0.0.1 only and BaseURL is built from it, so
// TESTCONTAINERS_HOST_OVERRIDE is not needed; a Docker daemon on another machine is refused. Ryuk,
// testcontainers' reaper, is an image this package does not pull: when testcontainers is configured to use
// it (the default) and its image is missing, Run refuses and says how to disable it
// (TESTCONTAINERS_RYUK_DISABLED=true in the environment, or ryuk.disabled=true in
// ~/.testcontainers.properties). Whoever calls Run terminates the container: t.Cleanup in tests, a deferred
// Terminate in programs; graphmock also stops by itself after DefaultIdleExit without a request.
//
// testcontainers.WithLogger(l) sends testcontainers' progress lines for one container to l. (testcontainers
// itself prints a banner about the Docker daemon once per process on its default logger; a program that
// wants it elsewhere sets testcontainers/log.SetDefault in its main.)
package graphmockcontainer

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/graphconform/graphconform/graphmock"
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
	DefaultVersion = graphmock.DefaultVersion
	// ImageRepo is the repository part of the images this package builds (tags are content hashes) and of
	// the one `make image` builds (tag latest).
	ImageRepo = "graphconform/graphmock"

	envToken     = "GRAPHMOCK_TOKEN"
	envReadToken = "GRAPHMOCK_READ_TOKEN"
	envSeed      = "GRAPHMOCK_SEED"
	envIdleExit  = "GRAPHMOCK_EXIT_WHEN_IDLE"

	// DefaultIdleExit is how long a container may go without a request before graphmock stops and Docker
	// removes it: the safety net for an owner killed before it could terminate the container (Ryuk, which
	// would otherwise reap it, is usually disabled where this runs). A suite run sends requests continuously.
	DefaultIdleExit = 10 * time.Minute

	// startupTimeout bounds the wait for GET /healthz; a static binary in a scratch image answers in well
	// under a second, so this only matters on a very loaded machine.
	startupTimeout = 60 * time.Second
	// terminateTimeout bounds Terminate when its context has no earlier deadline.
	terminateTimeout = 30 * time.Second
)

// loopback is where the container's port is published, and so the host of BaseURL.
var loopback = netip.AddrFrom4([4]byte{127, 0, 0, 1})

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

// BaseURL is the mock's URL up to and including the version segment, such as http://127.0.0.1:32768/v1.0.
// The host is always 127.0.0.1, where the port is published (testcontainers' Host would name the Docker
// bridge gateway when this process itself runs in a container, an address not to be dialled).
func (c *Container) BaseURL(ctx context.Context) (string, error) {
	return c.VersionURL(ctx, DefaultVersion)
}

// VersionURL is like BaseURL with another version segment ("beta", "localtest").
func (c *Container) VersionURL(ctx context.Context, version string) (string, error) {
	addr, err := publishedAddr(ctx, c)
	if err != nil {
		return "", err
	}
	return "http://" + addr + "/" + version, nil
}

// portMapper is what publishedAddr needs of a container (and of a wait.StrategyTarget).
type portMapper interface {
	MappedPort(context.Context, string) (network.Port, error)
}

// publishedAddr is 127.0.0.1:PORT, PORT the host port Docker published Port on.
func publishedAddr(ctx context.Context, t portMapper) (string, error) {
	port, err := t.MappedPort(ctx, Port)
	if err != nil {
		return "", fmt.Errorf("graphmock container port: %w", err)
	}
	return net.JoinHostPort(loopback.String(), port.Port()), nil
}

// Option configures the module itself (as opposed to testcontainers' request options, which Run also takes).
type Option func(*settings)

// Customize makes an Option a testcontainers.ContainerCustomizer so both kinds mix in one Run call; the
// request is changed after every option has been seen, in Run.
func (o Option) Customize(*testcontainers.GenericContainerRequest) error { return nil }

type settings struct {
	sourceDir string    // directory to run the go tool in; "" -> the working directory, then this package's module
	image     string    // prebuilt image to run; "" -> build one (or reuse the content-hash tag)
	binary    string    // prebuilt static linux graphmock binary to put in the image; "" -> go build
	buildLog  io.Writer // go build and docker build output; nil -> discarded
	noCache   bool      // rebuild the image even when its tag exists (cold-start benchmark)
}

// WithSourceDir runs the go tool in dir to compile graphmock: a graphconform checkout, or any directory of a
// module that requires github.com/graphconform/graphconform. Default: the working directory, then the module
// this package was compiled from when its source is still on disk.
func WithSourceDir(dir string) Option { return func(s *settings) { s.sourceDir = dir } }

// WithImage runs a prebuilt image (such as graphconform/graphmock:latest from `make image`) instead of
// building one; no Go toolchain is needed. The image must exist locally: nothing is pulled.
func WithImage(ref string) Option { return func(s *settings) { s.image = ref } }

// WithBinary puts a prebuilt graphmock binary (static, for the Docker daemon's Linux platform:
// CGO_ENABLED=0 GOOS=linux go build github.com/graphconform/graphconform/cmd/graphmock) in the image
// instead of compiling one; no Go toolchain is needed.
func WithBinary(path string) Option { return func(s *settings) { s.binary = path } }

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

// Run builds (or reuses) the graphmock image, starts a container and waits until GET /healthz answers 200
// on its published port. The module's defaults come first, then opts: testcontainers' request options
// (testcontainers.WithLogger, WithEnv, WithWaitStrategy, ...) and this package's. Errors read
// "run graphmock: ...". The container is returned even with an error, so the caller can terminate it.
func Run(ctx context.Context, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	c, err := run(ctx, opts)
	if err != nil {
		return c, fmt.Errorf("run graphmock: %w", err)
	}
	return c, nil
}

func run(ctx context.Context, opts []testcontainers.ContainerCustomizer) (*Container, error) {
	// Before anything dials the container (the readiness probe does) or starts one.
	if err := checkDocker(ctx); err != nil {
		return nil, err
	}
	token, readToken, startID := randomToken("graphmock-rw-"), randomToken("graphmock-ro-"), randomToken("")

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
			WaitingFor:         healthz{timeout: startupTimeout},
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
			return nil, fmt.Errorf("customize: %w", err)
		}
	}

	if req.Image == "" && !req.ShouldBuildImage() {
		cleanup, err := resolveImage(ctx, &req, s)
		defer cleanup()
		if err != nil {
			return nil, err
		}
	}

	ctr, err := testcontainers.GenericContainer(ctx, req)
	var c *Container
	if ctr != nil {
		c = &Container{Container: ctr, token: req.Env[envToken], readToken: req.Env[envReadToken]}
	}
	if err != nil && c == nil {
		err = errors.Join(err, sweepStart(ctx, startID))
	}
	return c, err
}

// healthz waits until GET /healthz answers 200 on 127.0.0.1 and the published port. (testcontainers'
// wait.ForHTTP dials the host it resolves for the daemon, which inside a container is the Docker bridge
// gateway.) It polls, as every readiness wait must: the port may be published before graphmock listens.
type healthz struct{ timeout time.Duration }

// Timeout lets testcontainers' wait.ForAll bound this strategy too.
func (h healthz) Timeout() *time.Duration { return &h.timeout }

func (h healthz) WaitUntilReady(ctx context.Context, target wait.StrategyTarget) error {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	hc := &http.Client{Timeout: 5 * time.Second}
	defer hc.CloseIdleConnections()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		err := probe(ctx, hc, target)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("graphmock not ready within %v: %w", h.timeout, err)
		case <-tick.C:
		}
	}
}

func probe(ctx context.Context, hc *http.Client, target portMapper) error {
	addr, err := publishedAddr(ctx, target)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /healthz: %s", resp.Status)
	}
	return nil
}

// labelStart marks the container of one Run call.
const labelStart = "org.graphconform.graphmockcontainer.start"

// sweepStart removes the container of a failed start that testcontainers did not return: when ctx is
// cancelled (Ctrl-C) while Docker creates the container, the daemon may finish creating it after the client
// gave up, and nobody would ever remove it (Ryuk is usually disabled where this runs).
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
		hc.PortBindings[p] = []network.PortBinding{{HostIP: loopback, HostPort: "0"}}
	}
}

// randomToken is prefix plus 128 random bits, as graphmock's own server tokens are: crypto/rand.Text does
// not fail (it crashes the program if the system's generator does).
func randomToken(prefix string) string { return prefix + rand.Text() }
