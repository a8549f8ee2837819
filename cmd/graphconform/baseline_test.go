package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/internal/defects"
	"github.com/graphconform/graphconform/internal/report"
)

// wrapDefects breaks the mock with each named defect.
func wrapDefects(t *testing.T, names ...string) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		for _, n := range names {
			d, ok := defects.Lookup(n)
			if !ok {
				t.Fatalf("no defect %q", n)
			}
			h = d.Wrap(h, defects.Config{Token: writeToken})
		}
		return h
	}
}

// A baseline holding today's failures of a broken service gates on new failures only: the same failures exit
// 0, one more defect exits 1 naming only its requirement, a fixed defect is reported fixed; diff says the same
// of two reports.
func TestBaselineGatesOnNewFailures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := mapEnv(envToken, writeToken, envReadToken, readToken, envAllowWrites, "1")
	run := func(wrap func(http.Handler) http.Handler, args ...string) outcome {
		srv := mockServer(t, wrap)
		return runCLI(t, env, append([]string{"run", "--target", srv.URL + "/v1.0", "--tags", "@op:enrollmentConfigurationAssignment.update"}, args...)...)
	}
	base := filepath.Join(dir, "base.json")
	if got := run(wrapDefects(t, "patch-204"), "--report", base); got.code != 1 {
		t.Fatalf("the broken service: exit %d; want 1\n%s%s", got.code, got.stdout, got.stderr)
	}

	same := run(wrapDefects(t, "patch-204"), "--baseline", base)
	if same.code != 0 || !strings.Contains(same.stdout, "known       ECA-UPDATE-001 (MUST)") ||
		!strings.HasPrefix(lastLine(same.stdout), "BASELINE PASS: no failure outside the baseline (") {
		t.Errorf("the same failures: exit %d; want 0 with both known\n%s%s", same.code, same.stdout, same.stderr)
	}

	newer := filepath.Join(dir, "new.json")
	worse := run(wrapDefects(t, "patch-204", "malformed-json-500"), "--baseline", base, "--report", newer)
	// malformed-json-500 breaks ECA-UPDATE-014 and ECA-UPDATE-021 (a generated body nested past encoding/json's
	// depth limit), and nothing else.
	if worse.code != 1 || !strings.HasPrefix(lastLine(worse.stdout), "BASELINE FAIL: 2 failed requirements not in the baseline: ECA-UPDATE-014, ECA-UPDATE-021 (") ||
		strings.Count(worse.stdout, "regression ") != 2 || !strings.Contains(worse.stdout, "regression  ECA-UPDATE-014 (MUST): got status 500") {
		t.Errorf("one more defect: exit %d; want 1 naming ECA-UPDATE-014 and ECA-UPDATE-021 alone\n%s%s", worse.code, worse.stdout, worse.stderr)
	}

	fixed := run(nil, "--baseline", base)
	if fixed.code != 0 || !strings.Contains(fixed.stdout, "fixed       ECA-UPDATE-001 (MUST): passes now: remove it from the baseline") ||
		!strings.Contains(fixed.stdout, "fixed       ECA-UPDATE-002 (MUST)") || !strings.Contains(lastLine(fixed.stdout), "fixed: remove from the baseline") {
		t.Errorf("the defect fixed: exit %d; want 0 and both reported fixed\n%s%s", fixed.code, fixed.stdout, fixed.stderr)
	}

	// The same comparison between two reports.
	if got := runCLI(t, mapEnv(), "diff", base, newer); got.code != 1 || !strings.Contains(got.stdout, "regression  ECA-UPDATE-014") {
		t.Errorf("diff OLD NEW: exit %d; want 1 naming the regression\n%s%s", got.code, got.stdout, got.stderr)
	}
	if got := runCLI(t, mapEnv(), "diff", newer, base); got.code != 0 || !strings.Contains(got.stdout, "fixed       ECA-UPDATE-014") {
		t.Errorf("diff NEW OLD: exit %d; want 0 with ECA-UPDATE-014 fixed\n%s%s", got.code, got.stdout, got.stderr)
	}

	// A list written by hand does as well as a report.
	list := filepath.Join(dir, "known.txt")
	text := "# known failures of our service\nECA-UPDATE-001  PATCH answers 204 (BUG-1)\n\nECA-UPDATE-002\n"
	known, err := report.ReadBaseline(base)
	if err != nil {
		t.Fatal(err)
	}
	for id := range known.Known { // what else the mock fails today, whatever the defect
		if id != "ECA-UPDATE-001" && id != "ECA-UPDATE-002" {
			text += id + "\tfails on the reference mock too\n"
		}
	}
	os.WriteFile(list, []byte(text), 0o644)
	byHand := run(wrapDefects(t, "patch-204"), "--baseline", list)
	if byHand.code != 0 || !strings.Contains(byHand.stdout, "known       ECA-UPDATE-001 (MUST): PATCH answers 204 (BUG-1)") {
		t.Errorf("a hand-written baseline: exit %d\n%s%s", byHand.code, byHand.stdout, byHand.stderr)
	}
}

// A baseline that does not read is a usage error: exit 2, nothing sent.
func TestBadBaselineExit2(t *testing.T) {
	t.Parallel()
	srv, hits := countingServer(t)
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("ECA-UPDATE-001\nnot an id\n"), 0o644)
	for _, file := range []string{bad, filepath.Join(t.TempDir(), "missing.json")} {
		got := runCLI(t, mapEnv(envToken, writeToken), "run", "--target", srv.URL+"/v1.0", "--allow-writes", "--baseline", file)
		if got.code != 2 || !strings.Contains(got.stderr, "--baseline") {
			t.Errorf("%s: exit %d, stderr %q; want 2 naming --baseline", file, got.code, got.stderr)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// A bundle from a failing run verifies and says it was produced by this suite; a byte changed in any of its
// files fails verify (exit 1). No file of it holds a token.
func TestBundleVerifies(t *testing.T) {
	t.Parallel()
	srv := mockServer(t, wrapDefects(t, "malformed-json-500"))
	for _, name := range []string{"bundle", "bundle.tar.gz"} {
		path := filepath.Join(t.TempDir(), name)
		got := runCLI(t, mapEnv(envToken, writeToken, envReadToken, readToken, envAllowWrites, "1"),
			"run", "--target", srv.URL+"/v1.0", "--tags", "@op:enrollmentConfigurationAssignment.update", "--bundle", path)
		if got.code != 1 {
			t.Fatalf("exit %d; want 1\n%s%s", got.code, got.stdout, got.stderr)
		}
		v := runCLI(t, mapEnv(), "verify", path)
		if v.code != 0 || !strings.Contains(v.stdout, "every SHA-256 matches") || !strings.Contains(v.stdout, "produced by this suite version") {
			t.Fatalf("verify a fresh bundle: exit %d\n%s%s", v.code, v.stdout, v.stderr)
		}
		if name != "bundle" {
			continue
		}
		var files []string
		filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return err
		})
		var replay bool
		for _, f := range files {
			data, _ := os.ReadFile(f)
			assertNoToken(t, f, string(data))
			replay = replay || strings.HasSuffix(f, ".replay.sh")
		}
		if len(files) < 6 || !replay {
			t.Errorf("%d files, replay script %v: %v", len(files), replay, files)
		}
		for _, f := range files {
			data, _ := os.ReadFile(f)
			orig := data[len(data)/2]
			data[len(data)/2] ^= 0x01
			os.WriteFile(f, data, 0o644)
			if v := runCLI(t, mapEnv(), "verify", path); v.code != 1 || !strings.Contains(v.stdout, "NOT as it was written") {
				t.Errorf("%s changed: verify exit %d\n%s", f, v.code, v.stdout)
			}
			data[len(data)/2] = orig
			os.WriteFile(f, data, 0o644)
		}
		if v := runCLI(t, mapEnv(), "verify", path); v.code != 0 {
			t.Errorf("restored: verify exit %d\n%s", v.code, v.stdout)
		}
	}
}
