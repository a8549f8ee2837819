package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
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

// signalRun is the real main in a child process, running against a mock whose DELETEs can be made to hang.
type signalRun struct {
	cmd        *exec.Cmd
	stderr     syncio.Buffer
	firstWrite chan struct{}
	deleting   chan struct{}
}

func startSignalRun(t *testing.T, hangDeletes bool) *signalRun {
	t.Helper()
	m := graphmock.New(graphmock.Config{Tokens: map[string][]string{writeToken: {graphmock.ScopeServiceConfigReadWrite}}})
	r := &signalRun{firstWrite: make(chan struct{}), deleting: make(chan struct{}, 256)}
	var once sync.Once
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost {
			once.Do(func() { close(r.firstWrite) })
		}
		if req.Method == http.MethodDelete && hangDeletes {
			r.deleting <- struct{}{}
			<-release
		}
		time.Sleep(10 * time.Millisecond)
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
	case <-r.firstWrite:
	case <-time.After(30 * time.Second):
		t.Fatal("the child sent no request within 30s")
	}
	time.Sleep(200 * time.Millisecond)
	return r
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
	r.cmd.Process.Signal(os.Interrupt)
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
	r.cmd.Process.Signal(os.Interrupt)
	// The child restores the default handler only once it has taken the first signal (it says so); a second
	// signal sent before that is swallowed. A DELETE may also hang from a scenario that deletes, before any signal.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(r.stderr.String(), "signal again to quit") {
		if time.Now().After(deadline) {
			t.Fatalf("the child did not acknowledge the first SIGINT within 30s\nstderr: %s", r.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
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
