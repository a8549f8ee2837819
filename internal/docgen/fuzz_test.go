package docgen

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzParse: whatever the bytes, Parse returns a page with examples or
// errors located on a line of the page, and a page that parses generates
// its files or says why; nothing panics.
// The seed corpus is in testdata/fuzz/FuzzParse (the test pages, and
// fragments that once needed care).
func FuzzParse(f *testing.F) {
	f.Add([]byte("<!-- {\"blockType\":\"request\"} -->\n```http\nGET /x\n```\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse("fuzz.md", src)
		lines := bytes.Count(src, []byte("\n")) + 1
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T is not a non-empty ErrorList: %v", err, err)
			}
			for _, e := range list {
				if e.Line < 1 || e.Line > lines {
					t.Fatalf("error at line %d of a %d-line page: %v", e.Line, lines, e)
				}
			}
			return
		}
		if len(p.Examples) == 0 {
			t.Fatal("no error and no example")
		}
		for _, ex := range p.Examples {
			if ex.Request == nil || ex.Request.Method == "" {
				t.Fatalf("example without a request method: %+v", ex)
			}
			if ex.Request.Line < 1 || ex.Request.Line > lines {
				t.Fatalf("request at line %d of a %d-line page", ex.Request.Line, lines)
			}
			_ = SplitURL(ex.Request.URL)
		}
		// A page that parses either plans into files or says why, with a line.
		ops, err := Generate([]Input{{Name: "fuzz.md", Src: src}})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Line < 1 || e.Line > lines {
				t.Fatalf("generate error without a line of the page: %v", err)
			}
			return
		}
		files, err := Render(ops)
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		for _, f := range files {
			if strings.Contains(f.Path, "..") || strings.HasPrefix(f.Path, "/") {
				t.Fatalf("generated path %q leaves the output directory", f.Path)
			}
		}
	})
}
