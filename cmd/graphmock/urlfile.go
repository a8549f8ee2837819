package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// writeURLFile writes content to path atomically: into a temporary file in the same directory, then
// renamed over path. A script polling for path never reads a half-written URL, and a stale file from an
// earlier run is replaced in one step.
func writeURLFile(path, content string) (err error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("--url-file: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// CreateTemp makes the file 0600; the URL is no secret, and a script may run as another user.
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("--url-file: %w", err)
	}
	if _, err := f.WriteString(content); err != nil {
		return fmt.Errorf("--url-file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--url-file: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("--url-file: %w", err)
	}
	return nil
}

// removeURLFile removes path on the way out, unless it no longer holds content (another graphmock has
// written its own URL there since): a script waiting for the file then does not find a dead URL.
func removeURLFile(path, content string) error {
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(b, []byte(content)) {
		return nil
	}
	return os.Remove(path)
}
