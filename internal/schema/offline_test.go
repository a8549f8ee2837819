package schema

import (
	"encoding/json"
	"io/fs"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/graphconform/graphconform/schemas"
)

// TestNoRemoteReferences: no schema file names anything outside schemas.FS. The only absolute URL allowed
// is the draft 2020-12 meta-schema in "$schema", which the validator library ships with (compiling with a
// loader that refuses every URL, as Default does, proves it is never fetched).
func TestNoRemoteReferences(t *testing.T) {
	n := 0
	err := fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := fs.ReadFile(schemas.FS, p)
		if err != nil {
			return err
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		n++
		var walk func(v any, at string)
		walk = func(v any, at string) {
			switch v := v.(type) {
			case map[string]any:
				for k, c := range v {
					s, isString := c.(string)
					switch {
					case k == "$schema" && isString:
						if s != draft {
							t.Errorf("%s%s/$schema = %q; want %q", p, at, s, draft)
						}
					case (k == "$ref" || k == "$dynamicRef") && isString:
						u, err := url.Parse(s)
						if err != nil || u.IsAbs() || u.Host != "" || strings.HasPrefix(s, "//") {
							t.Errorf("%s%s/%s = %q: not a reference inside schemas/", p, at, k, s)
						}
					case k == "$id" || k == "$anchor" || k == "$dynamicAnchor":
						t.Errorf("%s%s/%s: schemas are identified by their path in schemas/ only", p, at, k)
					}
					walk(c, at+"/"+k)
				}
			case []any:
				for _, c := range v {
					walk(c, at)
				}
			}
		}
		walk(doc, "")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("schemas.FS holds no schema file")
	}
}

// TestLoaderRefusesURLs: a schema that references a URL outside the set fails to compile instead of
// being fetched.
func TestLoaderRefusesURLs(t *testing.T) {
	fsys := fstest.MapFS{}
	if err := fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(schemas.FS, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(fsys); err != nil {
		t.Fatalf("a copy of schemas.FS: %v", err)
	}
	for _, ref := range []string{"https://127.0.0.1:1/remote.json", "file:///etc/passwd", "missing.json"} {
		fsys["error.json"] = &fstest.MapFile{Data: []byte(`{"$schema":"` + draft + `","$ref":"` + ref + `"}`)}
		_, err := Compile(fsys)
		if err == nil || !strings.Contains(err.Error(), "refusing to load") {
			t.Errorf("$ref %s: got %v; want the loader's refusal", ref, err)
		}
	}
}
