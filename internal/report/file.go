package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Kind is the format of a report file, chosen by its extension.
type Kind string

const (
	JSON     Kind = "json"
	Markdown Kind = "markdown"
)

// KindOf returns the format for a report path: .json is JSON, .md and .markdown are Markdown.
func KindOf(path string) (Kind, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return JSON, nil
	case ".md", ".markdown":
		return Markdown, nil
	}
	return "", fmt.Errorf("report file %q: want a name ending in .json or .md", path)
}

// WriteFile writes the report to path in the format its extension names, whole or not at all (WriteAtomic).
func (r *Report) WriteFile(path string) error {
	kind, err := KindOf(path)
	if err != nil {
		return err
	}
	return WriteAtomic(path, func(w io.Writer) error {
		if kind == JSON {
			return r.WriteJSON(w)
		}
		return r.WriteMarkdown(w)
	})
}

// WriteAtomic writes what write writes to path, whole or not at all (a temporary file renamed into place), so a
// reader never sees half a file.
func WriteAtomic(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
