package check

import (
	"fmt"
	"strings"
)

// OneOf fails unless the value at pointer is exactly one of the values written (sent, each a decoded
// JSON value) or of the values observed before (read back from the service), never a mix of them: what
// a body left behind when several writers raced, or when a service may have applied one of several
// readings of a body.
//
// "Exactly" is lenient only where Graph is: an object without "@odata.type" is of declaredType (either
// side), type names compare with or without '#', and the value may carry members the alternative does
// not show as long as no value written shows them (a newer property, a beta filter property the service
// adds). A member that only another value written shows is a mix.
func OneOf(ex *Exchange, pointer string, sent, observed []any, declaredType string) error {
	doc, f := decodeBody(ex)
	if f != nil {
		return f
	}
	alternatives := append(append([]any(nil), sent...), observed...)
	want := fmt.Sprintf("%s exactly one of the %d values written", pointer, len(sent))
	if len(observed) > 0 {
		want += " or the value before"
	}
	got, ok := Resolve(doc, pointer)
	if !ok {
		return newFailure(ex, want, "no "+pointer+" in the body", "")
	}
	shown := map[string]bool{} // members some value written gives a non-null value
	for _, a := range sent {
		if m, ok := a.(map[string]any); ok {
			for k, v := range m {
				if v != nil {
					shown[k] = true
				}
			}
		}
	}
	g := typed(got, declaredType)
	for _, a := range alternatives {
		if sameOrRicher(g, typed(a, declaredType), shown) {
			return nil
		}
	}
	var detail []string
	for i, a := range sent {
		detail = append(detail, fmt.Sprintf("written %d: %s", i+1, compact(a)))
	}
	for _, a := range observed {
		detail = append(detail, fmt.Sprintf("before: %s", compact(a)))
	}
	return newFailure(ex, want, fmt.Sprintf("%s = %s", pointer, compact(got)), strings.Join(detail, "\n"))
}

// typed returns v with an "@odata.type" of declaredType when v is an object without one.
func typed(v any, declaredType string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	if _, has := m["@odata.type"]; has || declaredType == "" {
		return m
	}
	out := make(map[string]any, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	out["@odata.type"] = declaredType
	return out
}

// sameOrRicher: got shows every member of want with want's value, and whatever else it has is null
// or shown by no alternative.
func sameOrRicher(got, want any, shown map[string]bool) bool {
	g, gObj := got.(map[string]any)
	w, wObj := want.(map[string]any)
	if !gObj || !wObj {
		return Equal(got, want)
	}
	for k, wv := range w {
		gv, ok := g[k]
		if !ok {
			if wv == nil {
				continue
			}
			return false
		}
		if !equal(gv, wv, k == "@odata.type") {
			return false
		}
	}
	for k, gv := range g {
		if _, ok := w[k]; !ok && gv != nil && shown[k] {
			return false
		}
	}
	return true
}
