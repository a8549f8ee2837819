package main

import (
	"flag"
	"net/http"
	"os"
	"syscall"
	"time"
)

// --exit-when-idle is the container's safety net. Ryuk, testcontainers' reaper, cannot run where no registry
// is reachable, so a container whose owner was killed before removing it would serve forever; with this flag
// (GRAPHMOCK_EXIT_WHEN_IDLE, set by graphmock/graphmockcontainer) and Docker's auto-remove it goes away by itself.
func idleExtension() extension {
	var idle *time.Duration
	return extension{
		flags: func(fs *flag.FlagSet) {
			idle = fs.Duration("exit-when-idle", 0, "shut down cleanly after this long without a request (0: never)")
		},
		wrap: func(h http.Handler) (http.Handler, error) {
			if *idle <= 0 {
				return h, nil
			}
			// SIGTERM to ourselves: the same clean shutdown as `docker stop`. (os.Process.Signal rather than
			// syscall.Kill, which Windows builds lack; there the flag does nothing.)
			return exitWhenIdle(h, *idle, func() {
				if p, err := os.FindProcess(os.Getpid()); err == nil {
					_ = p.Signal(syscall.SIGTERM)
				}
			}), nil
		},
	}
}

// exitWhenIdle calls stop once no request has started for d; every request restarts the clock.
func exitWhenIdle(h http.Handler, d time.Duration, stop func()) http.Handler {
	timer := time.AfterFunc(d, stop)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		timer.Reset(d)
		h.ServeHTTP(w, r)
	})
}
