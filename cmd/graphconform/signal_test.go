package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/syncio"
)

const helperEnv = "GRAPHCONFORM_TEST_MAIN_ARGS"

// TestMainHelper is main() itself, in a child process started by TestSignals.
func TestMainHelper(t *testing.T) {
	args, ok := os.LookupEnv(helperEnv)
	if !ok {
		t.Skip("helper process for TestSignals")
	}
	os.Args = append([]string{"graphconform"}, strings.Fields(args)...)
	main()
}

// signalRun is the real main in a child process, running against a mock that holds every request from the first
// write on until the child has acknowledged the first signal (so the run is still going when it arrives), and whose
// DELETEs can then be made to hang.
type signalRun struct {
	cmd      *exec.Cmd
	stderr   watchedBuffer
	gate     chan struct{} // closed by interrupt: requests held until then go on
	deleting chan struct{}
}

func startSignalRun(t *testing.T, hangDeletes bool) *signalRun {
	t.Helper()
	m := graphmock.New(graphmock.Config{Tokens: map[string][]string{writeToken: {graphmock.ScopeServiceConfigReadWrite}}})
	r := &signalRun{gate: make(chan struct{}), deleting: make(chan struct{}, 256)}
	r.stderr.want, r.stderr.seen = "signal again to quit", make(chan struct{})
	var once sync.Once
	var holding atomic.Bool
	firstWrite := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost {
			once.Do(func() { holding.Store(true); close(firstWrite) })
		}
		if holding.Load() {
			select {
			case <-r.gate:
			case <-req.Context().Done():
				return
			}
		}
		if req.Method == http.MethodDelete && hangDeletes {
			r.deleting <- struct{}{}
			<-release
		}
		m.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })

	r.cmd = exec.Command(os.Args[0], "-test.run=^TestMainHelper$")
	r.cmd.Env = append(os.Environ(), helperEnv+"=run --target "+srv.URL+"/v1.0 --allow-writes --concurrency 2",
		envToken+"="+writeToken)
	r.cmd.Stderr = &r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.cmd.Process.Kill() })
	select {
	case <-firstWrite:
	case <-time.After(30 * time.Second):
		t.Fatal("the child sent no request within 30s")
	}
	return r
}

// interrupt sends the first SIGINT, waits until the child says it took it (only then has it restored the default
// handler: a second signal sent earlier would be swallowed), and lets the held requests go on.
func (r *signalRun) interrupt(t *testing.T) {
	t.Helper()
	r.cmd.Process.Signal(os.Interrupt)
	select {
	case <-r.stderr.seen:
	case <-time.After(30 * time.Second):
		t.Fatalf("the child did not acknowledge the first SIGINT within 30s\nstderr: %s", r.stderr.String())
	}
	close(r.gate)
}

// watchedBuffer is the child's stderr, read by the test while the child writes it; seen is closed once it holds want.
type watchedBuffer struct {
	syncio.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (b *watchedBuffer) Write(p []byte) (int, error) {
	n, err := b.Buffer.Write(p)
	if strings.Contains(b.Buffer.String(), b.want) {
		b.once.Do(func() { close(b.seen) })
	}
	return n, err
}

// wait waits for the child, at most d.
func (r *signalRun) wait(t *testing.T, d time.Duration) *exec.ExitError {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("child: %v; want it to exit with a failure\nstderr: %s", err, r.stderr.String())
		}
		return exit
	case <-time.After(d):
		t.Fatalf("the child did not end within %s\nstderr: %s", d, r.stderr.String())
		return nil
	}
}

// The first SIGINT cancels the run and lets the suite clean up: exit 1, saying so.
func TestSignalCancelsTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	r := startSignalRun(t, false)
	r.interrupt(t)
	exit := r.wait(t, 60*time.Second)
	stderr := r.stderr.String()
	if exit.ExitCode() != 1 {
		t.Errorf("after one SIGINT: %v; want exit status 1\nstderr: %s", exit, stderr)
	}
	if !strings.Contains(stderr, "interrupt") || !strings.Contains(stderr, "cleaning up") {
		t.Errorf("stderr does not say the run was interrupted and is cleaning up: %s", stderr)
	}
	if strings.Contains(stderr, writeToken) {
		t.Error("stderr shows the token")
	}
}

// A second SIGINT, while the cleanup hangs, ends the process at once: killed by the signal.
func TestSecondSignalQuits(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	r := startSignalRun(t, true)
	r.interrupt(t)
	select {
	case <-r.deleting:
	case <-time.After(30 * time.Second):
		t.Fatalf("no DELETE reached the server after the first SIGINT\nstderr: %s", r.stderr.String())
	}
	r.cmd.Process.Signal(os.Interrupt)
	exit := r.wait(t, 10*time.Second)
	if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("after two SIGINTs: %v; want the process ended by SIGINT", exit)
	}
}
