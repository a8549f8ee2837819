package docgen

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// render concatenates generated files for one golden file.
func render(files []File) []byte {
	var b bytes.Buffer
	for _, f := range files {
		b.WriteString("=== " + f.Path + " ===\n")
		b.Write(f.Data)
	}
	return b.Bytes()
}

func loadPage(t *testing.T, path string) Input {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Name: filepath.Base(path), Src: src}
}

// TestGenerateGolden: each test page generates its fixtures and feature.
func TestGenerateGolden(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "pages", "*.md"))
	for _, path := range pages {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			ops, err := Generate([]Input{loadPage(t, path)})
			if err != nil {
				t.Fatal(err)
			}
			files, err := Render(ops)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("gen", strings.TrimSuffix(name, ".md")+".txt"), render(files))
		})
	}
}

// TestGenerateFamilyScopes: a page whose permissions are a TODO borrows the
// scopes a published write page of the same resource lists, and says so.
func TestGenerateFamilyScopes(t *testing.T) {
	ops, err := Generate([]Input{
		loadPage(t, filepath.Join("testdata", "pages", "update-gadget-todo-scopes.md")),
		loadPage(t, filepath.Join("testdata", "pages", "update-gadget.md")),
	})
	if err == nil {
		t.Fatalf("two pages generating gadget/update: got no error")
	}
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Msg, "gadget/update") {
		t.Fatalf("got %v; want a duplicate gadget/update error", err)
	}
	ops, err = Generate([]Input{
		loadPage(t, filepath.Join("testdata", "pages", "update-gadget-todo-scopes.md")),
		loadPage(t, filepath.Join("testdata", "pages", "delete-gadget-204.md")),
		{Name: "create.md", Src: []byte(strings.Join([]string{
			"# Create gadget", "## Permissions", "|Permission type|Permissions|", "|:---|:---|",
			"|Application|Workshop.ReadWrite.All|", "## Example",
			`<!-- {"blockType": "request"} -->`, "```http", "POST https://x.test/v1.0/workshop/gadgets", "", `{"label": "a"}`, "```",
			`<!-- {"blockType": "response"} -->`, "```http", "HTTP/1.1 201 Created", "", `{"id": "1", "label": "a"}`, "```", "",
		}, "\n"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := ops[0].Scopes
	if len(got.Application) != 1 || got.Application[0] != "Workshop.ReadWrite.All" || !strings.Contains(got.Note, "TODO") {
		t.Errorf("scopes of the TODO page = %+v; want the create page's, with a note", got)
	}
	if ops[1].Scopes.Note != "" {
		t.Errorf("a page without scopes and without a TODO got a note: %q", ops[1].Scopes.Note)
	}
}

func TestPlanProblems(t *testing.T) {
	tests := []struct{ name, page, want string }{
		{"no resource", "# gadget\n## Example\n```http\nGET https://x.test/v1.0/{id}\n```\n```http\nHTTP/1.1 200 OK\n```\n", `p.md:1: title "gadget" names no resource`},
		{"no status", "# Get gadget\n## Example\n```http\nGET https://x.test/v1.0/a/1\n```\n", "p.md:4: the page documents no success status"},
		{"path in the title", "# Get ../../outside\n## Response\n`200 OK`\n## Example\n```http\nGET https://x.test/v1.0/a/1\n```\n", `p.md:1: resource "../../outside"`},
		{"unsupported method", "# Replace gadget\n## Response\n`200 OK`\n## Example\n```http\nPUT https://x.test/v1.0/a/1\n```\n", "p.md:6: no template for PUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate([]Input{{Name: "p.md", Src: []byte(tt.page)}})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %v; want an error starting %q", err, tt.want)
			}
		})
	}
}

// TestPlanTitleShapes: a title that is not "<Verb> <resource>" names the
// operation by its method and the resource by the example or the path.
func TestPlanTitleShapes(t *testing.T) {
	tests := []struct{ page, fixture string }{
		{"# workshop: polishGadget\n## Response\n`200 OK`\n## Example\n```http\nPOST https://x.test/v1.0/workshop/gadgets/{gadgetId}/polish\n```\n```http\nHTTP/1.1 200 OK\n\n{\"@odata.type\": \"#workshop.gadget\", \"id\": \"1\"}\n```\n", "gadget/create"},
		{"---\ntitle: Get gadgets of a bench\n---\n## Response\n`200 OK`\n## Example\n```http\nGET https://x.test/v1.0/benches/{benchId}/gadgets\n```\n", "gadget/list"},
	}
	for _, tt := range tests {
		ops, err := Generate([]Input{{Name: "p.md", Src: []byte(tt.page)}})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if got := ops[0].Fixture(); got != tt.fixture {
			t.Errorf("fixture %q; want %q", got, tt.fixture)
		}
		if _, err := Render(ops); err != nil {
			t.Errorf("render: %v", err)
		}
	}
}

func TestNames(t *testing.T) {
	if got := initials("enrollmentConfigurationAssignment"); got != "ECA" {
		t.Errorf("initials = %q", got)
	}
	if got := words("deviceEnrollmentLimitConfiguration"); got != "device enrollment limit configuration" {
		t.Errorf("words = %q", got)
	}
	ex := &Example{Response: &Response{Body: `{"value": [{"@odata.type": "#microsoft.graph.policy"}]}`}}
	if got := resourceName("policys", "list", ex); got != "policy" {
		t.Errorf("resourceName(policys) = %q; want the example's type", got)
	}
	if got := resourceName("gadgets", "list", &Example{}); got != "gadget" {
		t.Errorf("resourceName(gadgets) = %q", got)
	}
	if got := resourceName("address", "get", &Example{}); got != "address" {
		t.Errorf("resourceName(address) for a get = %q", got)
	}
}

// TestDocsInSync is `make docs-check` inside go test: when the shared doc
// pages are beside the checkout, what they generate is what is committed.
func TestDocsInSync(t *testing.T) {
	docs := filepath.Join("..", "..", "..", "shared", "graph-docs")
	if _, err := os.Stat(docs); err != nil {
		t.Skipf("no doc pages at %s", docs)
	}
	inputs, err := Load([]string{filepath.Join(docs, "update-enrollmentconfigurationassignment.seed.md")}, []string{filepath.Join(docs, "v1.0")})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := Generate(inputs)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Render(ops)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		committed, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(f.Path)))
		if err != nil {
			t.Errorf("%s is generated but not committed: %v", f.Path, err)
			continue
		}
		if !bytes.Equal(committed, f.Data) {
			t.Errorf("%s differs from what the doc pages generate (graphconform gen rewrites it):\n%s", f.Path, lineDiff(string(f.Data), string(committed)))
		}
	}
}
