package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func genRun(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := run(context.Background(), args, func(string) string { return "" }, &out, &out)
	return code, out.String()
}

// TestGenThenRun is the generator's promise end to end: for each method page,
// `gen --doc PAGE --out DIR` writes DIR/features and DIR/fixtures, and
// `run --features DIR` passes against the embedded mock. The pages: the shared
// Graph pages when they are beside the checkout, and pages of the same format
// written for these tests (operations the mock implements that no shared page shows).
func TestGenThenRun(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("..", "..", "internal", "docgen", "testdata", "family", "*.md"))
	docs := filepath.Join("..", "..", "..", "shared", "graph-docs")
	if _, err := os.Stat(docs); err == nil {
		shared, _ := filepath.Glob(filepath.Join(docs, "v1.0", "*-*-*.md"))
		for _, p := range shared {
			if src, err := os.ReadFile(p); err == nil && bytes.Contains(src, []byte("doc_type: apiPageType")) {
				pages = append(pages, p)
			}
		}
		pages = append(pages, filepath.Join(docs, "update-enrollmentconfigurationassignment.seed.md"))
	}
	if len(pages) == 0 {
		t.Fatal("no pages")
	}
	for _, page := range pages {
		t.Run(filepath.Base(page), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if code, out := genRun(t, "gen", "--doc", page, "--out", dir); code != 0 {
				t.Fatalf("gen exited %d:\n%s", code, out)
			}
			if code, out := genRun(t, "run", "--features", dir); code != 0 {
				t.Fatalf("run --features exited %d:\n%s", code, out)
			}
		})
	}
}

func TestGenErrorsExit2WithPageAndLine(t *testing.T) {
	bad := filepath.Join("..", "..", "internal", "docgen", "testdata", "bad", "no-method.md")
	code, out := genRun(t, "gen", "--doc", bad, "--out", t.TempDir())
	if code != 2 || !strings.Contains(out, bad+":6: request without a method") {
		t.Errorf("gen on a page with a request without a method: exit %d, output %q; want 2 and %s:6", code, out, bad)
	}
	if code, _ := genRun(t, "gen"); code != 2 {
		t.Errorf("gen without pages: exit %d; want 2", code)
	}
	if code, _ := genRun(t, "gen", "--doc", filepath.Join(t.TempDir(), "absent.md")); code != 2 {
		t.Errorf("gen with a missing page: exit %d; want 2", code)
	}
}

// TestGenDevZero: a page that never ends is refused at the 4 MiB limit, not read until memory runs out.
func TestGenDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	code, out := genRun(t, "gen", "--doc", "/dev/zero", "--out", t.TempDir())
	if code != 2 || !strings.Contains(out, "/dev/zero:1: the page is larger than 4 MiB") {
		t.Errorf("gen --doc /dev/zero: exit %d, output %q; want 2 and a page larger than 4 MiB", code, out)
	}
}
