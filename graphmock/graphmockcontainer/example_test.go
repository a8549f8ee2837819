package graphmockcontainer_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/graphconform/graphconform/graphmock/graphmockcontainer"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// Run starts the mock in a container, here seeded with the doc page's assignment; BaseURL and Token are all a
// client needs. (No Output: it needs Docker, and TESTCONTAINERS_RYUK_DISABLED=true where the reaper's image
// cannot be pulled.)
func ExampleRun() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := graphmockcontainer.Run(ctx,
		graphmockcontainer.WithSeed(),
		testcontainers.WithLogger(tclog.NewNoopLogger()), // this container's progress lines
	)
	defer func() {
		if err := testcontainers.TerminateContainer(c); err != nil { // also after a failed Run
			log.Print(err)
		}
	}()
	if err != nil {
		log.Print(err)
		return
	}
	base, err := c.BaseURL(ctx) // http://127.0.0.1:PORT/v1.0
	if err != nil {
		log.Print(err)
		return
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/deviceManagement/deviceEnrollmentConfigurations", nil)
	req.Header.Set("Authorization", "Bearer "+c.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Print(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
}

// Without a Go toolchain at hand, run a prebuilt image (`make image` in a graphconform checkout builds
// graphconform/graphmock:latest); nothing is pulled from a registry.
func ExampleWithImage() {
	ctx := context.Background()
	c, err := graphmockcontainer.Run(ctx, graphmockcontainer.WithImage("graphconform/graphmock:latest"))
	defer func() { _ = testcontainers.TerminateContainer(c) }()
	if err != nil {
		log.Print(err)
		return
	}
	base, _ := c.BaseURL(ctx)
	fmt.Println(base)
}
