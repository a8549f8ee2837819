package graphconform_test

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock/graphmockcontainer"
	"github.com/graphconform/graphconform/internal/target"
)

// TestContainerConformance runs the whole feature set against graphmock in a container: the image built from
// this checkout (or reused), started through testcontainers, reached on a loopback port. Without Docker it
// skips with the reason, unless GRAPHCONFORM_REQUIRE_DOCKER=1 (CI), where it fails.
func TestContainerConformance(t *testing.T) {
	graphmockcontainer.SkipUnlessDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	started := time.Now()
	tg, err := target.Container(ctx, target.ContainerLog(testLog{t}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := tg.Close(); err != nil {
			t.Errorf("remove the graphmock container: %v", err)
		}
	})
	u, err := url.Parse(tg.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Fatalf("container target %s is not on a loopback address; the suite must dial only this machine", tg.BaseURL)
	}
	t.Logf("graphmock container ready at %s in %v", tg.BaseURL, time.Since(started).Round(time.Millisecond))

	// One subtest per requirement, as a vendor's test runs the suite.
	graphconformtest.Run(t, tg.Target)
}

// testLog puts testcontainers' progress lines into the test's log (shown with -v or on failure).
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
