package schema

import (
	"testing"

	"github.com/graphconform/graphconform/schemas"
)

// BenchmarkValidate measures what the mock pays per request (PATCH body) and the suite per response,
// with each engine: jsonschema/v5 over the files ((*Set).Validate) and the compiled model (Validate).
func BenchmarkValidate(b *testing.B) {
	s := mustSet(b)
	benches := []struct {
		name Name
		doc  string
	}{
		{AssignmentPatch, `{"@odata.type":"#microsoft.graph.enrollmentConfigurationAssignment","target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"6e8b8f1c-2b5f-4c0a-9d8e-1f2a3b4c5d6e"}}`},
		{Assignment, `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/deviceEnrollmentConfigurations('c')/assignments/$entity","@odata.type":"#microsoft.graph.enrollmentConfigurationAssignment","id":"1f6686a8-86a8-1f66-a886-661fa886661f","target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"6e8b8f1c-2b5f-4c0a-9d8e-1f2a3b4c5d6e"}}`},
		{AssignmentPatch, `{"target":{"@odata.type":"microsoft.graph.bogus","groupId":1}}`}, // the error path
	}
	engines := []struct {
		name     string
		validate func(version string, name Name, doc any) error
	}{{"files", s.Validate}, {"model", Validate}}
	for _, bb := range benches {
		doc := parse(b, bb.doc)
		valid := s.Validate("v1.0", bb.name, doc) == nil
		label := string(bb.name)
		if !valid {
			label += "/invalid"
		}
		for _, e := range engines {
			b.Run(label+"/"+e.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := e.validate("v1.0", bb.name, doc); (err == nil) != valid {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkBuild is what each engine costs before its first validation: compiling every file of
// schemas/ with jsonschema/v5, or generating the trees of one model (v1.0, what a mock needs first)
// and compiling them.
func BenchmarkBuild(b *testing.B) {
	b.Run("files", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Compile(schemas.FS); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("model", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := compileTrees(modelV1); err != nil {
				b.Fatal(err)
			}
		}
	})
}
