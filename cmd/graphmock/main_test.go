package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"flag"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/schema"
	"github.com/graphconform/graphconform/internal/syncio"
)

const (
	testToken     = "T-write-3f9a"
	testReadToken = "R-read-77c1"
	seedBody      = `{
  "@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  }
}`
	seedPath = "/deviceManagement/deviceEnrollmentConfigurations/" + graphmock.SeedConfigurationID +
		"/assignments/" + graphmock.SeedAssignmentID
)

// launch runs the program in-process until stop is called; stop returns its exit code.
func launch(t *testing.T, args []string, env map[string]string) (base string, logs *syncio.Buffer, stop func() int) {
	t.Helper()
	return launchWith(t, args, env, run)
}

// launchWith is launch of another composition of the program (runWith with other extensions).
func launchWith(t *testing.T, args []string, env map[string]string,
	run func(context.Context, []string, func(string) string, io.Writer, func(string)) int) (base string, logs *syncio.Buffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncio.Buffer{}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, func(k string) string { return env[k] }, logs, func(u string) { ready <- u })
	}()
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() { cancel(); code = <-done })
		return code
	}
	t.Cleanup(func() { stop() })
	select {
	case base = <-ready:
	case c := <-done:
		t.Fatalf("graphmock exited %d before serving; log:\n%s", c, logs)
	case <-time.After(10 * time.Second):
		t.Fatalf("graphmock did not start; log:\n%s", logs)
	}
	return base, logs, stop
}

func send(t *testing.T, method, url, token, body string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// checkSeedPatch sends the seed page's example request to the seeded ids and checks the answer:
// 200, Graph's headers, a body that validates against the response schema, with the target sent.
func checkSeedPatch(t *testing.T, base string) {
	t.Helper()
	resp, body := send(t, "PATCH", base+seedPath, testToken, seedBody)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH: got %d; want 200: %s", resp.StatusCode, body)
	}
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" || params["odata.metadata"] != "minimal" {
		t.Errorf("Content-Type: got %q; want application/json;odata.metadata=minimal...", resp.Header.Get("Content-Type"))
	}
	for _, h := range []string{"request-id", "client-request-id", "Date"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("%s: missing", h)
		}
	}
	if got := resp.Header.Get("OData-Version"); got != "4.0" {
		t.Errorf("OData-Version: got %q; want 4.0", got)
	}
	set, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Validate("v1.0", schema.Assignment, json.RawMessage(body)); err != nil {
		t.Errorf("body: %v", err)
	}
	var got struct {
		ID     string          `json:"id"`
		Target json.RawMessage `json:"target"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != graphmock.SeedAssignmentID || string(got.Target) != `{"@odata.type":"microsoft.graph.deviceAndAppManagementAssignmentTarget"}` {
		t.Errorf("body: got %s; want the seeded id and the target sent", body)
	}
}

// TestRunServesTheSeedPage: the done-when, in-process: --seed, the seed page's PATCH -> 200.
func TestRunServesTheSeedPage(t *testing.T) {
	base, logs, stop := launch(t, []string{"--addr", "127.0.0.1:0", "--token", testToken, "--read-token", testReadToken, "--seed"}, nil)
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[1-9][0-9]*/v1\.0$`).MatchString(base) {
		t.Errorf("base URL: got %q; want http://127.0.0.1:PORT/v1.0 with the real port", base)
	}
	checkSeedPatch(t, base)
	if resp, body := send(t, "PATCH", base+seedPath, testReadToken, seedBody); resp.StatusCode != http.StatusForbidden {
		t.Errorf("PATCH with --read-token: got %d; want 403: %s", resp.StatusCode, body)
	}
	if resp, body := send(t, "GET", base+seedPath, testReadToken, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("GET with --read-token: got %d; want 200: %s", resp.StatusCode, body)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code: got %d; want 0", code)
	}
	log := logs.String()
	for _, want := range []string{"url=" + base, graphmock.SeedConfigurationID, graphmock.SeedAssignmentID, "stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log: missing %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{testToken, testReadToken} {
		if strings.Contains(log, secret) {
			t.Errorf("log: contains a token:\n%s", log)
		}
	}
}

// TestRunFromEnvironment: every flag has a GRAPHMOCK_* fallback; a flag on the command line wins.
func TestRunFromEnvironment(t *testing.T) {
	env := map[string]string{"GRAPHMOCK_ADDR": "127.0.0.1:0", "GRAPHMOCK_TOKEN": "env-token",
		"GRAPHMOCK_READ_TOKEN": testReadToken, "GRAPHMOCK_SEED": "true", "GRAPHMOCK_LOG_LEVEL": "debug"}
	base, logs, _ := launch(t, []string{"--token", testToken}, env)
	checkSeedPatch(t, base)
	if resp, _ := send(t, "GET", base+seedPath, "env-token", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GRAPHMOCK_TOKEN overridden by --token still accepted: got %d; want 401", resp.StatusCode)
	}
	if resp, _ := send(t, "GET", base+seedPath, testReadToken, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("GRAPHMOCK_READ_TOKEN: got %d; want 200", resp.StatusCode)
	}
	if !strings.Contains(logs.String(), "msg=request") {
		t.Errorf("GRAPHMOCK_LOG_LEVEL=debug: no request logged:\n%s", logs)
	}
}

// TestRunRefuses: bad usage or configuration exits 2 with a message, before listening.
func TestRunRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no token", []string{"--addr", "127.0.0.1:0"}, nil, "token is required"},
		{"empty token env", nil, map[string]string{"GRAPHMOCK_TOKEN": ""}, "GRAPHMOCK_TOKEN"},
		{"same tokens", []string{"--token", "x", "--read-token", "x"}, nil, "must differ"},
		{"unknown flag", []string{"--token", "x", "--colour"}, nil, "colour"},
		{"positional", []string{"--token", "x", "serve"}, nil, "unexpected"},
		{"bad env bool", []string{"--token", "x"}, map[string]string{"GRAPHMOCK_SEED": "maybe"}, "GRAPHMOCK_SEED"},
		{"bad log level", []string{"--token", "x", "--log-level", "loud"}, nil, "log-level"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(context.Background(), tc.args, func(k string) string { return tc.env[k] }, &stderr, func(string) {
				t.Error("started serving")
			})
			if code != 2 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("got exit %d, stderr %q; want 2 and a message mentioning %q", code, stderr.String(), tc.want)
			}
			if strings.Contains(stderr.String(), "maybe") && tc.name == "bad env bool" {
				t.Errorf("stderr echoes an environment value: %q", stderr.String())
			}
		})
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, func(string) string { return "" }, &stderr, nil); code != 0 || !strings.Contains(stderr.String(), "GRAPHMOCK_") {
		t.Errorf("-h: got exit %d, %q; want 0 and the usage", code, stderr.String())
	}
}

// TestRunAddressInUse: a listener that cannot bind exits 1.
func TestRunAddressInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--addr", l.Addr().String(), "--token", "x"}, func(string) string { return "" }, &stderr, nil); code != 1 {
		t.Errorf("got exit %d; want 1; stderr: %s", code, stderr.String())
	}
}

// TestExtensionHooks: an extension's flags are read from the command line and the environment, and it
// configures the mock and wraps the handler.
func TestExtensionHooks(t *testing.T) {
	var configured bool
	var label *string
	ext := extension{
		flags: func(fs *flag.FlagSet) { label = fs.String("x-label", "", "test: a response header value") },
		configure: func(cfg *graphmock.Config) error {
			configured = cfg.Logger != nil && len(cfg.Tokens) == 1
			cfg.Tokens["extra"] = []string{graphmock.ScopeConfigurationRead}
			return nil
		},
		wrap: func(h http.Handler) (http.Handler, error) {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Label", *label)
				h.ServeHTTP(w, r)
			}), nil
		},
	}
	withExt := func(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready func(string)) int {
		return runWith(ctx, args, getenv, stderr, ready, []extension{ext})
	}
	base, _, _ := launchWith(t, []string{"--addr", "127.0.0.1:0", "--token", testToken, "--seed", "--x-label", "on"},
		map[string]string{"GRAPHMOCK_X_LABEL": "from-env"}, withExt)
	resp, body := send(t, "GET", base+seedPath, "extra", "")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Label") != "on" || !configured {
		t.Errorf("got %d, X-Label %q, configured %v; want 200, on, true: %s", resp.StatusCode, resp.Header.Get("X-Label"), configured, body)
	}
	base, _, _ = launchWith(t, []string{"--addr", "127.0.0.1:0", "--token", testToken, "--seed"},
		map[string]string{"GRAPHMOCK_X_LABEL": "from-env"}, withExt)
	if resp, _ := send(t, "GET", base+seedPath, testToken, ""); resp.Header.Get("X-Label") != "from-env" {
		t.Errorf("X-Label %q; want the GRAPHMOCK_X_LABEL value when the flag is not given", resp.Header.Get("X-Label"))
	}
}

// TestBinary builds the program as the container does (CGO_ENABLED=0), checks it is static, runs it,
// sends the seed page's PATCH and stops it with SIGTERM: exit 0 after a clean shutdown.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the static-binary and SIGTERM checks are for the container's platform")
	}
	root := t.TempDir() // the binary alone, like the FROM scratch image
	bin := filepath.Join(root, "graphmock")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("binary is dynamically linked (program header %v): it cannot run FROM scratch", p.Type)
		}
	}
	f.Close()

	// As root, run it in an empty root directory: no /etc at all, as in the container (chroot execs it,
	// so the signal reaches the program). localhost must then listen without a resolver.
	cmd := exec.Command(bin, "--addr", "127.0.0.1:0", "--token", testToken, "--seed")
	if chroot, err := exec.LookPath("chroot"); err == nil && os.Geteuid() == 0 {
		cmd = exec.Command(chroot, root, "/graphmock", "--addr", "localhost:0", "--token", testToken, "--seed")
		t.Log("running in an empty root directory")
	}
	cmd.Env = []string{} // nothing from the environment: the container has none of it either
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	urlRE := regexp.MustCompile(`msg="graphmock listening" url=(\S+)`)
	var base string
	var log []string
	for base == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("graphmock exited before listening:\n%s", strings.Join(log, "\n"))
			}
			log = append(log, line)
			if m := urlRE.FindStringSubmatch(line); m != nil {
				base = m[1]
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no listening line in 10s:\n%s", strings.Join(log, "\n"))
		}
	}
	checkSeedPatch(t, base)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for line := range lines {
		log = append(log, line)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; want 0\n%s", err, strings.Join(log, "\n"))
		}
	case <-time.After(15 * time.Second):
		t.Fatal("still running 15s after SIGTERM")
	}
	if all := strings.Join(log, "\n"); !strings.Contains(all, "msg=stopped") || strings.Contains(all, testToken) {
		t.Errorf("log: want a clean stop and no token:\n%s", all)
	}
}

func TestListenAddr(t *testing.T) {
	for in, want := range map[string]string{"localhost:8080": "127.0.0.1:8080", "LocalHost:0": "127.0.0.1:0",
		"0.0.0.0:8080": "0.0.0.0:8080", ":0": ":0", "[::1]:80": "[::1]:80", "bad": "bad"} {
		if got := listenAddr(in); got != want {
			t.Errorf("listenAddr(%q): got %q; want %q", in, got, want)
		}
	}
}
