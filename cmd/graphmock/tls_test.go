package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/internal/auth"
	"github.com/graphconform/graphconform/internal/syncio"
)

// startMock runs the program with args and env until the test ends; it
// returns the base URL it logged as ready and its log.
func startMock(t *testing.T, args []string, env map[string]string) (string, *syncio.Buffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncio.Buffer{}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, func(k string) string { return env[k] }, logs, func(u string) { ready <- u })
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("graphmock exited %d; logs:\n%s", code, logs)
		}
	})
	select {
	case u := <-ready:
		return u, logs
	case code := <-done:
		t.Fatalf("graphmock exited %d before serving; logs:\n%s", code, logs)
	case <-time.After(10 * time.Second):
		t.Fatal("graphmock did not start")
	}
	return "", nil
}

func TestAuthorityOverSelfSignedTLS(t *testing.T) {
	const secret = "graphmock-client-secret-never-logged"
	dir := t.TempDir()
	base, logs := startMock(t, []string{"--addr", "127.0.0.1:0", "--token", "static-token-xyz",
		"--tls-self-signed", dir, "--authority", "--client-id", "app-1", "--tenant", "t1"},
		map[string]string{"GRAPHMOCK_CLIENT_SECRET": secret})
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("base URL %s; want https", base)
	}
	host := strings.Replace(strings.TrimSuffix(base, "/v1.0"), "127.0.0.1", "localhost", 1)

	env := map[string]string{auth.EnvTenantID: "t1", auth.EnvClientID: "app-1", auth.EnvClientSecret: secret}
	c, err := auth.New(auth.Options{Target: host + "/v1.0", AuthorityHost: host, CAFile: filepath.Join(dir, "ca.pem"),
		Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Source.Token(context.Background())
	if err != nil {
		t.Fatalf("token from the mock authority: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, host+"/v1.0/deviceManagement/deviceEnrollmentConfigurations", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := (&http.Client{Transport: c.Transport()}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("Graph GET with the issued token: %d; want 200", resp.StatusCode)
	}
	out := logs.String()
	for _, s := range []string{secret, tok, "static-token-xyz"} {
		if strings.Contains(out, s) {
			t.Errorf("the log shows a secret (%.8s...):\n%s", s, out)
		}
	}
	if !strings.Contains(out, "authority-host=https://127.0.0.1:") {
		t.Errorf("the log does not say where the authority is:\n%s", out)
	}
}

func TestFaultFlag(t *testing.T) {
	base, _ := startMock(t, []string{"--addr", "127.0.0.1:0", "--token", "tok-1",
		"--fault", "throttle:every=2,retry-after=0.1", "--fault", "latency:1ms"}, nil)
	var got []int
	for range 4 {
		req, _ := http.NewRequest(http.MethodGet, base+"/deviceManagement/deviceEnrollmentConfigurations", nil)
		req.Header.Set("Authorization", "Bearer tok-1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got = append(got, resp.StatusCode)
		if resp.StatusCode == 429 && (resp.Header.Get("Retry-After") != "0.1" || resp.Header.Get("request-id") == "") {
			t.Errorf("429 headers %v; want Retry-After 0.1 and a request-id", resp.Header)
		}
	}
	if want := []int{200, 429, 200, 429}; !equalInts(got, want) {
		t.Errorf("statuses %v; want %v", got, want)
	}
}

func TestBadTLSAndFaultFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--fault", "throttle:every=0"}, nil, "every"},
		{[]string{"--authority", "--client-id", "a", "--client-secret", "s"}, nil, "needs TLS"},
		{[]string{"--tls-self-signed", "DIR", "--authority", "--client-secret", "s"}, nil, "--client-id"},
		{[]string{"--tls-self-signed", "DIR", "--authority", "--client-id", "a"}, nil, "--client-secret"},
		{[]string{"--tls-cert", "x.pem"}, nil, "go together"},
		{[]string{"--client-id", "a"}, nil, "need --authority"},
		{nil, map[string]string{"GRAPHMOCK_FAULT": "flood:every=1"}, "GRAPHMOCK_FAULT"},
	} {
		dir := t.TempDir()
		args := []string{"--addr", "127.0.0.1:0", "--token", "t"}
		for _, a := range tc.args {
			args = append(args, strings.ReplaceAll(a, "DIR", dir))
		}
		logs := &syncio.Buffer{}
		code := run(context.Background(), args, func(k string) string { return tc.env[k] }, logs, nil)
		if code != 2 || !strings.Contains(logs.String(), tc.want) {
			t.Errorf("%v %v: exit %d, output %q; want 2 and %q", tc.args, tc.env, code, logs, tc.want)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
