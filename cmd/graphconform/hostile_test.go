package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRetryAfterBeyondTheTimeout: a service that throttles the PATCH with a Retry-After longer than --timeout.
// The run must not wait (the wait could only end in "no response"): the reason names the 429 and why it was
// not retried, and the summary counts no retry, since none was sent.
func TestRetryAfterBeyondTheTimeout(t *testing.T) {
	t.Parallel()
	srv := mockServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPatch {
				w.Header().Set("Retry-After", "20") // within the longest wait (30s), beyond --timeout
				http.Error(w, `{"error":{"code":"TooManyRequests","message":"slow down"}}`, http.StatusTooManyRequests)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	reportPath := filepath.Join(t.TempDir(), "report.md")
	start := time.Now()
	got := runCLI(t, mapEnv(envToken, writeToken, envAllowWrites, "1"),
		"run", "--target", srv.URL+"/v1.0", "--tags", "@req:ECA-UPDATE-001", "--timeout", "3s", "--report", reportPath)
	elapsed := time.Since(start)
	if got.code != 1 {
		t.Fatalf("exit %d; want 1\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	const why = "status 429 Too Many Requests (not retried: Retry-After 20s exceeds the "
	data, _ := os.ReadFile(reportPath)
	if !strings.Contains(got.stdout, why) || !strings.Contains(string(data), why) {
		t.Errorf("neither the summary nor the report says %q...\nstdout:\n%s", why, got.stdout)
	}
	if strings.Contains(got.stdout, "no response") || strings.Contains(got.stdout, "retried requests") {
		t.Errorf("the summary reports no response or retries never sent:\n%s", got.stdout)
	}
	if elapsed >= 3*time.Second {
		t.Errorf("the run took %v; want no wait for a Retry-After beyond the 3s timeout", elapsed)
	}
}
