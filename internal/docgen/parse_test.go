package docgen

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n%s", name, lineDiff(string(want), string(got)))
	}
}

// view is what the golden files record of a parsed page.
type view struct {
	Title          string
	FrontMatter    map[string]string `json:",omitempty"`
	Permissions    []Permission      `json:",omitempty"`
	RequestHeaders []Header          `json:",omitempty"`
	Operations     []RequestLine     `json:",omitempty"`
	Properties     []Property        `json:",omitempty"`
	SuccessStatus  int
	Examples       []exampleView
	Warnings       []string `json:",omitempty"`
}

type exampleView struct {
	Name     string `json:",omitempty"`
	Request  requestView
	Response *responseView `json:",omitempty"`
}

type requestView struct {
	Line                 int
	Method, URL          string
	Proto                string                     `json:",omitempty"`
	Headers              []string                   `json:",omitempty"`
	Body                 string                     `json:",omitempty"`
	BodyLine             int                        `json:",omitempty"`
	Inferred             bool                       `json:",omitempty"`
	Annotation           map[string]json.RawMessage `json:",omitempty"`
	Version, Path, Query string
}

type responseView struct {
	Line       int
	Status     int
	Headers    []string                   `json:",omitempty"`
	Body       string                     `json:",omitempty"`
	BodyLine   int                        `json:",omitempty"`
	Truncated  bool                       `json:",omitempty"`
	Inferred   bool                       `json:",omitempty"`
	Annotation map[string]json.RawMessage `json:",omitempty"`
}

func headerStrings(hs []Header) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Name+": "+h.Value)
	}
	return out
}

func viewOf(p *Page) view {
	v := view{Title: p.Title, Permissions: p.Permissions, RequestHeaders: p.RequestHeaders,
		Operations: p.Operations, Properties: p.Properties, SuccessStatus: p.SuccessStatus}
	if len(p.FrontMatter) > 0 {
		v.FrontMatter = map[string]string{}
		for _, f := range p.FrontMatter {
			v.FrontMatter[f.Key] = f.Value
		}
	}
	for _, w := range p.Warnings {
		v.Warnings = append(v.Warnings, w.String())
	}
	for _, ex := range p.Examples {
		r := ex.Request
		u := SplitURL(r.URL)
		ev := exampleView{Name: ex.Name, Request: requestView{Line: r.Line, Method: r.Method, URL: r.URL, Proto: r.Proto,
			Headers: headerStrings(r.Headers), Body: r.Body, BodyLine: r.BodyLine, Inferred: r.Block.Inferred,
			Version: u.Version, Path: u.Path, Query: u.Query}}
		if r.Annotation != nil {
			ev.Request.Annotation = r.Annotation.Raw
		}
		if s := ex.Response; s != nil {
			ev.Response = &responseView{Line: s.Line, Status: s.Status, Headers: headerStrings(s.Headers), Body: s.Body,
				BodyLine: s.BodyLine, Truncated: s.Truncated(), Inferred: s.Block.Inferred}
			if s.Annotation != nil {
				ev.Response.Annotation = s.Annotation.Raw
			}
		}
		v.Examples = append(v.Examples, ev)
	}
	return v
}

func TestParsePages(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("testdata", "pages", "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no test pages: %v", err)
	}
	for _, path := range pages {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(name, src)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got, err := json.MarshalIndent(viewOf(p), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(name, ".md")+".json", append(got, '\n'))
		})
	}
}

func TestParseErrors(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("testdata", "bad", "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no bad pages: %v", err)
	}
	for _, path := range pages {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(name, src)
			if err == nil {
				t.Fatalf("parse succeeded with %d examples; want an error", len(p.Examples))
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a *docgen.Error: %v", err, err)
			}
			if e.Page != name || e.Line < 1 {
				t.Errorf("error located at %s:%d; want %s and a line", e.Page, e.Line, name)
			}
			golden(t, strings.TrimSuffix(name, ".md")+".err", []byte(err.Error()+"\n"))
		})
	}
}

// TestParseLineEndings: a page saved with CRLF reads like the same page
// with LF.
func TestParseLineEndings(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "pages", "update-gadget.md"))
	if err != nil {
		t.Fatal(err)
	}
	lf, err := Parse("p", src)
	if err != nil {
		t.Fatal(err)
	}
	crlf, err := Parse("p", bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(viewOf(lf))
	b, _ := json.Marshal(viewOf(crlf))
	if !bytes.Equal(a, b) {
		t.Errorf("CRLF page parses differently:\n%s", lineDiff(string(a), string(b)))
	}
}

func TestSplitURL(t *testing.T) {
	tests := []struct{ in, version, path, query string }{
		{"https://graph.microsoft.com/v1.0/me/events", "v1.0", "/me/events", ""},
		{"https://graph.microsoft.com/localtest/a/{id}/b", "localtest", "/a/{id}/b", ""},
		{"https://graph.microsoft.com/beta/a?$top=1&$filter=x eq 'y'", "beta", "/a", "$top=1&$filter=x eq 'y'"},
		{"/v1.0/a/{b}", "v1.0", "/a/{b}", ""},
		{"/a/{b}", "", "/a/{b}", ""},
		{"http://127.0.0.1:8080/v1.0", "v1.0", "/", ""},
		{"https://graph.microsoft.com", "", "/", ""},
	}
	for _, tt := range tests {
		u := SplitURL(tt.in)
		if u.Version != tt.version || u.Path != tt.path || u.Query != tt.query {
			t.Errorf("SplitURL(%q) = %+v; want version %q path %q query %q", tt.in, u, tt.version, tt.path, tt.query)
		}
	}
}

// lineDiff is a small line-by-line diff for failure messages.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var sb strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			fmt.Fprintf(&sb, "line %d:\n  want: %s\n  got:  %s\n", i+1, a, b)
		}
	}
	return sb.String()
}
