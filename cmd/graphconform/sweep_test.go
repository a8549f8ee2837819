package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// createConfig posts a deviceEnrollmentLimitConfiguration named name to the mock.
func createConfig(t *testing.T, base, name string) {
	t.Helper()
	body := `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","displayName":"` + name + `","limit":5}`
	req, _ := http.NewRequest(http.MethodPost, base+"/deviceManagement/deviceEnrollmentConfigurations", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+writeToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create %s: status %d", name, resp.StatusCode)
	}
}

// agedBy makes the service report every listed configuration as created age.Load() earlier than it was: the test
// ages what it created without waiting for the clock.
func agedBy(age *atomic.Int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var col map[string]any
			if json.Unmarshal(rec.Body.Bytes(), &col) == nil {
				items, _ := col["value"].([]any)
				for _, it := range items {
					c, _ := it.(map[string]any)
					if ts, err := time.Parse(time.RFC3339Nano, fmt.Sprint(c["createdDateTime"])); err == nil {
						c["createdDateTime"] = ts.Add(-time.Duration(age.Load())).Format(time.RFC3339Nano)
					}
				}
				body, _ := json.Marshal(col)
				rec.Body = bytes.NewBuffer(body)
				rec.Header().Del("Content-Length")
			}
			maps.Copy(w.Header(), rec.Header())
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		})
	}
}

func TestSweep(t *testing.T) {
	var age atomic.Int64
	srv := mockServer(t, agedBy(&age))
	base := srv.URL + "/v1.0"
	for _, n := range []string{"graphconform-run1-a", "graphconform-run1-b", "Production enrollment limit", "xgraphconform-not-ours"} {
		createConfig(t, base, n)
	}
	env := mapEnv("GRAPH_TOKEN", writeToken)
	count := func() int {
		o := runCLI(t, env, "sweep", "--target", base)
		return strings.Count(o.stdout, "\n  delete ") + strings.Count(o.stdout, "\n  keep ")
	}

	// Dry run: listed, nothing deleted.
	o := runCLI(t, env, "sweep", "--target", base)
	if o.code != 0 || !strings.Contains(o.stdout, "2 of 4") || !strings.Contains(o.stdout, "dry run") {
		t.Fatalf("dry run: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
	if strings.Contains(o.stdout, "Production") || strings.Contains(o.stdout, "xgraphconform") {
		t.Errorf("dry run lists what is not ours:\n%s", o.stdout)
	}
	if count() != 2 {
		t.Fatal("the dry run deleted something")
	}

	// --older-than keeps what is younger.
	o = runCLI(t, env, "sweep", "--target", base, "--allow-writes", "--older-than", "1h")
	if o.code != 0 || !strings.Contains(o.stdout, "deleted 0, kept 2") {
		t.Errorf("--older-than 1h: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}

	// --allow-writes deletes ours and only ours.
	age.Store(int64(2 * time.Hour))
	o = runCLI(t, env, "sweep", "--target", base, "--allow-writes", "--older-than", "1h")
	if o.code != 0 || !strings.Contains(o.stdout, "deleted 2, kept 0, failed 0") {
		t.Fatalf("sweep: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
	o = runCLI(t, env, "sweep", "--target", base)
	if !strings.Contains(o.stdout, "0 of 2") {
		t.Errorf("after the sweep: %s; want the 2 others left alone", o.stdout)
	}
	if strings.Contains(o.stdout+o.stderr, writeToken) {
		t.Error("the sweep printed the token")
	}
}

func TestSweepUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep"}, "--target URL is required"},
		{[]string{"sweep", "--target", "https://graph.example"}, "version segment"},
		{[]string{"sweep", "--target", "http://127.0.0.1:1/v1.0"}, "no token"},
		{[]string{"sweep", "--target", "http://127.0.0.1:1/v1.0", "--older-than", "-1h"}, "negative"},
	} {
		o := runCLI(t, mapEnv(), tc.args...)
		if o.code != 2 || !strings.Contains(o.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, o.code, o.stderr, tc.want)
		}
	}
}
