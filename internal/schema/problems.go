package schema

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// problems flattens jsonschema's error tree into its deepest causes, one plain message per offending
// value, deduplicated and sorted by pointer. The tree's inner nodes ("allOf failed", "if-then failed",
// "doesn't validate with ...") only say where in the schema the cause sits, which no caller needs.
func (s *Set) problems(root *jsonschema.ValidationError, doc any, model string) []Problem {
	var leaves []*jsonschema.ValidationError
	var walk func(*jsonschema.ValidationError)
	walk = func(ve *jsonschema.ValidationError) {
		if len(ve.Causes) == 0 {
			leaves = append(leaves, ve)
			return
		}
		for _, c := range ve.Causes {
			walk(c)
		}
	}
	walk(root)

	r := report{model: model}
	for _, leaf := range leaves {
		kw := leaf.KeywordLocation[strings.LastIndexByte(leaf.KeywordLocation, '/')+1:]
		ptr := leaf.InstanceLocation
		switch kw {
		case "required":
			for _, name := range quotedNames(strings.TrimPrefix(leaf.Message, "missing properties: ")) {
				r.required(ptr, name)
			}
		case "additionalProperties":
			for _, name := range s.unknownNames(leaf, doc) {
				r.unknown(ptr, name)
			}
		case "type":
			got, want := leaf.Message, ""
			if i := strings.Index(got, ", but got "); i >= 0 {
				want, got = strings.TrimPrefix(got[:i], "expected "), got[i+len(", but got "):]
			}
			r.wrongType(ptr, got, want)
		case "enum":
			allowed, _ := s.schemaAt(leaf.AbsoluteKeywordLocation).([]any)
			r.enum(ptr, lookup(doc, ptr), allowed, leaf.Message)
		case "format":
			r.format(ptr, lookup(doc, ptr), formatOf(leaf.Message))
		case "minimum", "maximum":
			r.bound(ptr, kw, lookup(doc, ptr), s.schemaAt(leaf.AbsoluteKeywordLocation))
		case "minLength":
			r.minLength(ptr, lookup(doc, ptr), s.schemaAt(leaf.AbsoluteKeywordLocation))
		default:
			r.other(ptr, leaf.Message)
		}
	}
	return r.problems()
}

// report gathers the problems of one validation and words them, whichever engine found them (jsonschema's
// error tree above, or the compiled model in tree.go), so that both say exactly the same.
type report struct {
	model     string
	seen      map[Problem]bool
	typeWrong map[string]bool
	out       []Problem
}

func (r *report) add(p Problem) {
	if r.seen == nil {
		r.seen = map[Problem]bool{}
	}
	if !r.seen[p] {
		r.seen[p] = true
		r.out = append(r.out, p)
	}
}

func (r *report) required(ptr, name string) {
	r.add(Problem{Pointer: ptr, Message: fmt.Sprintf("missing required property %q", name)})
}

// unknown: ptr is the object's pointer, name the undeclared member.
func (r *report) unknown(ptr, name string) {
	r.add(Problem{Pointer: ptr + "/" + escapePointer(name), Message: unknownProperty(name, r.model)})
}

// wrongType: got and want are JSON Schema type names ("number"; "string or null").
func (r *report) wrongType(ptr, got, want string) {
	if r.typeWrong == nil {
		r.typeWrong = map[string]bool{}
	}
	r.typeWrong[ptr] = true
	r.add(Problem{Pointer: ptr, Message: fmt.Sprintf("%s: got %s; want %s", subject(ptr), got, want)})
}

// enum: allowed is the schema's enum; fallback is said when it is unknown.
func (r *report) enum(ptr string, got any, allowed []any, fallback string) {
	r.add(Problem{Pointer: ptr, Message: enumMessage(ptr, got, allowed, fallback)})
}

func (r *report) format(ptr string, got any, format string) {
	r.add(Problem{Pointer: ptr, Message: fmt.Sprintf("%s: got %s; want a valid %s", subject(ptr), render(got), format)})
}

// bound: kw is "minimum" or "maximum"; limit the schema's value.
func (r *report) bound(ptr, kw string, got, limit any) {
	op := ">="
	if kw == "maximum" {
		op = "<="
	}
	r.add(Problem{Pointer: ptr, Message: fmt.Sprintf("%s: got %s; want %s %s", subject(ptr), render(got), op, render(limit))})
}

func (r *report) minLength(ptr string, got, limit any) {
	r.add(Problem{Pointer: ptr, Message: fmt.Sprintf("%s: got %s; want at least %s characters",
		subject(ptr), render(got), render(limit))})
}

// other: msg is jsonschema's own wording of the failed keyword.
func (r *report) other(ptr, msg string) {
	r.add(Problem{Pointer: ptr, Message: fmt.Sprintf("%s: %s", subject(ptr), msg)})
}

// problems returns what was gathered, sorted by pointer. A value of the wrong JSON type fails other
// keywords too; its type is the one thing worth saying.
func (r *report) problems() []Problem {
	kept := r.out[:0]
	for _, p := range r.out {
		if r.typeWrong[p.Pointer] && !strings.Contains(p.Message, ": got ") {
			continue
		}
		kept = append(kept, p)
	}
	sort.SliceStable(kept, func(i, j int) bool {
		if kept[i].Pointer != kept[j].Pointer {
			return kept[i].Pointer < kept[j].Pointer
		}
		return kept[i].Message < kept[j].Message
	})
	return kept
}

// unknownNames lists the members of the object at the leaf's instance location that its schema neither
// declares in "properties" nor matches by "patternProperties". Working it out from the schema, rather
// than parsing jsonschema's message, keeps odd names ("a, b", quotes) intact.
func (s *Set) unknownNames(leaf *jsonschema.ValidationError, doc any) []string {
	instance, _ := lookup(doc, leaf.InstanceLocation).(map[string]any)
	parent, _ := s.schemaAt(strings.TrimSuffix(leaf.AbsoluteKeywordLocation, "/additionalProperties")).(map[string]any)
	declared, _ := parent["properties"].(map[string]any)
	patterns, _ := parent["patternProperties"].(map[string]any)
	var out []string
	for name := range instance {
		if _, ok := declared[name]; ok {
			continue
		}
		matched := false
		for pat := range patterns {
			if re, err := s.compilePattern(pat); err == nil && re.MatchString(name) {
				matched = true
			}
		}
		if !matched {
			out = append(out, name)
		}
	}
	if len(out) == 0 { // the schema could not be read back: fall back on the library's message
		return quotedNames(strings.TrimSuffix(strings.TrimPrefix(leaf.Message, "additionalProperties "), " not allowed"))
	}
	sort.Strings(out)
	return out
}

func (s *Set) compilePattern(p string) (*regexp.Regexp, error) {
	if re, ok := s.patterns.Load(p); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	s.patterns.Store(p, re)
	return re, nil
}

// subject names the value a pointer designates: its property, an array item, or the document.
func subject(ptr string) string {
	if ptr == "" {
		return "the document"
	}
	i := strings.LastIndexByte(ptr, '/')
	last := unescapePointer(ptr[i+1:])
	if _, err := strconv.Atoi(last); err == nil && i > 0 {
		parent := ptr[:i]
		return fmt.Sprintf("item %s of property %q", last, unescapePointer(parent[strings.LastIndexByte(parent, '/')+1:]))
	}
	return fmt.Sprintf("property %q", last)
}

func unknownProperty(name, model string) string {
	msg := fmt.Sprintf("unknown property %q", name)
	if model == modelV1 && betaOnly()[name] {
		msg += " (defined in the beta model only)"
	}
	return msg
}

// betaOnly is the set of property names the beta model defines and v1.0 does not, for a hint when a v1.0
// request carries one.
var betaOnly = sync.OnceValue(func() map[string]bool {
	names := func(model string) map[string]bool {
		set := map[string]bool{}
		var all []typeDef
		all = append(all, targetFamily(model)...)
		all = append(all, configurationFamily(model)...)
		all = append(all, assignmentType(model), platformRestrictionType(model))
		for _, t := range all {
			for _, p := range t.props {
				set[p.name] = true
			}
		}
		return set
	}
	v1, beta := names(modelV1), names(modelBeta)
	out := map[string]bool{}
	for n := range beta {
		if !v1[n] {
			out[n] = true
		}
	}
	return out
})

// special lists the type names an @odata.type enum may reject for a reason worth naming: abstract types
// (not creatable) and types only newer doc pages show, each with the names of its family, so the reason
// is given only where the type belongs (an abstract configuration type in a target is just unknown).
type specialType struct {
	reason string
	family map[string]bool
}

var special = sync.OnceValue(func() map[string]specialType {
	out := map[string]specialType{}
	for _, m := range models {
		for _, family := range [][]typeDef{targetFamily(m), configurationFamily(m)} {
			names := map[string]bool{}
			for _, t := range family {
				names[namespace+t.name] = true
			}
			for _, t := range family {
				switch {
				case t.abstract:
					out[namespace+t.name] = specialType{"abstract", names}
				case t.newerDocsOnly:
					out[namespace+t.name] = specialType{"newerDocsOnly", names}
				}
			}
		}
	}
	return out
})

// enumMessage words an enum failure; allowed is the schema's enum, fallback the library's message for
// when it is unknown.
func enumMessage(ptr string, got any, allowed []any, fallback string) string {
	if strings.HasSuffix(ptr, "/@odata.type") {
		var names []string
		seen := map[string]bool{}
		for _, a := range allowed {
			if n, ok := a.(string); ok && !seen[NormalizeType(n)] {
				seen[NormalizeType(n)] = true
				names = append(names, NormalizeType(n))
			}
		}
		what := "unknown type " + render(got)
		if str, ok := got.(string); ok && len(names) > 0 && special()[NormalizeType(str)].family[names[0]] {
			switch special()[NormalizeType(str)].reason {
			case "abstract":
				what = "type " + render(got) + " is abstract"
			case "newerDocsOnly":
				what = "unknown type " + render(got) + " (newer doc pages show it; the metadata does not define it)"
			}
		}
		return fmt.Sprintf("%s: %s; want one of %s (with or without a leading '#')",
			subject(ptr), what, strings.Join(names, ", "))
	}
	var vals []string
	for _, a := range allowed {
		vals = append(vals, render(a))
	}
	if len(vals) == 0 {
		return fmt.Sprintf("%s: %s", subject(ptr), fallback)
	}
	return fmt.Sprintf("%s: got %s; want one of %s", subject(ptr), render(got), strings.Join(vals, ", "))
}

// schemaAt returns the raw schema value at an absolute keyword location ("embed:///x.json#/a/b").
func (s *Set) schemaAt(loc string) any {
	u, frag, _ := strings.Cut(loc, "#")
	return lookup(s.raw[u], frag)
}

// lookup resolves a JSON pointer in a decoded JSON value; nil when it does not resolve.
func lookup(v any, ptr string) any {
	if ptr == "" {
		return v
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = unescapePointer(tok)
		switch t := v.(type) {
		case map[string]any:
			v = t[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

func render(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

// formatOf extracts the format name from jsonschema's `"x" is not valid 'date-time'`.
func formatOf(msg string) string {
	i := strings.LastIndex(msg, "is not valid ")
	if i < 0 {
		return "value"
	}
	return strings.Trim(msg[i+len("is not valid "):], "'")
}

// quotedNames parses jsonschema's list of single-quoted names: `'a', 'b'`.
func quotedNames(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ", ") {
		part = strings.TrimSpace(part)
		if len(part) >= 2 && part[0] == '\'' && part[len(part)-1] == '\'' {
			part = strings.ReplaceAll(part[1:len(part)-1], `\'`, `'`)
		}
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}
