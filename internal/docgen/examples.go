package docgen

import (
	"encoding/json"
	"mime"
	"strconv"
	"strings"
)

var methods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true,
}

// isOperationSection reports whether a heading names the section holding the
// operation's request line(s) ("HTTP request").
func isOperationSection(s string) bool { return s == "http request" }

// classify decides each block's kind, from its annotation or, when it has
// none, from its content, and parses requests and responses.
func (p *parser) classify() {
	for _, b := range p.page.Blocks {
		if isOperationSection(b.section) && (b.Annotation == nil || b.Annotation.BlockType != "request") {
			p.operation(b)
			continue
		}
		kind := KindOther
		if b.Annotation != nil {
			switch strings.ToLower(b.Annotation.BlockType) {
			case "request":
				kind = KindRequest
			case "response":
				kind = KindResponse
			}
		} else if b.Lang == "http" || b.Lang == "" {
			kind = inferKind(b.Content)
			b.Inferred = kind != KindOther
		}
		b.Kind = kind
		switch kind {
		case KindRequest:
			b.request = p.request(b)
			if b.request == nil {
				b.Kind = KindOther
			}
		case KindResponse:
			b.response = p.response(b)
			if b.response == nil {
				b.Kind = KindOther
			}
		}
	}
}

// inferKind looks at the first non-blank line of an unannotated http block.
func inferKind(content string) Kind {
	for _, l := range strings.Split(content, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if strings.HasPrefix(strings.ToUpper(l), "HTTP/") {
			return KindResponse
		}
		if m, _, ok := strings.Cut(l, " "); ok && methods[strings.ToUpper(m)] {
			return KindRequest
		}
		return KindOther
	}
	return KindOther
}

// operation reads the request line(s) of the "HTTP request" section.
func (p *parser) operation(b *Block) {
	for k, l := range strings.Split(b.Content, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if rl, ok := requestLine(l); ok {
			rl.Line = b.ContentLine + k
			p.page.Operations = append(p.page.Operations, rl)
		}
	}
}

// requestLine splits "METHOD target [HTTP/1.1]". The target may hold spaces
// (OData query options are often written unencoded).
func requestLine(l string) (RequestLine, bool) {
	m, rest, ok := strings.Cut(strings.TrimSpace(l), " ")
	if !ok || !methods[strings.ToUpper(m)] {
		return RequestLine{}, false
	}
	rest = strings.TrimSpace(rest)
	if k := strings.LastIndex(rest, " "); k >= 0 && strings.HasPrefix(strings.ToUpper(rest[k+1:]), "HTTP/") {
		rest = strings.TrimSpace(rest[:k])
	}
	if rest == "" {
		return RequestLine{}, false
	}
	return RequestLine{Method: strings.ToUpper(m), Target: rest}, true
}

// message splits an http block into its first line, headers and body.
type message struct {
	first     string
	firstLine int
	headers   []Header
	body      string
	bodyLine  int
}

func (p *parser) split(b *Block, bodyOnly bool) message {
	lines := strings.Split(b.Content, "\n")
	var m message
	k := 0
	for k < len(lines) && strings.TrimSpace(lines[k]) == "" {
		k++
	}
	if !bodyOnly && k < len(lines) {
		m.first = strings.TrimSpace(lines[k])
		m.firstLine = b.ContentLine + k
		k++
		for ; k < len(lines); k++ {
			t := strings.TrimSpace(lines[k])
			if t == "" {
				k++
				break
			}
			name, value, ok := strings.Cut(t, ":")
			if !ok || !isToken(name) {
				p.warnf(b.ContentLine+k, "no blank line between headers and body")
				break
			}
			m.headers = append(m.headers, Header{Name: name, Value: strings.TrimSpace(value), Line: b.ContentLine + k})
		}
	}
	for k < len(lines) && strings.TrimSpace(lines[k]) == "" {
		k++
	}
	end := len(lines)
	for end > k && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	if k < end {
		m.body = strings.Join(lines[k:end], "\n")
		m.bodyLine = b.ContentLine + k
	}
	return m
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 127 || r <= ' ' || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) {
			return false
		}
	}
	return true
}

func (p *parser) request(b *Block) *Request {
	m := p.split(b, false)
	if m.first == "" {
		p.errorf(b.Line, "request block is empty")
		return nil
	}
	rl, ok := requestLine(m.first)
	if !ok {
		p.errorf(m.firstLine, "request without a method: %q does not start with GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS followed by a URL", clip(m.first))
		return nil
	}
	r := &Request{Line: m.firstLine, Method: rl.Method, URL: rl.Target, Headers: m.headers,
		Body: m.body, BodyLine: m.bodyLine, Annotation: b.Annotation, Block: b}
	if f := strings.Fields(m.first); len(f) > 2 && strings.HasPrefix(strings.ToUpper(f[len(f)-1]), "HTTP/") {
		r.Proto = f[len(f)-1]
	}
	p.checkBody(r.Headers, r.Body, r.BodyLine)
	return r
}

func (p *parser) response(b *Block) *Response {
	bodyOnly := b.Lang != "http" && b.Lang != ""
	if !bodyOnly && inferKind(b.Content) != KindResponse {
		// an annotated response shown as a bare body in an http fence
		if t := strings.TrimSpace(b.Content); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			bodyOnly = true
		}
	}
	m := p.split(b, bodyOnly)
	r := &Response{Line: b.Line, Headers: m.headers, Body: m.body, BodyLine: m.bodyLine, Annotation: b.Annotation, Block: b}
	if !bodyOnly {
		if m.first == "" {
			p.errorf(b.Line, "response block is empty")
			return nil
		}
		r.Line = m.firstLine
		f := strings.Fields(m.first)
		if len(f) < 2 || !strings.HasPrefix(strings.ToUpper(f[0]), "HTTP/") {
			p.errorf(m.firstLine, "response status line %q: want \"HTTP/1.1 <status> <reason>\"", clip(m.first))
			return nil
		}
		st, err := strconv.Atoi(f[1])
		if err != nil || st < 100 || st > 599 {
			p.errorf(m.firstLine, "response status %q is not an HTTP status code", clip(f[1]))
			return nil
		}
		r.Status = st
		r.Reason = strings.Join(f[2:], " ")
	}
	if (r.Status == 204 || r.Status == 304) && r.Body != "" {
		p.warnf(r.BodyLine, "a %d response has no body; the body shown is kept but never expected", r.Status)
	}
	p.checkBody(r.Headers, r.Body, r.BodyLine)
	return r
}

// checkBody requires a JSON body unless the headers declare another media
// type. A Content-Length that does not match is tolerated: pages are edited
// by hand and the value is rarely kept in step.
func (p *parser) checkBody(hs []Header, body string, line int) {
	if body == "" {
		return
	}
	if ct, ok := header(hs, "Content-Type"); ok {
		if mt, _, err := mime.ParseMediaType(ct); err == nil && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			return
		}
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		l := line
		if jl, ok := jsonErrorLine([]byte(body), err); ok {
			l = line + jl - 1
		}
		p.errorf(l, "body is not JSON: %v", err)
		return
	}
	if cl, ok := header(hs, "Content-Length"); ok {
		if n, err := strconv.Atoi(cl); err == nil && n != len(body) {
			p.warnf(line, "Content-Length says %d; the body shown has %d bytes (ignored)", n, len(body))
		}
	}
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// pair builds the examples: a response pairs with the request its annotation
// names, else with the last request before it.
func (p *parser) pair() {
	byName := map[string]*Example{}
	var last *Example
	for _, b := range p.page.Blocks {
		switch {
		case b.request != nil:
			ex := &Example{Request: b.request}
			if b.Annotation != nil {
				ex.Name = b.Annotation.Name
			}
			p.page.Examples = append(p.page.Examples, ex)
			if ex.Name != "" {
				if _, dup := byName[ex.Name]; dup {
					p.warnf(b.Line, "a request named %q appears twice; responses naming it pair with the first", ex.Name)
				} else {
					byName[ex.Name] = ex
				}
			}
			last = ex
		case b.response != nil:
			ex := last
			if n := b.response.Annotation; n != nil && n.Name != "" {
				if named, ok := byName[n.Name]; ok {
					ex = named
				} else if last != nil {
					p.warnf(b.Line, "response names request %q, which the page does not define; paired with the request at line %d", n.Name, last.Request.Line)
				}
			}
			if ex == nil {
				// An unannotated block that merely reads like a response
				// (an illustration in prose) is not worth failing a page for.
				if b.Inferred {
					p.warnf(b.Line, "block reads like a response but no request comes before it; ignored")
					b.Kind = KindOther
				} else {
					p.errorf(b.Line, "response has no request before it")
				}
				continue
			}
			if ex.Response != nil {
				p.warnf(b.Line, "request at line %d already has a response; this one makes a second example", ex.Request.Line)
				cp := &Example{Name: ex.Name, Request: ex.Request}
				p.page.Examples = append(p.page.Examples, cp)
				ex = cp
			}
			ex.Response = b.response
		}
	}
	if len(p.page.Examples) == 0 && len(p.errs) == 0 {
		line := 1
		for _, h := range p.headings {
			if strings.HasPrefix(h.text, "example") {
				line = h.line
				break
			}
		}
		p.errorf(line, "page has no example request (no http block annotated as a request, and none that reads as one)")
	}
}
