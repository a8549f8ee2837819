package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/graphconform/graphconform/internal/atomicfile"
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

// WriteFile writes the report to path in the format its extension names, whole or not at all (atomicfile.Write).
func (r *Report) WriteFile(path string) error {
	kind, err := KindOf(path)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		if kind == JSON {
			return r.WriteJSON(w)
		}
		return r.WriteMarkdown(w)
	})
}
