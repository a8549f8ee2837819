package docgen

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"unicode"

	"github.com/graphconform/graphconform/fixtures"
	"github.com/graphconform/graphconform/internal/schema"
)

// Operation is what the generator writes for one page: the decisions taken
// from the page, ready for the templates.
type Operation struct {
	Source    string // the page's file name, recorded in meta.json
	Title     string
	Resource  string // "enrollmentConfigurationAssignment"
	Name      string // "update", "get", "list", "create", "delete"
	Kind      string // template: "patch", "get", "list", "post", "delete"
	Method    string
	Path      string // template after the version segment
	Version   string // version segment of the example URL
	Status    int    // documented success status
	Truncated bool
	Headers   []Header // example request headers, canonical names, without Authorization and Content-Length
	Scopes    fixtures.Scopes
	Request   []byte // example request body as shown ("" when none)
	Response  []byte // example response body as shown
	// Entity is the JSON pointer of the entity inside Response ("" for the
	// body itself; "/value" for a wrapped one; "/value/0" in a collection).
	Entity string
	// ProvisionType replaces the example's @odata.type when the example
	// names a type no service can create (an abstract base).
	ProvisionType string
	Schema        string // response schema name; "" when the suite has none
	ReqPrefix     string // "ECA"
	Placeholders  []string
	HasTarget     bool // the body has an assignment target (the target outline applies)
	Quirks        []string
	Warnings      []Warning
}

// Plan decides what to generate for a parsed page.
func Plan(p *Page, source string) (*Operation, error) {
	op := &Operation{Source: source, Title: p.Title, Warnings: p.Warnings}
	ex := contractExample(p)
	req := ex.Request
	u := SplitURL(req.URL)
	op.Method, op.Version, op.Path = req.Method, cmp.Or(u.Version, "v1.0"), u.Path
	op.Placeholders = placeholders(op.Path)
	if op.Kind = kindOf(op.Method, ex, op.Path); op.Kind == "" {
		return nil, pageError(p, req.Line, "no template for %s operations", op.Method)
	}
	if err := op.nameFrom(p, ex); err != nil {
		return nil, err
	}
	if err := op.statusFrom(p, ex); err != nil {
		return nil, err
	}
	op.Truncated = ex.Response.Truncated()
	for _, h := range req.Headers {
		if n := textproto.CanonicalMIMEHeaderKey(h.Name); n != "Authorization" && n != "Content-Length" {
			op.Headers = append(op.Headers, Header{Name: n, Value: h.Value})
		}
	}
	op.Scopes = scopesOf(p)
	if err := op.bodiesFrom(p, ex); err != nil {
		return nil, err
	}
	for _, prop := range p.Properties {
		if prop.Name == "target" && strings.Contains(prop.Type, "AssignmentTarget") {
			op.HasTarget = true
		}
	}
	op.Schema = schemaFor(op)
	return op, nil
}

func pageError(p *Page, line int, format string, args ...any) error {
	return ErrorList{{Page: p.Name, Line: line, Msg: fmt.Sprintf(format, args...)}}
}

// contractExample is the page's first success example whose method is the
// operation's: a page may also show error examples (expectError, a 4xx),
// which are not the operation's contract.
func contractExample(p *Page) *Example {
	for _, e := range p.Examples {
		if len(p.Operations) > 0 && e.Request.Method != p.Operations[0].Method {
			continue
		}
		if r := e.Response; r != nil && (r.Status >= 400 || r.Annotation != nil && bool(r.Annotation.ExpectError)) {
			continue
		}
		return e
	}
	return p.Examples[0]
}

// kindOf names the template for the method ("" when there is none).
func kindOf(method string, ex *Example, path string) string {
	switch method {
	case http.MethodPatch:
		return "patch"
	case http.MethodPost:
		return "post"
	case http.MethodDelete:
		return "delete"
	case http.MethodGet:
		if isCollection(ex, path) {
			return "list"
		}
		return "get"
	}
	return ""
}

// nameFrom names the operation and the resource. The title names them
// ("Create enrollmentConfigurationAssignment"); a title of another shape
// ("user: assignLicense", "Get a user's photo") names them through the
// example entity's type or the path's last collection instead.
func (op *Operation) nameFrom(p *Page, ex *Example) error {
	title, titleLine := p.Title, p.TitleLine
	if title == "" {
		title = p.Meta("title")
		for _, f := range p.FrontMatter {
			if f.Key == "title" {
				titleLine = f.Line
			}
		}
		op.Title = title
	}
	verb, noun, _ := strings.Cut(strings.TrimSpace(title), " ")
	noun = strings.TrimSpace(noun)
	if knownVerbs[strings.ToLower(verb)] && noun != "" && !strings.ContainsAny(noun, " \t") {
		op.Name = strings.ToLower(verb)
		op.Resource = resourceName(noun, op.Kind, ex)
	} else {
		op.Name = kindNames[op.Kind]
		op.Resource = resourceFromExample(ex, op.Path)
		if op.Resource == "" {
			return pageError(p, max(titleLine, 1), "title %q names no resource, and neither does the example: want \"<Verb> <resourceName>\"", title)
		}
	}
	// The names become directories and step arguments: letters and digits only.
	if !isName(op.Resource) || !isName(op.Name) {
		return pageError(p, max(titleLine, 1), "resource %q and operation %q must be letters and digits (they name directories)", op.Resource, op.Name)
	}
	op.ReqPrefix = initials(op.Resource)
	return nil
}

// statusFrom takes the documented success status, else the example's; a
// disagreement is a warning and the documented status wins.
func (op *Operation) statusFrom(p *Page, ex *Example) error {
	op.Status = p.SuccessStatus
	if ex.Response != nil && ex.Response.Status != 0 {
		if op.Status == 0 {
			op.Status = ex.Response.Status
		} else if op.Status != ex.Response.Status {
			op.Warnings = append(op.Warnings, Warning{Line: ex.Response.Line, Msg: fmt.Sprintf(
				"the example answers %d, the page documents %d; the documented status is expected", ex.Response.Status, op.Status)})
		}
	}
	if op.Status == 0 {
		return pageError(p, ex.Request.Line, "the page documents no success status and shows no response status")
	}
	return nil
}

// bodiesFrom takes the example's request and response bodies, and finds the
// entity in the response.
func (op *Operation) bodiesFrom(p *Page, ex *Example) error {
	if ex.Request.Body != "" {
		op.Request = []byte(ex.Request.Body + "\n")
	}
	r := ex.Response
	if r == nil {
		return nil
	}
	if r.Body != "" && op.Status != http.StatusNoContent {
		op.Response = []byte(r.Body + "\n")
		if err := op.findEntity(r); err != nil {
			return pageError(p, r.BodyLine, "%v", err)
		}
	}
	if r.Annotation != nil {
		if t := r.Annotation.ODataType; strings.HasPrefix(t, "Edm.") {
			op.Quirks = append(op.Quirks, fmt.Sprintf(
				"the example response's annotation gives @odata.type %q, a primitive type; the body is %s %s, which is what the scenarios check",
				t, article(op.Resource), op.Resource))
		}
	}
	return nil
}

var knownVerbs = map[string]bool{"get": true, "list": true, "create": true, "update": true, "delete": true}

var kindNames = map[string]string{"patch": "update", "post": "create", "get": "get", "list": "list", "delete": "delete"}

// resourceFromExample names the resource by the example entity's
// @odata.type, else by the path's last collection segment, made singular.
func resourceFromExample(ex *Example, path string) string {
	if r := ex.Response; r != nil {
		var body map[string]any
		if json.Unmarshal([]byte(r.Body), &body) == nil {
			if inner, ok := body["value"].(map[string]any); ok {
				body = inner
			} else if items, ok := body["value"].([]any); ok && len(items) > 0 {
				body, _ = items[0].(map[string]any)
			}
			if t, ok := body["@odata.type"].(string); ok && !strings.HasPrefix(t, "Edm.") {
				t = schema.NormalizeType(t)
				return t[strings.LastIndex(t, ".")+1:]
			}
		}
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if s := segs[i]; s != "" && !strings.HasPrefix(s, "{") {
			return strings.TrimSuffix(s, "s")
		}
	}
	return ""
}

// findEntity locates the entity in the example response and records the
// page's quirks about it.
func (op *Operation) findEntity(r *Response) error {
	var body any
	if err := json.Unmarshal(op.Response, &body); err != nil {
		return fmt.Errorf("response body: %v", err)
	}
	obj, _ := body.(map[string]any)
	switch op.Kind {
	case "list":
		items, ok := obj["value"].([]any)
		if !ok {
			return fmt.Errorf("the example response of a collection has no \"value\" array")
		}
		if len(items) > 0 {
			if _, ok := items[0].(map[string]any); ok {
				op.Entity = "/value/0"
			}
		}
	default:
		if inner, ok := obj["value"].(map[string]any); ok && len(obj) == 1 {
			// OData returns a single entity as the body itself (OData JSON
			// Format 4.01, section 10.5); a "value" wrapper is for collections
			// and primitives. The generated Intune pages wrap it anyway.
			op.Entity = "/value"
			op.Quirks = append(op.Quirks,
				`the example response wraps the entity in "value"; OData returns a single entity unwrapped, so the scenarios expect the entity itself and compare it with the example's "/value"`)
			obj = inner
		}
	}
	if op.Entity == "/value/0" {
		obj = obj["value"].([]any)[0].(map[string]any)
	}
	if t, ok := obj["@odata.type"].(string); ok && isConfiguration(op.Resource) {
		concrete := schema.ConfigurationTypes(op.Version)
		if !slices.Contains(concrete, schema.NormalizeType(t)) && len(concrete) > 0 {
			op.ProvisionType = "#" + concreteConfiguration(concrete)
			op.Quirks = append(op.Quirks, fmt.Sprintf(
				"the example entity's @odata.type %s is abstract in the metadata, so no service can return it; the scenarios create a %s with the example's other properties and expect that type",
				t, strings.TrimPrefix(op.ProvisionType, "#microsoft.graph.")))
		}
	}
	return nil
}

// concreteConfiguration picks the configuration type the suite provisions.
func concreteConfiguration(types []string) string {
	const limit = "microsoft.graph.deviceEnrollmentLimitConfiguration"
	if slices.Contains(types, limit) {
		return limit
	}
	return types[0]
}

func isConfiguration(resource string) bool {
	if resource == "deviceEnrollmentConfiguration" {
		return true
	}
	return slices.Contains(schema.ConfigurationTypes("v1.0"), "microsoft.graph."+resource) ||
		slices.Contains(schema.ConfigurationTypes("beta"), "microsoft.graph."+resource)
}

// schemaFor names the response schema of the suite for the operation.
func schemaFor(op *Operation) string {
	var name schema.Name
	switch {
	case op.Resource == "enrollmentConfigurationAssignment":
		name = schema.Assignment
		if op.Kind == "list" {
			name = schema.AssignmentCollection
		}
	case isConfiguration(op.Resource):
		name = schema.Configuration
		if op.Kind == "list" {
			name = schema.ConfigurationCollection
		}
	}
	return string(name)
}

// isCollection: a GET answers a collection when the page says so, when the
// example's "value" is an array, or when the path ends in a collection.
func isCollection(ex *Example, path string) bool {
	if r := ex.Response; r != nil {
		if r.Annotation != nil && bool(r.Annotation.IsCollection) {
			return true
		}
		var body map[string]json.RawMessage
		if json.Unmarshal([]byte(r.Body), &body) == nil {
			if v, ok := body["value"]; ok {
				return strings.HasPrefix(strings.TrimSpace(string(v)), "[")
			}
			if len(body) > 0 {
				return false
			}
		}
	}
	return !strings.HasSuffix(path, "}")
}

// resourceName is the title's noun; a list page's plural noun is made
// singular when the example entity's type or the noun itself says how.
func resourceName(noun, kind string, ex *Example) string {
	noun = strings.Trim(noun, "`*")
	if kind != "list" || !strings.HasSuffix(noun, "s") {
		return noun
	}
	if ex.Response != nil {
		var body struct {
			Value []struct {
				Type string `json:"@odata.type"`
			} `json:"value"`
		}
		if json.Unmarshal([]byte(ex.Response.Body), &body) == nil && len(body.Value) > 0 {
			t := schema.NormalizeType(body.Value[0].Type)
			if k := strings.LastIndex(t, "."); k >= 0 && strings.EqualFold(t[k+1:]+"s", noun) {
				return t[k+1:]
			}
		}
	}
	return strings.TrimSuffix(noun, "s")
}

func isName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// initials: enrollmentConfigurationAssignment -> ECA.
func initials(name string) string {
	var sb strings.Builder
	for i, r := range name {
		if i == 0 || unicode.IsUpper(r) {
			sb.WriteRune(unicode.ToUpper(r))
		}
	}
	return sb.String()
}

// words: enrollmentConfigurationAssignment -> "enrollment configuration assignment".
func words(name string) string {
	var sb strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) && i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteRune(unicode.ToLower(r))
	}
	return sb.String()
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an"
	}
	return "a"
}

func placeholders(path string) []string {
	var out []string
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, path[i:i+j+1])
		path = path[i+j+1:]
	}
}

// scopesOf reads the permissions table: the work-or-school delegated row and
// the application row.
func scopesOf(p *Page) fixtures.Scopes {
	var s fixtures.Scopes
	for _, perm := range p.Permissions {
		t := strings.ToLower(perm.Type)
		switch {
		case strings.HasPrefix(t, "delegated") && strings.Contains(t, "work"):
			s.Delegated = perm.Scopes
		case strings.HasPrefix(t, "application"):
			s.Application = perm.Scopes
		}
	}
	return s
}
