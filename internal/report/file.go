package report

import (
	"bytes"
	"errors"
	"fmt"
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

// WriteFile writes the report to path in the format its extension names. The file is written whole or not at
// all (a temporary file renamed into place), so a reader never sees half a report.
func (r *Report) WriteFile(path string) error {
	kind, err := KindOf(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if kind == JSON {
		err = r.WriteJSON(&buf)
	} else {
		err = r.WriteMarkdown(&buf)
	}
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}
