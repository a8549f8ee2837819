package graphmockcontainer

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/graphconform/graphconform/graphmock"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	"github.com/testcontainers/testcontainers-go/wait"
)

func TestLocalDaemon(t *testing.T) {
	for host, want := range map[string]bool{
		"":                               true,
		"unix:///var/run/docker.sock":    true,
		"unix:///run/user/0/docker.sock": true,
		"npipe:////./pipe/docker_engine": true,
		"tcp://127.0.0.1:2375":           true,
		"tcp://localhost:2375":           true,
		"tcp://[::1]:2375":               true,
		"tcp://172.17.0.1:2375":          false, // a bridge gateway: another network namespace
		"tcp://docker.example.com:2376":  false,
		"ssh://user@host":                false,
		"::bad":                          false,
	} {
		if got := localDaemon(host); got != want {
			t.Errorf("localDaemon(%q) = %v; want %v", host, got, want)
		}
	}
}

func TestContentTag(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "graphmock")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(bin, []byte(s), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tag := func(dockerfile string) string {
		t.Helper()
		tag, err := contentTag([]byte(dockerfile), bin)
		if err != nil {
			t.Fatal(err)
		}
		return tag
	}
	write("binary one")
	a := tag("FROM scratch")
	if a != tag("FROM scratch") {
		t.Fatalf("same content, different tags")
	}
	if !strings.HasPrefix(a, "sha-") || len(a) != len("sha-")+16 {
		t.Errorf("tag %q: want sha- and 16 hex digits", a)
	}
	if a == tag("FROM scratch\nUSER 1") {
		t.Errorf("a Dockerfile change kept tag %s", a)
	}
	write("binary two")
	if a == tag("FROM scratch") {
		t.Errorf("a binary change kept tag %s", a)
	}
}

func TestBuildDirs(t *testing.T) {
	if got := buildDirs("/some/module"); len(got) != 1 || got[0] != "/some/module" {
		t.Errorf("buildDirs with a source dir = %v; want that dir alone", got)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dirs := buildDirs("")
	if len(dirs) != 2 || dirs[0] != wd || !isGraphconformModule(dirs[1]) {
		t.Errorf("buildDirs = %v; want the working directory, then this package's module root", dirs)
	}
	if isGraphconformModule(t.TempDir()) {
		t.Errorf("an empty directory counts as graphconform's module")
	}
	if !strings.Contains(string(dockerfile), "FROM scratch") {
		t.Errorf("embedded Dockerfile: %q", dockerfile)
	}
}

func TestGoArch(t *testing.T) {
	for in, want := range map[string]string{"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64", "amd64": "amd64"} {
		if got := goArch(in); got != want {
			t.Errorf("goArch(%q) = %q; want %q", in, got, want)
		}
	}
}

// testLogger keeps testcontainers' progress lines in the test's log instead of stderr.
func testLogger(t *testing.T) testcontainers.ContainerCustomizer {
	return testcontainers.WithLogger(tclog.TestLogger(t))
}

func start(t *testing.T, opts ...testcontainers.ContainerCustomizer) *Container {
	t.Helper()
	SkipUnlessDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := Run(ctx, append([]testcontainers.ContainerCustomizer{testLogger(t)}, opts...)...)
	testcontainers.CleanupContainer(t, c)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func get(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRun(t *testing.T) {
	c := start(t, WithSeed())
	ctx := context.Background()

	base, err := c.BaseURL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "/v1.0" {
		t.Errorf("BaseURL = %s; want http://127.0.0.1:PORT/v1.0", base)
	}
	if c.Token() == "" || c.ReadToken() == "" || c.Token() == c.ReadToken() {
		t.Errorf("tokens: read/write %q, read-only %q; want two different non-empty ones", c.Token(), c.ReadToken())
	}

	configs := base + "/deviceManagement/deviceEnrollmentConfigurations"
	for _, tc := range []struct {
		name, url, token string
		want             int
	}{
		{"read/write token", configs, c.Token(), http.StatusOK},
		{"read-only token", configs, c.ReadToken(), http.StatusOK},
		{"no token", configs, "", http.StatusUnauthorized},
		{"wrong token", configs, "not-" + c.Token(), http.StatusUnauthorized},
		{"seeded assignment", configs + "/" + graphmock.SeedConfigurationID + "/assignments/" + graphmock.SeedAssignmentID, c.Token(), http.StatusOK},
	} {
		if got := get(t, tc.url, tc.token); got != tc.want {
			t.Errorf("%s: GET %s = %d; want %d", tc.name, tc.url, got, tc.want)
		}
	}

	// The port is published on the host's loopback only.
	inspect, err := c.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for port, bindings := range inspect.NetworkSettings.Ports {
		for _, b := range bindings {
			if !b.HostIP.IsLoopback() {
				t.Errorf("port %s published on %s; want loopback only", port, b.HostIP)
			}
		}
	}
}

func TestRunReusesImage(t *testing.T) {
	first := start(t)
	second := start(t, WithToken("a-token-of-my-own"), WithReadToken(""))
	ctx := context.Background()
	a, err := first.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := second.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a.Image != b.Image {
		t.Errorf("same checkout, two images: %s and %s", a.Image, b.Image)
	}
	if !strings.HasPrefix(a.Config.Image, ImageRepo+":sha-") {
		t.Errorf("image %s; want %s:sha-<content hash>", a.Config.Image, ImageRepo)
	}
	if second.Token() != "a-token-of-my-own" || second.ReadToken() != "" {
		t.Errorf("caller's options lost: token %q, read token %q", second.Token(), second.ReadToken())
	}
	base, err := second.BaseURL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, base+"/deviceManagement/deviceEnrollmentConfigurations", "a-token-of-my-own"); got != http.StatusOK {
		t.Errorf("GET with the caller's token = %d; want 200", got)
	}
}

func TestRunReturnsContainerOnError(t *testing.T) {
	SkipUnlessDocker(t)
	ctx := context.Background()
	c, err := Run(ctx, testLogger(t),
		testcontainers.WithWaitStrategy(wait.ForLog("a line graphmock never logs").WithStartupTimeout(3*time.Second)))
	testcontainers.CleanupContainer(t, c)
	if err == nil {
		t.Fatal("Run succeeded although the wait strategy cannot")
	}
	if !strings.HasPrefix(err.Error(), "run graphmock: ") {
		t.Errorf("error %q; want it wrapped as run graphmock: ...", err)
	}
	if c == nil {
		t.Fatal("no container returned with the error: the caller cannot terminate it")
	}
	if err := testcontainers.TerminateContainer(c); err != nil {
		t.Errorf("terminate: %v", err)
	}
}

func TestRunWithMissingImage(t *testing.T) {
	SkipUnlessDocker(t)
	c, err := Run(context.Background(), testLogger(t), WithImage(ImageRepo+":no-such-tag"))
	testcontainers.CleanupContainer(t, c)
	if err == nil || !strings.Contains(err.Error(), "make image") {
		t.Fatalf("Run with a missing image: %v; want an error pointing at make image", err)
	}
	if c != nil {
		t.Errorf("a container was created for a missing image")
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		t.Errorf("a missing image should not be a network error: %v", err)
	}
}

// TestRunIdleExit: a container nobody talks to stops and is removed by itself, the safety net for an owner
// killed before it could terminate it.
func TestRunIdleExit(t *testing.T) {
	c := start(t, WithIdleExit(2*time.Second))
	cli, err := testcontainers.NewDockerClientWithOpts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := cli.ContainerInspect(context.Background(), c.GetContainerID(), client.ContainerInspectOptions{})
		if cerrdefs.IsNotFound(err) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("container %s still there 30s after a 2s idle exit (inspect: %v)", c.GetContainerID(), err)
		}
		time.Sleep(250 * time.Millisecond) // polling Docker for the removal; nothing to wait on instead
	}
}

// TestSweepStart: a container Docker created for a start that failed before testcontainers learnt its id
// (a Ctrl-C during the create) is found by its start label and removed.
func TestSweepStart(t *testing.T) {
	c := start(t)
	ctx := context.Background()
	inspect, err := c.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	startID := randomToken("")
	orphan, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{Image: inspect.Config.Image, Labels: map[string]string{labelStart: startID}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = cli.ContainerRemove(ctx, orphan.ID, client.ContainerRemoveOptions{Force: true}) })

	if err := sweepStart(ctx, startID); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.ContainerInspect(ctx, orphan.ID, client.ContainerInspectOptions{}); !cerrdefs.IsNotFound(err) {
		t.Errorf("the orphan container is still there after sweepStart (inspect: %v)", err)
	}
	if _, err := cli.ContainerInspect(ctx, c.GetContainerID(), client.ContainerInspectOptions{}); err != nil {
		t.Errorf("sweepStart touched another start's container: %v", err)
	}
}

// TestDocker states whether the container tests run on this machine, and if not why; `make test` prints its
// line, since go test shows nothing of a passing or skipped test without -v.
func TestDocker(t *testing.T) {
	SkipUnlessDocker(t)
	t.Logf("container tests run: Docker answers (%s=%s)", EnvRequireDocker, os.Getenv(EnvRequireDocker))
}

// TestTerminateWithCancelledContext: a deferred Terminate after Ctrl-C still removes the container.
func TestTerminateWithCancelledContext(t *testing.T) {
	c := start(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Terminate(ctx); err != nil {
		t.Fatalf("Terminate with a cancelled context: %v", err)
	}
	cli, err := testcontainers.NewDockerClientWithOpts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	if _, err := cli.ContainerInspect(context.Background(), c.GetContainerID(), client.ContainerInspectOptions{}); !cerrdefs.IsNotFound(err) {
		t.Errorf("container still there after Terminate (inspect: %v)", err)
	}
}

// TestRunLeavesTheProcessAlone: Run configures testcontainers per call; the environment is as it was.
func TestRunLeavesTheProcessAlone(t *testing.T) {
	before := strings.Join(os.Environ(), "\n")
	start(t)
	if after := strings.Join(os.Environ(), "\n"); after != before {
		t.Errorf("Run changed the process environment:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}
