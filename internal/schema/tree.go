package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"
)

// The schemas of schemas/ are checked in process without a JSON Schema engine: the trees generate builds
// from the type model are compiled into nodes once per process, on first use, and a document is checked by
// walking them (walk.go). Only the keywords the generator emits are implemented, each with the semantics
// jsonschema/v5 gives it, and compiling refuses any other keyword, so a generator that grows a new one
// fails loudly instead of being half-checked. TestTreeMatchesEngine holds the two to the same verdicts and
// the same problems over the doc examples, the shape cases and a generated corpus.
//
// Why: the mock validates every request body. Compiling the files with jsonschema/v5 costs about 150 ms
// (most of it validating them against the draft 2020-12 meta-schema), and its validation allocates over
// a hundred objects per PATCH; the tree costs well under a millisecond to build and none on a valid body.

// node is one compiled schema.
type node struct {
	always *bool // a boolean schema: true accepts anything, false nothing

	types    []string // "type": JSON Schema type names
	typeWant string   // the names joined by " or ", as jsonschema words them

	hasEnum bool
	enum    []any

	format   string // "date-time" or "uuid"
	isFormat func(string) bool

	minimum, maximum *bound
	minLength        int // -1: none
	pattern          *regexp.Regexp
	patternMsg       string // jsonschema's wording of a pattern failure

	items *node

	required     []string
	props        map[string]prop
	patternProps []patternProp
	noAdditional bool // additionalProperties: false

	ref, not         *node
	cond, then, els_ *node // if, then, else
}

type prop struct {
	n   *node
	tok string // the member's name as a pointer token, escaped as jsonschema escapes it
}

type patternProp struct {
	re *regexp.Regexp
	n  *node
}

// bound is a minimum or maximum: the schema's value (for messages) and the integer it is.
type bound struct {
	value any
	n     int64
}

// trees holds each model's schemas compiled, by name, built on the first validation in that model:
// a mock that only sees v1.0 never builds beta's.
var trees = map[string]func() (map[Name]*node, error){
	modelV1:   sync.OnceValues(func() (map[Name]*node, error) { return compileTrees(modelV1) }),
	modelBeta: sync.OnceValues(func() (map[Name]*node, error) { return compileTrees(modelBeta) }),
}

func compileTrees(model string) (map[Name]*node, error) {
	c := treeCompiler{files: generateModel(model), nodes: map[string]*node{}, regexps: map[string]*regexp.Regexp{}}
	out := map[Name]*node{}
	for _, name := range Names() {
		n, err := c.resolve(file(model, name), "")
		if err != nil {
			return nil, err
		}
		out[name] = n
	}
	return out, nil
}

type treeCompiler struct {
	files   map[string]*obj  // the generated files by path
	nodes   map[string]*node // compiled schemas by file + "#" + fragment
	regexps map[string]*regexp.Regexp
}

// regexp compiles a pattern once: every request type shares the annotation pattern.
func (c *treeCompiler) regexp(p string) (*regexp.Regexp, error) {
	if re, ok := c.regexps[p]; ok {
		return re, nil
	}
	re, err := regexp.Compile(p)
	c.regexps[p] = re
	return re, err
}

// resolve compiles the schema at fragment ("" or "/$defs/name") of file, once.
func (c *treeCompiler) resolve(file, fragment string) (*node, error) {
	key := file + "#" + fragment
	if n, ok := c.nodes[key]; ok {
		return n, nil
	}
	f, ok := c.files[file]
	if !ok {
		return nil, fmt.Errorf("schema: no generated file %s", file)
	}
	var v any = f
	if fragment != "" {
		def, ok := strings.CutPrefix(fragment, "/$defs/")
		defs, _ := f.vals["$defs"].(*obj)
		if !ok || defs == nil || defs.vals[def] == nil {
			return nil, fmt.Errorf("schema: %s: cannot resolve %s", file, fragment)
		}
		v = defs.vals[def]
	}
	n := &node{minLength: -1}
	c.nodes[key] = n // before compiling, so a schema may refer to itself
	if err := c.compile(n, file, v); err != nil {
		return nil, fmt.Errorf("schema: %s#%s: %w", file, fragment, err)
	}
	return n, nil
}

// sub compiles a subschema that is not a $defs entry.
func (c *treeCompiler) sub(file string, v any) (*node, error) {
	n := &node{minLength: -1}
	return n, c.compile(n, file, v)
}

func (c *treeCompiler) compile(n *node, file string, v any) error {
	if b, ok := v.(bool); ok {
		n.always = &b
		return nil
	}
	s, ok := v.(*obj)
	if !ok {
		return fmt.Errorf("a schema must be an object or a boolean, not %T", v)
	}
	var err error
	for _, k := range s.keys {
		val := s.vals[k]
		switch k {
		case "$schema", "$comment", "title", "$defs":
		case "type":
			switch t := val.(type) {
			case string:
				n.types = []string{t}
			case []any:
				for _, e := range t {
					n.types = append(n.types, e.(string))
				}
			}
			n.typeWant = strings.Join(n.types, " or ")
		case "enum":
			n.hasEnum, n.enum = true, val.([]any)
		case "format":
			n.format = val.(string)
			switch n.format {
			case "date-time":
				n.isFormat = isDateTime
			case "uuid":
				n.isFormat = isUUID
			default:
				return fmt.Errorf("format %q is not implemented", n.format)
			}
		case "minimum", "maximum":
			i, ok := val.(int)
			if !ok {
				return fmt.Errorf("%s: only integer bounds are implemented, not %T", k, val)
			}
			b := &bound{value: val, n: int64(i)}
			if k == "minimum" {
				n.minimum = b
			} else {
				n.maximum = b
			}
		case "minLength":
			n.minLength = val.(int)
		case "pattern":
			if n.pattern, err = c.regexp(val.(string)); err != nil {
				return err
			}
			n.patternMsg = "does not match pattern " + quoteLikeJSONSchema(n.pattern.String())
		case "items":
			if n.items, err = c.sub(file, val); err != nil {
				return err
			}
		case "required":
			for _, e := range val.([]any) {
				n.required = append(n.required, e.(string))
			}
		case "properties":
			ps := val.(*obj)
			n.props = make(map[string]prop, len(ps.keys))
			for _, name := range ps.keys {
				pn, err := c.sub(file, ps.vals[name])
				if err != nil {
					return err
				}
				n.props[name] = prop{n: pn, tok: escapeToken(name)}
			}
		case "patternProperties":
			ps := val.(*obj)
			for _, pat := range ps.keys {
				re, err := c.regexp(pat)
				if err != nil {
					return err
				}
				pn, err := c.sub(file, ps.vals[pat])
				if err != nil {
					return err
				}
				n.patternProps = append(n.patternProps, patternProp{re: re, n: pn})
			}
		case "additionalProperties":
			allowed, ok := val.(bool)
			if !ok {
				return errors.New("additionalProperties: only a boolean is implemented")
			}
			n.noAdditional = !allowed
		case "$ref":
			ref := val.(string)
			target, fragment, _ := strings.Cut(ref, "#")
			refFile := file
			if target != "" {
				refFile = path.Join(path.Dir(file), target)
			}
			if n.ref, err = c.resolve(refFile, fragment); err != nil {
				return err
			}
		case "not":
			if n.not, err = c.sub(file, val); err != nil {
				return err
			}
		case "if":
			if n.cond, err = c.sub(file, val); err != nil {
				return err
			}
		case "then":
			if n.then, err = c.sub(file, val); err != nil {
				return err
			}
		case "else":
			if n.els_, err = c.sub(file, val); err != nil {
				return err
			}
		default:
			return fmt.Errorf("keyword %q is not implemented", k)
		}
	}
	if n.cond == nil { // as in jsonschema: then and else mean nothing without if
		n.then, n.els_ = nil, nil
	}
	return nil
}

// Validate checks doc against schema name of the model version selects, like (*Set).Validate on the
// schemas of schemas.FS, with the same verdicts and the same problems, but walking the type model
// compiled in process instead of running a JSON Schema engine: nothing is compiled up front, and a valid
// body costs no allocation. doc is a decoded JSON value (json.Decoder with UseNumber is best); a
// json.RawMessage is decoded first, and other Go values are validated as what they encode to.
func Validate(version string, name Name, doc any) error {
	model := Model(version)
	all, err := trees[model]()
	if err != nil {
		return err
	}
	n, ok := all[name]
	if !ok {
		return fmt.Errorf("schema: unknown schema %q", name)
	}
	if raw, ok := doc.(json.RawMessage); ok {
		if doc, err = decode(raw); err != nil {
			return err
		}
	}
	w := walker{}
	valid := w.valid(n, doc, location{})
	if w.foreign {
		if doc, err = asJSON(name, doc); err != nil {
			return err
		}
		w = walker{}
		valid = w.valid(n, doc, location{})
	}
	if valid {
		return nil
	}
	// Walk again, wording every problem: the first walk stopped at the first one.
	r := report{model: model}
	w = walker{r: &r}
	w.valid(n, doc, location{})
	if w.foreign { // met past where the first walk stopped
		if doc, err = asJSON(name, doc); err != nil {
			return err
		}
		r = report{model: model}
		w = walker{r: &r}
		w.valid(n, doc, location{})
	}
	return &ValidationError{Schema: name, Version: version, Problems: r.problems()}
}

// asJSON is what doc, holding Go values that are not decoded JSON (structs, typed maps), encodes to.
func asJSON(name Name, doc any) (any, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("schema: %s is not a JSON value: %w", name, err)
	}
	return decode(data)
}
