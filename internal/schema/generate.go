package schema

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
)

// The JSON Schemas of schemas/ are generated from the type model (model.go) by generate. The same trees
// serve twice: TestGeneratedSchemas writes them to schemas/ (and fails while the files differ), and
// Validate compiles them in process (tree.go) without a JSON Schema engine. One model, one generator.

const draft = "https://json-schema.org/draft/2020-12/schema"

// obj is a JSON object that keeps its keys in insertion order, so the generated files read like
// hand-written ones ($schema first, properties in metadata order).
type obj struct {
	keys []string
	vals map[string]any
}

func o(kv ...any) *obj {
	m := &obj{vals: map[string]any{}}
	for i := 0; i < len(kv); i += 2 {
		m.set(kv[i].(string), kv[i+1])
	}
	return m
}

func (m *obj) set(k string, v any) *obj {
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
	return m
}

func (m *obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(m.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// annotationPattern matches OData control information and instance annotations ("@odata.type",
// "groupId@odata.type"), which requests may carry beside the declared properties.
const annotationPattern = `^[A-Za-z0-9_]*@odata\.[A-Za-z0-9_.]+$`

func typeNames(t string) []any { return []any{namespace + t, "#" + namespace + t} }

func ref(def string) *obj { return o("$ref", "#/$defs/"+def) }

// propertySchema is the JSON Schema of one structural property; variant is "response" or "request".
func propertySchema(p property, variant string) *obj {
	types := func(t string) any {
		if p.nullable {
			return []any{t, "null"}
		}
		return t
	}
	switch p.kind {
	case "string":
		return o("type", types("string"))
	case "int32":
		return o("type", types("integer"), "minimum", -2147483648, "maximum", 2147483647)
	case "bool":
		return o("type", types("boolean"))
	case "dateTime":
		return o("type", types("string"), "format", "date-time")
	case "guid":
		return o("type", types("string"), "format", "uuid")
	case "enum":
		vals := make([]any, 0, len(p.values)+1)
		for _, v := range p.values {
			vals = append(vals, v)
		}
		if p.nullable {
			vals = append(vals, nil)
		}
		return o("type", types("string"), "enum", vals)
	case "enumFlags":
		// OData serializes a flags value as its members joined by commas.
		member := "(" + strings.Join(p.values, "|") + ")"
		return o("type", types("string"), "pattern", `^`+member+`(,\s*`+member+`)*$`)
	case "strings":
		return o("type", types("array"), "items", o("type", "string"))
	case "complex":
		if p.nullable {
			// The referenced schema requires an object: applied to objects only, so null stays allowed.
			return o("type", types("object"), "if", o("type", "object"), "then", ref(p.complex+"."+variant))
		}
		return o("type", "object", "$ref", "#/$defs/"+p.complex+"."+variant)
	}
	panic("unknown property kind " + p.kind)
}

// structured is the schema of one concrete type: its properties (inherited included) type-checked, and in
// a request nothing else but annotations.
func structured(props []property, variant string, odataType *obj, extra ...property) *obj {
	ps := o()
	if odataType != nil {
		ps.set("@odata.type", odataType)
	}
	for _, p := range extra {
		ps.set(p.name, propertySchema(p, variant))
	}
	for _, p := range props {
		ps.set(p.name, propertySchema(p, variant))
	}
	s := o("type", "object", "properties", ps)
	if variant == "request" {
		s.set("patternProperties", o(annotationPattern, true))
		s.set("additionalProperties", false)
	}
	return s
}

// dispatch selects the schema of a polymorphic value by its @odata.type, with or without '#'. Each type
// gets its own if/then, so a failure names the offending property of the selected type instead of listing
// why every alternative of a oneOf failed. A value without @odata.type is an instance of fallback (the
// declared type, per OData minimal metadata); fallback "" makes @odata.type required.
func dispatch(family []typeDef, variant string, accept func(typeDef) bool, fallback string) *obj {
	var names []any
	var branches []any
	for _, t := range family {
		if !accept(t) {
			continue
		}
		names = append(names, typeNames(t.name)...)
		branches = append(branches, o(
			"if", o("type", "object", "required", []any{"@odata.type"},
				"properties", o("@odata.type", o("enum", typeNames(t.name)))),
			"then", ref(t.name+"."+variant),
		))
	}
	s := o("properties", o("@odata.type", o("type", "string", "enum", names)))
	if fallback == "" {
		s.set("required", []any{"@odata.type"})
	} else {
		branches = append(branches, o(
			"if", o("type", "object", "not", o("required", []any{"@odata.type"})),
			"then", ref(fallback+"."+variant),
		))
	}
	// Nest the branches as if/then/else: evaluation stops at the matching type, which costs a third fewer
	// allocations per validation than a flat allOf of if/then (BenchmarkValidate).
	var chain *obj
	for i := len(branches) - 1; i >= 0; i-- {
		b := branches[i].(*obj)
		if chain != nil {
			b.set("else", chain)
		}
		chain = b
	}
	for _, k := range chain.keys {
		s.set(k, chain.vals[k])
	}
	return s
}

var responseAnnotations = []property{
	{name: "@odata.context", kind: "string"},
	{name: "@odata.id", kind: "string"},
	{name: "@odata.etag", kind: "string"},
	{name: "@odata.editLink", kind: "string"},
}

func typesFile(model string) *obj {
	defs := o()
	isRequest := func(variant string) bool { return variant == "request" }

	targets := targetFamily(model)
	for _, variant := range []string{"response", "request"} {
		for _, t := range targets {
			if t.newerDocsOnly && isRequest(variant) {
				continue
			}
			defs.set(t.name+"."+variant, structured(allProps(targets, t), variant, o("type", "string")))
		}
		defs.set("target."+variant, dispatch(targets, variant, func(t typeDef) bool {
			return !(t.newerDocsOnly && isRequest(variant))
		}, targets[0].name))
	}

	restriction := platformRestrictionType(model)
	for _, variant := range []string{"response", "request"} {
		defs.set(restriction.name+"."+variant, structured(restriction.props, variant,
			o("type", "string", "enum", typeNames(restriction.name))))
	}

	configs := configurationFamily(model)
	for _, variant := range []string{"response", "request"} {
		for _, t := range configs {
			if t.abstract && isRequest(variant) {
				continue
			}
			var extra []property
			if variant == "response" {
				extra = append(extra, responseAnnotations...)
				extra = append(extra, property{name: "id", kind: "string"})
			} else {
				extra = append(extra, property{name: "id", kind: "string"})
			}
			defs.set(t.name+"."+variant, structured(allProps(configs, t), variant, o("type", "string"), extra...))
		}
	}
	defs.set("configuration.response", dispatch(configs, "response", func(typeDef) bool { return true }, configs[0].name))
	defs.set("configuration.request", dispatch(configs, "request", func(t typeDef) bool { return !t.abstract }, ""))

	a := assignmentType(model)
	entityType := o("type", "string", "enum", typeNames(a.name))
	var rest []property
	for _, p := range a.props {
		if p.name != "target" {
			rest = append(rest, p)
		}
	}
	resp := structured(rest, "response", entityType, append(append([]property(nil), responseAnnotations...),
		property{name: "id", kind: "string"})...)
	props := resp.vals["properties"].(*obj)
	props.set("target", o("type", []any{"object", "null"}, "$ref", "#/$defs/target.response"))
	resp.set("required", []any{"id", "target"})
	defs.set("assignment.response", resp)

	// Requests never null the target: an assignment is its target (see schemas/README.md).
	patch := structured(rest, "request", entityType, property{name: "id", kind: "string"})
	patch.vals["properties"].(*obj).set("target", o("type", "object", "$ref", "#/$defs/target.request"))
	defs.set("assignment.patch", patch)

	return o("$schema", draft,
		"$comment", "Generated from internal/schema/model.go ("+model+" model); do not edit. Regenerate with: go test ./internal/schema -run TestGeneratedSchemas -update",
		"$defs", defs)
}

func entryFile(model, title string, body *obj) *obj {
	s := o("$schema", draft, "title", title+" ("+model+" model)")
	for _, k := range body.keys {
		s.set(k, body.vals[k])
	}
	return s
}

func collection(itemRef string) *obj {
	return o("type", "object",
		"required", []any{"value"},
		"properties", o(
			"@odata.context", o("type", "string"),
			"@odata.nextLink", o("type", "string"),
			"@odata.count", o("type", "integer"),
			"value", o("type", "array", "items", o("type", "object", "$ref", itemRef)),
		))
}

func errorFile() *obj {
	inner := o("type", "object", "properties", o(
		"request-id", o("type", "string"),
		"client-request-id", o("type", "string"),
		"date", o("type", "string"),
		"code", o("type", "string"),
	))
	return o("$schema", draft,
		"$comment", "Generated from internal/schema/generate_test.go; do not edit.",
		"title", "Graph error response",
		"type", "object",
		"required", []any{"error"},
		"properties", o("error", o(
			"type", "object",
			"required", []any{"code", "message"},
			"properties", o(
				"code", o("type", "string", "minLength", 1),
				"message", o("type", "string"),
				"target", o("type", []any{"string", "null"}),
				"details", o("type", "array", "items", o("type", "object", "properties", o(
					"code", o("type", "string"),
					"message", o("type", "string"),
					"target", o("type", []any{"string", "null"}),
				))),
				// Graph sends innerError; the errors concept page documents innererror. Both are accepted.
				"innerError", ref("innerError"),
				"innererror", ref("innerError"),
			),
		)),
		"$defs", o("innerError", inner),
	)
}

// generate returns every file of schemas/ (besides embed.go and README.md) by path.
func generate() map[string]*obj {
	files := map[string]*obj{}
	for _, m := range models {
		maps.Copy(files, generateModel(m))
	}
	return files
}

// generateModel returns the files one model's schemas are made of: its own and error.json.
func generateModel(m string) map[string]*obj {
	files := map[string]*obj{"error.json": errorFile(), m + "/types.json": typesFile(m)}
	entry := func(name Name, body *obj) {
		files[m+"/"+string(name)+".json"] = entryFile(m, string(name), body)
	}
	entry(Assignment, o("$ref", "types.json#/$defs/assignment.response"))
	entry(AssignmentPatch, o("$ref", "types.json#/$defs/assignment.patch"))
	entry(AssignmentCreate, o("$ref", "types.json#/$defs/assignment.patch", "required", []any{"target"}))
	entry(AssignmentCollection, collection("types.json#/$defs/assignment.response"))
	entry(Target, o("type", "object", "$ref", "types.json#/$defs/target.response"))
	entry(Configuration, o("type", "object", "$ref", "types.json#/$defs/configuration.response",
		"required", []any{"id"}))
	entry(ConfigurationCreate, o("type", "object", "$ref", "types.json#/$defs/configuration.request"))
	entry(ConfigurationCollection, collection("types.json#/$defs/configuration.response"))
	return files
}
