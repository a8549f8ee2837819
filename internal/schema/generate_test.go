package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// The files in schemas/ are generated from model.go. Run
//
//	go test ./internal/schema -run TestGeneratedSchemas -update
//
// after changing the model; TestGeneratedSchemas fails while they differ, so they never drift.
var update = flag.Bool("update", false, "rewrite schemas/ from model.go")

// format renders v indented, with objects and arrays that hold only scalars on one line when short, so
// that a property's schema reads as one line: "groupId": {"type": ["string", "null"]}.
func format(b *bytes.Buffer, v any, indent string) {
	if line, ok := inline(v); ok && len(indent)+len(line) <= 110 {
		b.WriteString(line)
		return
	}
	switch v := v.(type) {
	case *obj:
		b.WriteString("{\n")
		for i, k := range v.keys {
			b.WriteString(indent + "  ")
			b.WriteString(scalar(k))
			b.WriteString(": ")
			format(b, v.vals[k], indent+"  ")
			if i < len(v.keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case []any:
		b.WriteString("[\n")
		for i, e := range v {
			b.WriteString(indent + "  ")
			format(b, e, indent+"  ")
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	default:
		b.WriteString(scalar(v))
	}
}

// inline renders v on one line if it nests nothing deeper than an array of scalars.
func inline(v any) (string, bool) {
	switch v := v.(type) {
	case *obj:
		if len(v.keys) == 0 {
			return "{}", true
		}
		parts := make([]string, 0, len(v.keys))
		for _, k := range v.keys {
			if _, nested := v.vals[k].(*obj); nested {
				return "", false
			}
			s, ok := inline(v.vals[k])
			if !ok {
				return "", false
			}
			parts = append(parts, scalar(k)+": "+s)
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			switch e.(type) {
			case *obj, []any:
				return "", false
			}
			parts = append(parts, scalar(e))
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	default:
		return scalar(v), true
	}
}

func scalar(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestGeneratedSchemas(t *testing.T) {
	dir := filepath.Join("..", "..", "schemas")
	generated := generate()
	for name, f := range generated {
		var buf bytes.Buffer
		format(&buf, f, "")
		buf.WriteByte('\n')
		want := buf.Bytes()
		var check any
		if err := json.Unmarshal(want, &check); err != nil {
			t.Fatalf("%s: generated invalid JSON: %v", name, err)
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v (run with -update)", path.Join("schemas", name), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schemas/%s differs from model.go; run: go test ./internal/schema -run TestGeneratedSchemas -update", name)
		}
	}
	// A file the model no longer generates would still be embedded and compiled: it must go.
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if generated[filepath.ToSlash(rel)] == nil {
			if *update {
				return os.Remove(p)
			}
			t.Errorf("schemas/%s is not generated from model.go; remove it (or run with -update)", filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
