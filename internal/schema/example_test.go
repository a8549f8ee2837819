package schema_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/graphconform/graphconform/internal/schema"
)

func ExampleSet_Validate() {
	set, err := schema.Default()
	if err != nil {
		panic(err)
	}
	dec := json.NewDecoder(strings.NewReader(`{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":42,"extra":true}}`))
	dec.UseNumber()
	var body any
	if err := dec.Decode(&body); err != nil {
		panic(err)
	}
	err = set.Validate("v1.0", schema.AssignmentPatch, body)
	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Pointer, "-", p.Message)
		}
	}
	// Output:
	// /target/extra - unknown property "extra"
	// /target/groupId - property "groupId": got number; want string or null
}
