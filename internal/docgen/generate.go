package docgen

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"text/template"

	"github.com/graphconform/graphconform/fixtures"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").ParseFS(templateFS, "templates/*.tmpl"))

// File is one generated file, its path relative to the output directory
// ("features/<resource>/<operation>.feature", "fixtures/<resource>/<operation>/meta.json").
type File struct {
	Path string
	Data []byte
}

// Fixture is "<resource>/<operation>", the name scenarios use.
func (op *Operation) Fixture() string { return op.Resource + "/" + op.Name }

// ID is the requirement id with number n: ECA-UPDATE-001.
func (op *Operation) ID(n int) string {
	return fmt.Sprintf("%s-%s-%03d", op.ReqPrefix, strings.ToUpper(op.Name), n)
}

// StatusText: "200 OK".
func (op *Operation) StatusText() string {
	return fmt.Sprintf("%d %s", op.Status, http.StatusText(op.Status))
}

// Short is how scenarios name the resource: "assignment" for the family's
// assignment (the words the hand-written update feature uses), else the
// resource's name in words.
func (op *Operation) Short() string {
	if op.Resource == "enrollmentConfigurationAssignment" {
		return "assignment"
	}
	return words(op.Resource)
}

// Summary is the feature's one-line description of the operation.
func (op *Operation) Summary() string {
	n := words(op.Resource)
	switch op.Kind {
	case "patch":
		if op.HasTarget {
			return fmt.Sprintf("updates the target of %s %s and answers with the updated %s.", article(n), n, op.Short())
		}
		return fmt.Sprintf("updates %s %s and answers with the updated %s.", article(n), n, op.Short())
	case "post":
		return fmt.Sprintf("creates %s %s and answers with the created %s.", article(n), n, op.Short())
	case "get":
		return fmt.Sprintf("reads one %s.", n)
	case "list":
		return fmt.Sprintf("lists the %s collection.", n)
	case "delete":
		return fmt.Sprintf("deletes %s %s.", article(n), n)
	}
	return ""
}

// Send is the step that sends the example request. A POST whose body has a
// displayName sends it under the run's own name, so that a sweep finds what
// it creates if the run dies before its cleanup.
func (op *Operation) Send() string {
	step := fmt.Sprintf("the client sends the example request %q", op.Fixture())
	var body map[string]any
	if op.Method == http.MethodPost && json.Unmarshal(op.Request, &body) == nil {
		if _, ok := body["displayName"].(string); ok {
			step += " with a displayName naming the run"
		}
	}
	return step
}

// HasPlaceholder reports whether the path holds the placeholder.
func (op *Operation) HasPlaceholder(p string) bool { return slices.Contains(op.Placeholders, p) }

// Creates reports whether a POST answers with a new entity (an id in the
// example response); a POST that does not (an action) gets the example and
// status checks only.
func (op *Operation) Creates() bool {
	if op.Kind != "post" || len(op.Response) == 0 {
		return false
	}
	var body map[string]any
	if json.Unmarshal(op.Response, &body) != nil {
		return false
	}
	if inner, ok := body["value"].(map[string]any); ok && op.Entity == "/value" {
		body = inner
	}
	id, ok := body["id"].(string)
	return ok && id != ""
}

// Parents reports whether the path names resources that must exist first.
func (op *Operation) Parents() bool { return len(op.Placeholders) > 0 }

// Files renders the operation's fixtures and feature.
func (op *Operation) Files() ([]File, error) {
	dir := path.Join("fixtures", op.Resource, op.Name)
	var files []File
	meta, err := op.Meta().Marshal()
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: path.Join(dir, "meta.json"), Data: meta})
	if len(op.Request) > 0 {
		files = append(files, File{Path: path.Join(dir, "request.json"), Data: op.Request})
	}
	if len(op.Response) > 0 {
		files = append(files, File{Path: path.Join(dir, "response.json"), Data: op.Response})
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, op.Kind+".feature.tmpl", op); err != nil {
		return nil, fmt.Errorf("%s: render feature: %w", op.Source, err)
	}
	feature := bytes.TrimRight(buf.Bytes(), "\n")
	files = append(files, File{Path: path.Join("features", op.Resource, op.Name+".feature"), Data: append(feature, '\n')})
	return files, nil
}

// Meta is the operation's meta.json (fixtures.Meta, one type for writing and reading it).
func (op *Operation) Meta() fixtures.Meta {
	headers := map[string]string{}
	for _, h := range op.Headers {
		if prev, ok := headers[h.Name]; ok {
			h.Value = prev + ", " + h.Value // a repeated field is one list (RFC 9110, section 5.3)
		}
		headers[h.Name] = h.Value
	}
	return fixtures.Meta{
		Source: op.Source, Resource: op.Resource, Operation: op.Name,
		Method: op.Method, Path: op.Path, Version: op.Version,
		RequestHeaders: headers, Status: op.Status, Truncated: op.Truncated,
		Entity: op.Entity, ProvisionType: op.ProvisionType, Scopes: op.Scopes,
	}
}

// Page is one input of Generate.
type Input struct {
	Name string // file name used in messages and recorded as the source
	Src  []byte
}

// Generate parses every page and plans its operation. Pages of one family are
// generated together so that a page whose permissions are still a
// placeholder borrows the write scopes its published siblings list.
// Errors of all pages are returned together.
func Generate(inputs []Input) ([]*Operation, error) {
	var ops []*Operation
	var errs ErrorList
	pages := map[*Operation]*Page{}
	for _, in := range inputs {
		p, err := Parse(in.Name, in.Src)
		if err == nil {
			var op *Operation
			if op, err = Plan(p, path.Base(in.Name)); err == nil {
				ops = append(ops, op)
				pages[op] = p
				continue
			}
		}
		var list ErrorList
		if l, ok := err.(ErrorList); ok {
			list = l
		} else {
			list = ErrorList{{Page: in.Name, Line: 1, Msg: err.Error()}}
		}
		errs = append(errs, list...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	seen := map[string]string{}
	for _, op := range ops {
		if prev, dup := seen[op.Fixture()]; dup {
			return nil, ErrorList{{Page: op.Source, Line: 1, Msg: fmt.Sprintf("generates %s, as %s does", op.Fixture(), prev)}}
		}
		seen[op.Fixture()] = op.Source
		borrowScopes(op, pages[op], ops)
	}
	return ops, nil
}

// borrowScopes: an early page says "TODO: Determine scopes"; a write
// operation then requires what the published write operations of the same
// resource require.
func borrowScopes(op *Operation, p *Page, ops []*Operation) {
	undetermined := false
	for _, perm := range p.Permissions {
		undetermined = undetermined || perm.Undetermined
	}
	if !undetermined || len(op.Scopes.Delegated)+len(op.Scopes.Application) > 0 || op.Method == http.MethodGet {
		return
	}
	for _, sib := range ops {
		if sib == op || sib.Resource != op.Resource || sib.Method == http.MethodGet || len(sib.Scopes.Application) == 0 {
			continue
		}
		op.Scopes.Delegated, op.Scopes.Application = sib.Scopes.Delegated, sib.Scopes.Application
		op.Scopes.Note = fmt.Sprintf("the page says TODO; these are the write scopes the published %s pages of the same family list", sib.Version)
		return
	}
	op.Scopes.Note = "the page says TODO and no published page of the same family was generated with it"
}

// IsMethodPage reports whether a page documents an operation: its front
// matter says doc_type apiPageType. Resource pages (resourcePageType) and
// concept pages are not generated from.
func IsMethodPage(src []byte) bool {
	lines := splitLines(string(src[:min(len(src), 8192)]))
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return false
	}
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "---" {
			return false
		}
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "doc_type" {
			return strings.Trim(strings.TrimSpace(v), `"'`) == "apiPageType"
		}
	}
	return false
}
