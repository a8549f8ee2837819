// Command graphconform runs the conformance suite for "Update enrollmentConfigurationAssignment" against the
// embedded mock, a container, or any Graph-compatible service, and reports requirement by requirement.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/graphconform/graphconform/cmd/graphconform/internal/startup"
)

// PATH was hidden while the packages this one imports were initialised, so that none could run a program
// (see internal/startup); it is back before main runs.
func init() { startup.Restore() }

func main() {
	// A program's own choice, made once at its start: testcontainers prints a banner about the Docker daemon
	// on its process-wide default logger, and the CLI prints only its report. (Each container's progress
	// lines go to the logger passed with that container: target.ContainerLog.)
	tclog.SetDefault(tclog.NewNoopLogger())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		// The first signal cancels the run so the suite still deletes what it created; restoring the default
		// handlers lets a second one end the process at once.
		stop()
		if cause := context.Cause(ctx); cause != context.Canceled { // a signal sets its own cause; stop() leaves this one
			fmt.Fprintf(os.Stderr, "graphconform: %v: cleaning up (signal again to quit now)\n", cause)
		}
	}()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
