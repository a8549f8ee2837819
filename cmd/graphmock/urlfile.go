package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/graphconform/graphconform/internal/atomicfile"
)

// writeURLFile writes content to path whole or not at all (atomicfile.Write): a script polling for path never
// reads a half-written URL, and a stale file from an earlier run is replaced in one step.
func writeURLFile(path, content string) error {
	err := atomicfile.Write(path, func(w io.Writer) error { _, err := io.WriteString(w, content); return err })
	if err != nil {
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
