// Package docgen reads Microsoft Graph API reference pages (the markdown of
// microsoft-graph-docs) and turns their examples into fixtures and Gherkin
// features for the conformance suite.
//
// Example blocks are found the way Graph's own doc tooling (ApiDoctor) finds
// them: an HTML comment holding a JSON annotation followed by a fenced http or
// json block. When the annotation is missing, the block's kind is inferred
// from its content.
package docgen

// Page is everything the generator needs from one method page.
type Page struct {
	Name        string  // how the page is named in messages (usually its path)
	FrontMatter []Field // in page order
	Title       string  // the first level-1 heading
	TitleLine   int

	Permissions    []Permission
	RequestHeaders []Header
	// Operations are the lines of the "HTTP request" section: the operation's
	// method and path template(s), without host or version.
	Operations []RequestLine
	Properties []Property // the request body's properties table

	// SuccessStatus is the status the "Response" section documents
	// ("returns a `201 Created` response code"); 0 when the page states none.
	SuccessStatus     int
	SuccessStatusLine int

	Blocks   []*Block   // every fenced code block, annotated or not
	Examples []*Example // request/response pairs, in page order
	Warnings []Warning
}

// Field is one front-matter entry.
type Field struct {
	Key, Value string
	Line       int
}

// Meta returns the front-matter value for key, or "".
func (p *Page) Meta(key string) string {
	for _, f := range p.FrontMatter {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// Permission is one row of the permissions table.
type Permission struct {
	Type   string   // "Application", "Delegated (work or school account)", ...
	Scopes []string // empty when not supported or not yet determined
	// Undetermined: the page holds a placeholder ("TODO: Determine scopes")
	// instead of scopes.
	Undetermined bool
	Line         int
}

// Header is a header name and value, from a table or an http block.
type Header struct {
	Name, Value string
	Line        int
}

// Property is one row of the request body's properties table.
type Property struct {
	Name, Type string
	Line       int
}

// RequestLine is "METHOD target" as the page writes it.
type RequestLine struct {
	Method string
	Target string // URL or path, placeholders kept as written
	Line   int
}

// Kind is what a fenced block holds.
type Kind string

const (
	KindRequest  Kind = "request"
	KindResponse Kind = "response"
	KindOther    Kind = "other" // resources, ignored blocks, snippets, ...
)

// Block is one fenced code block.
type Block struct {
	Line        int    // line of the opening fence
	Lang        string // info string, lower-cased ("http", "json", ...)
	Content     string // the lines between the fences
	ContentLine int    // line of the first content line
	Annotation  *Annotation
	Kind        Kind
	Inferred    bool // Kind came from the content, not from an annotation

	section  string // heading the block sits under (lower-cased)
	request  *Request
	response *Response
}

// Example is one example request and the response paired with it.
type Example struct {
	Name     string // the request's annotation name, if any
	Request  *Request
	Response *Response // nil when the page shows none
}

// Request is an example request.
type Request struct {
	Line       int // line of the request line
	Method     string
	URL        string // as written, {placeholders} kept
	Proto      string // "HTTP/1.1" when written, else ""
	Headers    []Header
	Body       string // exactly as shown; "" when none
	BodyLine   int
	Annotation *Annotation
	Block      *Block
}

// Response is an example response.
type Response struct {
	Line       int // line of the status line (or of the block for bare json)
	Status     int // 0 when the block shows a body only
	Reason     string
	Headers    []Header
	Body       string
	BodyLine   int
	Annotation *Annotation
	Block      *Block
}

// Truncated reports whether the page marks the response as abridged: its
// properties are a subset of what a real service returns.
func (r *Response) Truncated() bool {
	return r != nil && r.Annotation != nil && bool(r.Annotation.Truncated)
}

// Header returns the value of the named header (case-insensitive), or "".
func header(hs []Header, name string) (string, bool) {
	for _, h := range hs {
		if equalFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// Header returns the value of the named request header.
func (r *Request) Header(name string) string { v, _ := header(r.Headers, name); return v }

// Header returns the value of the named response header.
func (r *Response) Header(name string) string { v, _ := header(r.Headers, name); return v }
