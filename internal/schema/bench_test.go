package schema

import "testing"

// BenchmarkValidate measures what the mock pays per request (PATCH body) and the suite per response.
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
	for _, bb := range benches {
		doc := parse(b, bb.doc)
		valid := s.Validate("v1.0", bb.name, doc) == nil
		label := string(bb.name)
		if !valid {
			label += "/invalid"
		}
		b.Run(label, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Validate("v1.0", bb.name, doc); (err == nil) != valid {
					b.Fatal(err)
				}
			}
		})
	}
}
