package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestURLFile: --url-file holds the base URL once the server listens, replaces a stale file, leaves no
// temporary file behind, and is removed on a clean shutdown.
func TestURLFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "graphmock.url")
	if err := os.WriteFile(file, []byte("http://stale.invalid/v1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base, _, stop := launch(t, []string{"--addr", "127.0.0.1:0", "--token", testToken, "--seed", "--url-file", file}, nil)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != base+"\n" {
		t.Errorf("url file: got %q; want %q", b, base+"\n")
	}
	checkSeedPatch(t, strings.TrimSpace(string(b))) // the URL in the file serves, seeded
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("url file mode: got %v, %v; want 0644", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries; want the url file only (no temporary file left)", len(entries))
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code: got %d; want 0", code)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("url file after shutdown: got %v; want it removed", err)
	}
}

// TestURLFileUnwritable: a file that cannot be written is a configuration error, reported before serving.
func TestURLFileUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "missing-dir", "graphmock.url")
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--token", "x", "--url-file", file},
		noEnv, &stderr, func(string) { t.Error("started serving") })
	if code != 2 || !strings.Contains(stderr.String(), "--url-file") {
		t.Errorf("got exit %d, stderr %q; want 2 and a message naming --url-file", code, stderr.String())
	}
}

func TestWriteURLFile(t *testing.T) {
	dir := t.TempDir()
	// Renaming over a directory fails: the temporary file must not be left behind.
	target := filepath.Join(dir, "taken")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeURLFile(target, "http://127.0.0.1:1/v1.0\n"); err == nil {
		t.Error("rename over a non-empty directory: got no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("after a failed write the directory holds %d entries; want 1 (temporary file removed)", len(entries))
	}
	// A file someone else rewrote is not removed.
	other := filepath.Join(dir, "other")
	if err := os.WriteFile(other, []byte("http://127.0.0.1:2/v1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := removeURLFile(other, "http://127.0.0.1:1/v1.0\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another server's url file was removed: %v", err)
	}
}
