package target

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock/graphmockcontainer"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// logWriter puts testcontainers' progress lines into the test's log.
type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func TestContainer(t *testing.T) {
	graphmockcontainer.SkipUnlessDocker(t)
	ctx := context.Background()
	tg, err := Container(ctx, ContainerLog(logWriter{t}), ContainerVersion("beta"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tg.Close() })

	u, err := url.Parse(tg.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Fatalf("BaseURL %s: host is not loopback", tg.BaseURL)
	}
	if tg.Kind != KindContainer || !strings.HasSuffix(tg.BaseURL, "/beta") {
		t.Errorf("target %+v; want a disposable container target on beta", tg)
	}
	if tg.ReadToken == nil {
		t.Errorf("want a read-only credential")
	}
	token, _ := tg.Token.Token(ctx)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, tg.BaseURL+"/deviceManagement/deviceEnrollmentConfigurations", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET configurations = %d; want 200", resp.StatusCode)
	}

	id := containerID(t, u.Port())
	if err := tg.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := tg.Close(); err != nil {
		t.Errorf("second Close: %v; want nil (Close is idempotent)", err)
	}
	if exists(t, id) {
		t.Errorf("container %s still exists after Close", id)
	}
}

func TestContainerWithoutReader(t *testing.T) {
	graphmockcontainer.SkipUnlessDocker(t)
	tg, err := Container(context.Background(), ContainerLog(logWriter{t}), ContainerWithoutReader())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tg.Close() })
	if tg.ReadToken != nil {
		t.Errorf("reader %v; want none", tg.ReadToken)
	}
}

// TestContainerFailureLeavesNothing: when the container starts but never gets ready, the maker removes it.
func TestContainerFailureLeavesNothing(t *testing.T) {
	graphmockcontainer.SkipUnlessDocker(t)
	const label = "org.graphconform.test"
	value := t.Name() + "-" + time.Now().Format("150405.000000000")
	tg, err := Container(context.Background(), ContainerLog(logWriter{t}), ContainerCustomize(
		testcontainers.WithLabels(map[string]string{label: value}),
		// Not wait.ForHTTP: it dials the host testcontainers resolves, the bridge gateway inside a container.
		testcontainers.WithWaitStrategy(wait.ForLog("a line graphmock never logs").WithStartupTimeout(2*time.Second)),
	))
	if err == nil {
		_ = tg.Close()
		t.Fatal("Container succeeded although the container never got ready")
	}
	if tg != nil {
		t.Errorf("a target was returned with the error")
	}
	cli := dockerClient(t)
	list, lerr := cli.ContainerList(context.Background(), client.ContainerListOptions{All: true, Filters: client.Filters{}.Add("label", label+"="+value)})
	if lerr != nil {
		t.Fatal(lerr)
	}
	if len(list.Items) != 0 {
		t.Errorf("%d container(s) left behind after a failed start (%v)", len(list.Items), err)
	}
}

func dockerClient(t *testing.T) client.APIClient {
	t.Helper()
	cli, err := testcontainers.NewDockerClientWithOpts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// containerID finds the container publishing hostPort.
func containerID(t *testing.T, hostPort string) string {
	t.Helper()
	list, err := dockerClient(t).ContainerList(context.Background(), client.ContainerListOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list.Items {
		for _, p := range c.Ports {
			if p.PublicPort != 0 && hostPort == strconv.Itoa(int(p.PublicPort)) {
				return c.ID
			}
		}
	}
	t.Fatalf("no container publishes port %s", hostPort)
	return ""
}

func exists(t *testing.T, id string) bool {
	t.Helper()
	list, err := dockerClient(t).ContainerList(context.Background(), client.ContainerListOptions{All: true, Filters: client.Filters{}.Add("id", id)})
	if err != nil {
		t.Fatal(err)
	}
	return len(list.Items) > 0
}
