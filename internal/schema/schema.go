// Package schema validates Graph payloads of the enrollmentConfigurationAssignment family against the JSON
// Schemas embedded in package schemas, compiled once, offline.
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/graphconform/graphconform/schemas"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Name names a schema: an entity as a response, a request body, a collection or Graph's error object.
type Name string

const (
	Assignment              Name = "enrollmentConfigurationAssignment"            // response entity
	AssignmentPatch         Name = "enrollmentConfigurationAssignment.patch"      // PATCH body, every property optional
	AssignmentCreate        Name = "enrollmentConfigurationAssignment.create"     // POST body
	AssignmentCollection    Name = "enrollmentConfigurationAssignment.collection" // {"value":[...]} response
	Target                  Name = "deviceAndAppManagementAssignmentTarget"       // a target as a response carries it
	Configuration           Name = "deviceEnrollmentConfiguration"                // response entity (any derived type)
	ConfigurationCreate     Name = "deviceEnrollmentConfiguration.create"         // POST body
	ConfigurationCollection Name = "deviceEnrollmentConfiguration.collection"
	Error                   Name = "error" // Graph's error object
)

// Names lists every schema name, in the order above.
func Names() []Name {
	return []Name{Assignment, AssignmentPatch, AssignmentCreate, AssignmentCollection, Target,
		Configuration, ConfigurationCreate, ConfigurationCollection, Error}
}

// baseURL is where the embedded files are mounted for the compiler. It is not a network location: the
// compiler's loader refuses every URL, so only files added from schemas.FS can be referenced.
const baseURL = "embed:///"

// Set is a compiled set of schemas for every model and name. It is safe for concurrent use.
type Set struct {
	compiled map[string]*jsonschema.Schema // key: model + " " + name
	raw      map[string]any                // decoded schema files by URL, to explain failures
	patterns sync.Map                      // patternProperties regexp by source, compiled on demand
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
	defaultErr  error
)

// Default returns the schemas of schemas.FS, compiled on first use.
func Default() (*Set, error) {
	defaultOnce.Do(func() { defaultSet, defaultErr = Compile(schemas.FS) })
	return defaultSet, defaultErr
}

// Compile compiles the schema files of fsys (laid out as schemas/ is). Nothing outside fsys is loaded.
func Compile(fsys fs.FS) (*Set, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema: refusing to load %q: only embedded schema files may be referenced", u)
	}
	s := &Set{compiled: map[string]*jsonschema.Schema{}, raw: map[string]any{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if err := c.AddResource(baseURL+p, bytes.NewReader(data)); err != nil {
			return fmt.Errorf("schema: add %s: %w", p, err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("schema: decode %s: %w", p, err)
		}
		s.raw[baseURL+p] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, m := range models {
		for _, n := range Names() {
			sch, err := c.Compile(baseURL + file(m, n))
			if err != nil {
				return nil, fmt.Errorf("schema: compile %s: %w", file(m, n), err)
			}
			s.compiled[m+" "+string(n)] = sch
		}
	}
	return s, nil
}

// file is the path inside schemas/ of a schema; the error object is the same in every model.
func file(model string, n Name) string {
	if n == Error {
		return "error.json"
	}
	return model + "/" + string(n) + ".json"
}

// Validate checks doc, a decoded JSON value (json.Decoder with UseNumber is best; float64 numbers work
// too), against schema name of the model version selects (see Model). It returns nil, a
// *ValidationError, or an error for an unknown name or a doc that is no JSON value.
func (s *Set) Validate(version string, name Name, doc any) error {
	model := Model(version)
	sch, ok := s.compiled[model+" "+string(name)]
	if !ok {
		return fmt.Errorf("schema: unknown schema %q", name)
	}
	if raw, ok := doc.(json.RawMessage); ok {
		v, err := decode(raw)
		if err != nil {
			return err
		}
		doc = v
	}
	err := sch.Validate(doc)
	var bad jsonschema.InvalidJSONTypeError
	if errors.As(err, &bad) {
		// doc holds Go values that are not decoded JSON (structs, typed maps): validate what they encode to.
		data, merr := json.Marshal(doc)
		if merr != nil {
			return fmt.Errorf("schema: %s is not a JSON value: %w", name, merr)
		}
		if doc, merr = decode(data); merr != nil {
			return merr
		}
		err = sch.Validate(doc)
	}
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("schema: validate %s: %w", name, err)
	}
	return &ValidationError{Schema: name, Version: version, Problems: s.problems(ve, doc, model)}
}

func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("schema: decode: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("schema: decode: data after the JSON value")
	}
	return v, nil
}

// ValidationError says why a document does not match a schema.
type ValidationError struct {
	Schema   Name
	Version  string // the URL version segment the caller gave
	Problems []Problem
}

// Problem is one reason, at the value it is about.
type Problem struct {
	Pointer string // JSON pointer (RFC 6901) of the offending value; "" is the whole document
	Message string // names the property, e.g. `unknown property "foo"`
}

func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "(root)"
	}
	return ptr + ": " + p.Message
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "body does not match %s (%s)", e.Schema, e.Version)
	if len(e.Problems) > 1 {
		fmt.Fprintf(&b, ", %d problems", len(e.Problems))
	}
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(" | ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}
