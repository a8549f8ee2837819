package schema

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The CSDL excerpts (testdata/metadata, descriptions removed) are the facts model.go transcribes; this
// test holds the transcription to them, so a typo in a property name, type or nullability fails here.

type csdlProperty struct {
	Name     string `xml:"Name,attr"`
	Type     string `xml:"Type,attr"`
	Nullable string `xml:"Nullable,attr"`
}

type csdlType struct {
	Name     string         `xml:"Name,attr"`
	BaseType string         `xml:"BaseType,attr"`
	Abstract bool           `xml:"Abstract,attr"`
	Props    []csdlProperty `xml:"Property"`
}

type csdlEnum struct {
	Name    string `xml:"Name,attr"`
	IsFlags bool   `xml:"IsFlags,attr"`
	Members []struct {
		Name string `xml:"Name,attr"`
	} `xml:"Member"`
}

type csdl struct {
	types map[string]csdlType
	enums map[string]csdlEnum
}

func readCSDL(t *testing.T, model string) csdl {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "metadata", model+".csdl.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema struct {
			Complex []csdlType `xml:"ComplexType"`
			Entity  []csdlType `xml:"EntityType"`
			Enums   []csdlEnum `xml:"EnumType"`
		} `xml:"DataServices>Schema"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	c := csdl{types: map[string]csdlType{}, enums: map[string]csdlEnum{}}
	for _, ty := range append(doc.Schema.Complex, doc.Schema.Entity...) {
		c.types[ty.Name] = ty
	}
	for _, e := range doc.Schema.Enums {
		c.enums[e.Name] = e
	}
	return c
}

// derives reports whether type name has base among its ancestors in the CSDL.
func (c csdl) derives(name, base string) bool {
	for ty, ok := c.types[name]; ok; ty, ok = c.types[strings.TrimPrefix(ty.BaseType, "graph.")] {
		if strings.TrimPrefix(ty.BaseType, "graph.") == base {
			return true
		}
	}
	return false
}

// asProperty translates a CSDL property into the model's terms.
func (c csdl) asProperty(t *testing.T, p csdlProperty) property {
	out := property{name: p.Name, nullable: p.Nullable != "false"}
	switch p.Type {
	case "Edm.String":
		out.kind = "string"
	case "Edm.Int32":
		out.kind = "int32"
	case "Edm.Boolean":
		out.kind = "bool"
	case "Edm.DateTimeOffset":
		out.kind = "dateTime"
	case "Edm.Guid":
		out.kind = "guid"
	case "Collection(Edm.String)":
		out.kind = "strings"
	default:
		name := strings.TrimPrefix(p.Type, "graph.")
		if e, ok := c.enums[name]; ok {
			out.kind = "enum"
			if e.IsFlags {
				out.kind = "enumFlags"
			}
			for _, m := range e.Members {
				out.values = append(out.values, m.Name)
			}
		} else if _, ok := c.types[name]; ok {
			out.kind, out.complex = "complex", name
		} else {
			t.Errorf("property %s: type %s is not in the excerpt", p.Name, p.Type)
		}
	}
	return out
}

func TestModelMatchesMetadata(t *testing.T) {
	for _, model := range models {
		t.Run(model, func(t *testing.T) {
			c := readCSDL(t, model)
			var types []typeDef
			types = append(types, targetFamily(model)...)
			types = append(types, configurationFamily(model)...)
			types = append(types, assignmentType(model), platformRestrictionType(model))

			inModel := map[string]bool{}
			for _, ty := range types {
				inModel[ty.name] = true
				want, ok := c.types[ty.name]
				if ty.newerDocsOnly {
					if ok {
						t.Errorf("%s is in the %s metadata now: drop newerDocsOnly", ty.name, model)
					}
					continue
				}
				if !ok {
					t.Errorf("%s: not in the %s metadata", ty.name, model)
					continue
				}
				if base := strings.TrimPrefix(want.BaseType, "graph."); base != ty.base && !(base == "entity" && ty.base == "") {
					t.Errorf("%s: base %q; metadata says %q", ty.name, ty.base, base)
				}
				if want.Abstract != ty.abstract {
					t.Errorf("%s: abstract %v; metadata says %v", ty.name, ty.abstract, want.Abstract)
				}
				var got, exp []string
				for _, p := range ty.props {
					got = append(got, describe(p))
				}
				for _, p := range want.Props {
					exp = append(exp, describe(c.asProperty(t, p)))
				}
				slices.Sort(got)
				slices.Sort(exp)
				if !slices.Equal(got, exp) {
					t.Errorf("%s properties:\n got  %q\n want %q", ty.name, got, exp)
				}
			}
			// Every type the metadata derives from the two polymorphic bases is modelled.
			for name := range c.types {
				if (c.derives(name, "deviceAndAppManagementAssignmentTarget") || c.derives(name, "deviceEnrollmentConfiguration")) && !inModel[name] {
					t.Errorf("%s derives from a modelled base in the %s metadata but is not in model.go", name, model)
				}
			}
		})
	}
}

func describe(p property) string {
	s := p.name + " " + p.kind
	if p.nullable {
		s += " nullable"
	}
	if p.complex != "" {
		s += " " + p.complex
	}
	if len(p.values) > 0 {
		s += " [" + strings.Join(p.values, ",") + "]"
	}
	return s
}
