package schema

// A read-only view of the type model (model.go) for code that builds bodies from it, such as
// internal/generate: the same types, properties and enum members the schemas are generated from, so a
// generated body and the schema that judges it cannot disagree.

// Kind is the JSON shape of a property's values.
type Kind string

// Property kinds, named after the Edm types they transcribe.
const (
	KindString    Kind = "string"    // Edm.String
	KindInt32     Kind = "int32"     // Edm.Int32
	KindBool      Kind = "bool"      // Edm.Boolean
	KindDateTime  Kind = "dateTime"  // Edm.DateTimeOffset (RFC 3339)
	KindGUID      Kind = "guid"      // Edm.Guid
	KindEnum      Kind = "enum"      // one member of an enum type
	KindEnumFlags Kind = "enumFlags" // comma-separated members of a flags enum type
	KindStrings   Kind = "strings"   // Collection(Edm.String)
	KindComplex   Kind = "complex"   // a complex type (Property.Complex)
)

// Property is one structural property of a type.
type Property struct {
	Name     string
	Kind     Kind
	Nullable bool
	Values   []string // enum members (KindEnum, KindEnumFlags)
	Complex  string   // the complex type's qualified name (KindComplex), without '#'
}

// Type is an entity or complex type of the model.
type Type struct {
	Name       string // qualified, without '#': microsoft.graph.groupAssignmentTarget
	Base       string // qualified base type name; "" for a root
	Abstract   bool
	Properties []Property // inherited ones first
}

// Property returns t's property name.
func (t Type) Property(name string) (Property, bool) {
	for _, p := range t.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// TypeModel is the request-side type model of one version: what a client may send.
type TypeModel struct {
	Version string
	// Assignment is enrollmentConfigurationAssignment (id excluded: the server keys it).
	Assignment Type
	// Targets are the target types a request may carry (TargetTypes): the abstract base, which the seed
	// page's example sends, and every derived type of the metadata; base first.
	Targets []Type
	// Configurations are the concrete deviceEnrollmentConfiguration types a create may name
	// (ConfigurationTypes).
	Configurations []Type
	complex        map[string]Type
}

// Complex returns the complex type name (qualified, '#' allowed).
func (m *TypeModel) Complex(name string) (Type, bool) {
	t, ok := m.complex[NormalizeType(name)]
	return t, ok
}

// Target returns the target type name (qualified, '#' allowed).
func (m *TypeModel) Target(name string) (Type, bool) {
	for _, t := range m.Targets {
		if t.Name == NormalizeType(name) {
			return t, true
		}
	}
	return Type{}, false
}

// Types returns the type model a URL version segment selects (see Model).
func Types(version string) *TypeModel {
	model := Model(version)
	m := &TypeModel{Version: version, complex: map[string]Type{}}
	targets := targetFamily(model)
	for _, t := range targets {
		if !t.newerDocsOnly {
			m.Targets = append(m.Targets, exported(targets, t))
		}
	}
	configs := configurationFamily(model)
	for _, t := range configs {
		if !t.abstract {
			m.Configurations = append(m.Configurations, exported(configs, t))
		}
	}
	a := assignmentType(model)
	m.Assignment = exported(nil, a)
	pr := platformRestrictionType(model)
	m.complex[namespace+pr.name] = exported(nil, pr)
	for _, t := range targets {
		m.complex[namespace+t.name] = exported(targets, t)
	}
	return m
}

func exported(family []typeDef, t typeDef) Type {
	out := Type{Name: namespace + t.name, Abstract: t.abstract}
	if t.base != "" {
		out.Base = namespace + t.base
	}
	for _, p := range allProps(family, t) {
		q := Property{Name: p.name, Kind: Kind(p.kind), Nullable: p.nullable, Values: append([]string(nil), p.values...)}
		if p.complex != "" {
			q.Complex = namespace + p.complex
		}
		out.Properties = append(out.Properties, q)
	}
	return out
}
