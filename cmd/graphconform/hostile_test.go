package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/internal/report"
	"github.com/graphconform/graphconform/internal/syncio"
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

// hostileAuth answers every request that lacks the test's tokens (the 401 requirements) with a status line a
// conforming service would send, and a header and a body a hostile one would: headerBytes of WWW-Authenticate,
// and a megabyte of body starting with terminal control sequences (retitle the terminal, clear the screen, a
// carriage return that rewrites the line, a C1 CSI, a bidi override). Control characters in a header never get
// this far: Go's client refuses the response.
func hostileAuth(headerBytes int) func(http.Handler) http.Handler {
	const nasty = "\x1b]0;owned\a\x1b[2J\rOK\u009b\u202e"
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if a := r.Header.Get("Authorization"); a == "Bearer "+writeToken || a == "Bearer "+readToken {
				h.ServeHTTP(w, r)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+strings.Repeat("x", headerBytes)+`"`)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, nasty+strings.Repeat("y", 1<<20))
		})
	}
}

// TestHostileTextIsBoundedAndVisible runs the 401 requirements against a target whose 401s carry terminal
// control sequences and large headers and bodies, with every output: the console (pretty), JUnit, Cucumber
// JSON, and the Markdown and JSON reports. Each output stays small and holds none of the target's control
// characters; they show as \x1b. A header past transport.MaxResponseHeaderBytes (9 MB, under Go's default limit of 10 MB) is refused as it is read.
func TestHostileTextIsBoundedAndVisible(t *testing.T) {
	t.Parallel()
	for name, headerBytes := range map[string]int{"40KB header": 40 << 10, "9MB header": 9 << 20} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := mockServer(t, hostileAuth(headerBytes))
			dir := t.TempDir()
			files := map[string]string{
				"junit": filepath.Join(dir, "junit.xml"), "cucumber": filepath.Join(dir, "cucumber.json"),
				"json": filepath.Join(dir, "report.json"), "md": filepath.Join(dir, "report.md"),
			}
			start := time.Now()
			got := runCLI(t, mapEnv(envToken, writeToken, envAllowWrites, "1"),
				"run", "--target", srv.URL+"/v1.0", "--tags", "@req:ECA-UPDATE-010,@req:ECA-UPDATE-011",
				"--format", "pretty,junit:"+files["junit"], "--format", "cucumber:"+files["cucumber"],
				"--report", files["json"], "--report", files["md"])
			elapsed := time.Since(start)
			if got.code != 1 {
				t.Fatalf("exit %d; want 1\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
			}
			outputs := map[string]string{"stdout": got.stdout, "stderr": got.stderr}
			for name, path := range files {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				outputs[name] = string(data)
			}
			var rep report.Report
			if err := json.Unmarshal([]byte(outputs["json"]), &rep); err != nil {
				t.Fatal(err)
			}
			outputs["json (decoded reasons and evidence)"] = rep.Requirements[0].Reason + "\n" + rep.Requirements[0].Evidence
			for name, out := range outputs {
				if len(out) > 256<<10 {
					t.Errorf("%s is %d bytes; want it bounded whatever the target sends", name, len(out))
				}
				if i := strings.IndexAny(out, "\x1b\a\r\u009b\u202e"); i >= 0 {
					t.Errorf("%s holds a control character of the target at byte %d: %q", name, i, out[max(0, i-40):min(len(out), i+40)])
				}
				if strings.Contains(out, `\u001b`) {
					t.Errorf("%s shows ESC as JSON's \\u001b; want the text itself to show \\x1b", name)
				}
			}
			if headerBytes < 1<<20 {
				const shown = `\x1b]0;owned\x07\x1b[2J\x0dOK\u009b\u202e`
				for _, name := range []string{"stdout", "junit", "cucumber", "md", "json (decoded reasons and evidence)"} {
					want := shown
					if name == "cucumber" { // JSON, as written: each backslash escaped
						want = strings.ReplaceAll(shown, `\`, `\\`)
					}
					if !strings.Contains(outputs[name], want) {
						t.Errorf("%s does not show the target's control characters as escapes", name)
					}
				}
			} else if !strings.Contains(got.stdout, "server response headers exceeded") {
				t.Errorf("the summary does not say the headers were too large:\n%s", got.stdout)
			}
			if elapsed > 20*time.Second {
				t.Errorf("the run took %v", elapsed)
			}
		})
	}
}

// badIDs answers the POSTs to collections whose path ends in collection with the entity created, under id
// instead of its own, and records the raw path of every request.
func badIDs(collection, id string, paths *syncio.Buffer) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(paths, "%s %s\n", r.Method, r.RequestURI)
			if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/"+collection) {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusCreated {
				w.WriteHeader(rec.Code)
				w.Write(rec.Body.Bytes())
				return
			}
			body["id"] = id
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode(body)
		})
	}
}

// TestImplausibleIDsAreNeverSent: a service that answers a create with an id that is not a plausible key (a
// path, a relative segment, control characters, nothing, 300 bytes) fails the requirement that created it,
// with the reason; no request is built from that id (once, DELETE .../../../../evil went out with the token),
// and what was created and cannot be addressed is reported as left behind.
func TestImplausibleIDsAreNeverSent(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"../../../../evil", "..", "evil/../x", "\x1b[2Jevil", "", strings.Repeat("e", 300)} {
		for _, tc := range []struct{ collection, tags string }{
			{"deviceEnrollmentConfigurations", "@req:ECA-UPDATE-001"},  // provisioning (steps/provisioning.go)
			{"assignments", "@req:ECA-CREATE-001,@req:ECA-CREATE-101"}, // the example's create (steps/family.go)
		} {
			t.Run(tc.collection+"/"+strconv.Quote(id)[:min(20, len(strconv.Quote(id)))], func(t *testing.T) {
				t.Parallel()
				var paths syncio.Buffer
				srv := mockServer(t, badIDs(tc.collection, id, &paths))
				reportPath := filepath.Join(t.TempDir(), "report.json")
				got := runCLI(t, mapEnv(envToken, writeToken, envAllowWrites, "1"),
					"run", "--target", srv.URL+"/v1.0", "--tags", tc.tags, "--report", reportPath)
				if got.code != 1 {
					t.Fatalf("exit %d; want 1\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
				}
				for _, line := range strings.Split(paths.String(), "\n") {
					if strings.Contains(line, "evil") || strings.Contains(line, "/../") || strings.HasSuffix(line, "/..") ||
						strings.Contains(line, "eeeeeeeeee") || strings.Contains(line, "//") {
						t.Errorf("a request was built from the id %q: %s", id, line)
					}
				}
				var rep report.Report
				data, _ := os.ReadFile(reportPath)
				if err := json.Unmarshal(data, &rep); err != nil {
					t.Fatal(err)
				}
				for _, req := range rep.Requirements {
					if req.Result != report.Failed || !strings.Contains(req.Reason, "not a plausible key") && !strings.Contains(req.Reason, "usable as a URL path segment") {
						t.Errorf("%s: %s, reason %q; want failed, saying the id is not a plausible key", req.ID, req.Result, req.Reason)
					}
				}
				if tc.collection == "deviceEnrollmentConfigurations" && (len(rep.Leftovers) == 0 || !strings.Contains(rep.Leftovers[0], "not deleted")) {
					t.Errorf("leftovers %q; want the configuration created under an unusable id reported", rep.Leftovers)
				}
				if tc.collection == "assignments" && len(rep.Leftovers) > 0 {
					t.Errorf("leftovers %q; want none: the assignments went with their configuration", rep.Leftovers)
				}
			})
		}
	}
}

// leftoverList serves a list of configurations named graphconform-<run>-..., three of them under ids a hostile
// service chose, and records every DELETE.
func leftoverList(t *testing.T, run string, deletes *syncio.Buffer) *httptest.Server {
	list := map[string]any{"value": []map[string]any{
		{"id": "..", "displayName": "graphconform-" + run + "-dotdot"},
		{"id": "../../evil", "displayName": "graphconform-" + run + "-path"},
		{"id": "\x1b[2Jc", "displayName": "graphconform-" + run + "-escape"},
		{"id": "c1", "displayName": "graphconform-" + run + "-fine"},
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			fmt.Fprintf(deletes, "%s\n", r.RequestURI)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(list)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSweepNeverSendsImplausibleIDs: sweep deletes what it finds under plausible ids only, and says which it left
// and why. Once, the id ".." sent DELETE .../deviceEnrollmentConfigurations/.. (the collection) with the token.
// (internal/cleanup's tests hold the run's own lookup by name to the same rule.)
func TestSweepNeverSendsImplausibleIDs(t *testing.T) {
	t.Parallel()
	const want = "/v1.0/deviceManagement/deviceEnrollmentConfigurations/c1\n"
	t.Run("sweep", func(t *testing.T) {
		t.Parallel()
		var deletes syncio.Buffer
		srv := leftoverList(t, "run1", &deletes)
		o := runCLI(t, mapEnv(envToken, writeToken), "sweep", "--target", srv.URL+"/v1.0", "--allow-writes")
		if o.code != 1 || strings.Count(o.stdout, "kept: its id cannot be a URL path segment") != 3 || !strings.Contains(o.stdout, "deleted 1, kept 3, failed 3") {
			t.Errorf("exit %d; want 1, three configurations kept for their ids, one deleted:\n%s%s", o.code, o.stdout, o.stderr)
		}
		if strings.ContainsAny(o.stdout, "\x1b") {
			t.Errorf("the output holds the id's ESC:\n%q", o.stdout)
		}
		if got := deletes.String(); got != want {
			t.Errorf("DELETEs sent:\n%s\nwant only\n%s", got, want)
		}
	})
}
