package graphmockcontainer

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// The start benchmarks time what a user waits for: Run until the first authenticated 200 from the API.
// They report s/start (the same as ns/op, in seconds). Go's build cache is warm in all of them: a cold one
// (a fresh machine) adds a one-time compile of graphmock and the standard library, tens of seconds on 2 cores.

// BenchmarkContainerColdStart: no image yet. go build, docker build, container start, first 200.
func BenchmarkContainerColdStart(b *testing.B) {
	ref := imageRef(b)
	for b.Loop() {
		b.StopTimer()
		removeImage(b, ref)
		b.StartTimer()
		startAndQuery(b)
	}
	reportStart(b)
}

// BenchmarkContainerWarmStart: the image for this checkout exists. go build (cached) and hash to find it,
// container start, first 200.
func BenchmarkContainerWarmStart(b *testing.B) {
	imageRef(b)
	for b.Loop() {
		startAndQuery(b)
	}
	reportStart(b)
}

// BenchmarkContainerStartPrebuiltImage: WithImage, as a graphconform binary away from its checkout would run
// it; no go build at all. Container start, first 200.
func BenchmarkContainerStartPrebuiltImage(b *testing.B) {
	ref := imageRef(b)
	for b.Loop() {
		startAndQuery(b, WithImage(ref))
	}
	reportStart(b)
}

// imageRef makes sure the image for this checkout exists (one untimed start) and returns its reference.
func imageRef(b *testing.B) string {
	b.Helper()
	SkipUnlessDocker(b)
	ctx := context.Background()
	c, err := Run(ctx, testcontainers.WithLogger(tclog.NewNoopLogger()))
	if c != nil {
		defer func() { _ = testcontainers.TerminateContainer(c) }()
	}
	if err != nil {
		b.Fatal(err)
	}
	inspect, err := c.Inspect(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return inspect.Config.Image
}

func removeImage(b *testing.B, ref string) {
	b.Helper()
	cli, err := testcontainers.NewDockerClientWithOpts(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	if _, err := cli.ImageRemove(context.Background(), ref, client.ImageRemoveOptions{PruneChildren: true}); err != nil {
		b.Fatalf("remove %s for a cold start: %v", ref, err)
	}
}

// startAndQuery is timed up to the first 200; the container is removed with the timer stopped.
func startAndQuery(b *testing.B, opts ...testcontainers.ContainerCustomizer) {
	b.Helper()
	ctx := context.Background()
	c, err := Run(ctx, append([]testcontainers.ContainerCustomizer{testcontainers.WithLogger(tclog.NewNoopLogger())}, opts...)...)
	defer func() {
		b.StopTimer()
		if c != nil {
			if err := testcontainers.TerminateContainer(c); err != nil {
				b.Errorf("terminate: %v", err)
			}
		}
		b.StartTimer()
	}()
	if err != nil {
		b.Fatal(err)
	}
	base, err := c.BaseURL(ctx)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/deviceManagement/deviceEnrollmentConfigurations", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.Token())
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("first request: %d; want 200", resp.StatusCode)
	}
}

func reportStart(b *testing.B) {
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/start")
}
