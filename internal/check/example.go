package check

import (
	"fmt"
	"sort"
	"strings"
)

// ServerGenerated lists properties whose example values are made up by the
// doc and produced by the service: present in the response, any value.
var ServerGenerated = []string{"id", "createdDateTime", "lastModifiedDateTime", "version"}

// MatchExample matches the response body against a doc example response
// the way Microsoft's doc tooling (ApiDoctor) treats an example marked
// truncated: every property the example shows must be present with the
// shown value, recursively; properties in serverGenerated (nil: the package
// default) must be present with any value; properties the example does not
// show are allowed. OData control information ("@odata.*") the example shows
// may be left out (a service may omit it under odata.metadata=minimal) but,
// when present, must match; "@odata.type" values compare with or without '#'.
func MatchExample(ex *Exchange, example []byte, serverGenerated []string) error {
	want, err := DecodeJSON(example)
	if err != nil {
		return newFailure(ex, "a usable example", "an example that is not JSON ("+err.Error()+")", "")
	}
	got, f := decodeBody(ex)
	if f != nil {
		return f
	}
	if serverGenerated == nil {
		serverGenerated = ServerGenerated
	}
	gen := map[string]bool{}
	for _, k := range serverGenerated {
		gen[k] = true
	}
	var problems []string
	matchInto(&problems, "", want, got, gen)
	if len(problems) == 0 {
		return nil
	}
	const maxShown = 10
	detail := problems
	if len(detail) > maxShown {
		detail = append(detail[:maxShown:maxShown], fmt.Sprintf("... and %d more", len(problems)-maxShown))
	}
	return newFailure(ex, "a body showing every property of the example response with its value",
		fmt.Sprintf("%d difference(s) from the example", len(problems)), strings.Join(detail, "\n"))
}

func matchInto(problems *[]string, ptr string, want, got any, gen map[string]bool) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*problems = append(*problems, fmt.Sprintf("%s: got %s; want an object", orRoot(ptr), compact(got)))
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := ptr + "/" + escapePointer(k)
			gv, present := g[k]
			switch {
			case strings.HasPrefix(k, "@odata."):
				if present && !equal(w[k], gv, k == "@odata.type") {
					*problems = append(*problems, fmt.Sprintf("%s: got %s; want %s", p, compact(gv), compact(w[k])))
				}
			case !present:
				*problems = append(*problems, fmt.Sprintf("%s: missing; want %s", p, compact(w[k])))
			case gen[k]:
				// present is enough: the service makes this value up
			default:
				matchInto(problems, p, w[k], gv, gen)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*problems = append(*problems, fmt.Sprintf("%s: got %s; want an array", orRoot(ptr), compact(got)))
			return
		}
		// Truncated arrays: each element shown must match some element returned.
		for i, we := range w {
			found := false
			for _, ge := range g {
				var sub []string
				matchInto(&sub, "", we, ge, gen)
				if len(sub) == 0 {
					found = true
					break
				}
			}
			if !found {
				*problems = append(*problems, fmt.Sprintf("%s/%d: no returned element matches %s", ptr, i, compact(we)))
			}
		}
	default:
		if !equal(want, got, strings.HasSuffix(ptr, "/@odata.type")) {
			*problems = append(*problems, fmt.Sprintf("%s: got %s; want %s", orRoot(ptr), compact(got), compact(want)))
		}
	}
}

func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

func orRoot(ptr string) string {
	if ptr == "" {
		return "(body)"
	}
	return ptr
}
