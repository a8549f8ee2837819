package graphmock

import (
	"encoding/json"
	"sync"
	"unicode/utf8"

	"github.com/graphconform/graphconform/internal/schema"
)

// parseObject decodes the bodies clients actually send (a JSON object whose strings have no escapes
// and are valid UTF-8, nested at most maxParseDepth deep) into exactly what decodeObject makes of them
// with encoding/json (json.Number numbers, last duplicate member wins, empty arrays non-nil), at a
// fraction of its cost: encoding/json was the largest share of a PATCH's CPU once validation was
// cheap. Member names and values the model knows (property and type names) are shared, not
// allocated. ok=false for anything else, valid or not: decodeObject then decides, and words the error
// as it always has. FuzzParseObject and TestParseObject hold the two to the same results.
func parseObject(body []byte) (map[string]any, bool) {
	p := parser{b: body}
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return nil, false
	}
	v, ok := p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	if p.i != len(p.b) {
		return nil, false
	}
	return v.(map[string]any), true
}

const maxParseDepth = 64

type parser struct {
	b []byte
	i int
}

func (p *parser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (any, bool) {
	if p.i >= len(p.b) || depth > maxParseDepth {
		return nil, false
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.string()
		return s, ok
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	}
	return nil, false
}

func (p *parser) object(depth int) (any, bool) {
	p.i++ // {
	m := make(map[string]any)
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, false
		}
		key, ok := p.string()
		if !ok {
			return nil, false
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.space()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		m[key] = v
		if more, ok := p.next('}'); !ok {
			return nil, false
		} else if !more {
			return m, true
		}
	}
}

func (p *parser) array(depth int) (any, bool) {
	p.i++ // [
	a := make([]any, 0)
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return a, true
	}
	for {
		p.space()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		if more, ok := p.next(']'); !ok {
			return nil, false
		} else if !more {
			return a, true
		}
	}
}

// next reads what follows a member or an element: a comma (more follow) or close, which ends the
// object or array. ok is false on anything else.
func (p *parser) next(close byte) (more, ok bool) {
	p.space()
	if p.i >= len(p.b) {
		return false, false
	}
	switch p.b[p.i] {
	case ',':
		p.i++
		return true, true
	case close:
		p.i++
		return false, true
	}
	return false, false
}

// string reads a string without escapes, in valid UTF-8.
func (p *parser) string() (string, bool) {
	start := p.i + 1
	ascii := true
	for j := start; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '"':
			raw := p.b[start:j]
			if !ascii && !utf8.Valid(raw) {
				return "", false
			}
			p.i = j + 1
			if s, ok := knownStrings()[string(raw)]; ok { // no allocation for the lookup
				return s, true
			}
			return string(raw), true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

func (p *parser) literal(word string) bool {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// number reads a JSON number literal: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
func (p *parser) number() (any, bool) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.b[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.b) && p.b[p.i] == '0':
		p.i++
	case digits() == 0:
		return nil, false
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, false
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	return json.Number(p.b[start:p.i]), true
}

// knownStrings are the member names and values a body of this family is made of (property names,
// type names with and without '#', enum members), shared instead of allocated per request.
var knownStrings = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	add := func(s string) { out[s] = s }
	for _, s := range []string{"@odata.type", "id", "target", "source", "sourceId", "groupId", "collectionId",
		"deviceAndAppManagementAssignmentFilterId", "deviceAndAppManagementAssignmentFilterType",
		"direct", "policySets", "none", "include", "exclude", "displayName", "description", "priority", "limit",
		typeNameAssignment, "#" + typeNameAssignment} {
		add(s)
	}
	for _, version := range []string{"v1.0", "beta"} {
		for _, t := range append(schema.TargetTypes(version), schema.ConfigurationTypes(version)...) {
			add(t)
			add("#" + t)
		}
	}
	return out
})
