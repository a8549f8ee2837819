package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"mime"
	"strconv"
	"strings"
)

// DecodeJSON decodes a JSON document with UseNumber (no silent precision
// loss) and rejects trailing data.
func DecodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

func decodeBody(ex *Exchange) (any, *Failure) {
	if len(bytes.TrimSpace(ex.Body)) == 0 {
		return nil, newFailure(ex, "a JSON body", "an empty body", "")
	}
	v, err := DecodeJSON(ex.Body)
	if err != nil {
		return nil, newFailure(ex, "a JSON body", notJSON(ex), "")
	}
	return v, nil
}

// notJSON names a body that does not parse by what it is (its media type, an HTML page), not by the parser's
// complaint: the body itself is in the evidence.
func notJSON(ex *Exchange) string {
	head := strings.ToLower(strings.TrimSpace(string(ex.Body[:min(len(ex.Body), 64)])))
	mt, _, err := mime.ParseMediaType(ex.Header.Get("Content-Type"))
	switch {
	case mt == "text/html" || strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html"):
		return "an HTML page, not JSON"
	case err == nil && mt != "application/json" && !strings.HasSuffix(mt, "+json"):
		return "a " + mt + " body, not JSON"
	}
	return "a body that is not JSON"
}

// Resolve returns the value at the RFC 6901 JSON pointer in doc.
func Resolve(doc any, pointer string) (any, bool) {
	if pointer == "" {
		return doc, true
	}
	if !strings.HasPrefix(pointer, "/") {
		return nil, false
	}
	cur := doc
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// resolveBody is the value at pointer in the response body, or the failure
// that expected what: a body that is not JSON, or nothing at pointer.
func resolveBody(ex *Exchange, pointer, expected string) (any, *Failure) {
	doc, f := decodeBody(ex)
	if f != nil {
		return nil, f
	}
	got, ok := Resolve(doc, pointer)
	if !ok {
		return nil, newFailure(ex, expected, "no "+pointer+" in the body", "")
	}
	return got, nil
}

// JSONPointer fails unless the response body has, at pointer, a value equal
// to want (see Equal).
func JSONPointer(ex *Exchange, pointer string, want any) error {
	got, f := resolveBody(ex, pointer, fmt.Sprintf("%s = %s", pointer, compact(want)))
	if f != nil {
		return f
	}
	if !Equal(got, want) {
		return newFailure(ex, fmt.Sprintf("%s = %s", pointer, compact(want)), fmt.Sprintf("%s = %s", pointer, compact(got)), "")
	}
	return nil
}

// Contains fails unless the value at pointer holds want: every member want
// shows, recursively, with its value (arrays element by element, same
// length); members want does not show are allowed, as Graph adds properties
// over time (a beta target also carries its filter properties). An
// "@odata.type" that want shows and the body leaves out is read as
// declaredType: under odata.metadata=minimal a service omits the annotation
// only where the value is of the declared type.
func Contains(ex *Exchange, pointer string, want any, declaredType string) error {
	got, f := resolveBody(ex, pointer, fmt.Sprintf("%s holding %s", pointer, compact(want)))
	if f != nil {
		return f
	}
	// The example match's walk, with no value exempt as server-generated; it lets any "@odata.*" be left out,
	// so the one annotation that may not, the type of a value not of the declared type, is checked here.
	var problems []string
	w, wObj := want.(map[string]any)
	g, gObj := got.(map[string]any)
	if wt, shown := w["@odata.type"].(string); wObj && gObj && shown {
		if _, present := g["@odata.type"]; !present && NormalizeType(wt) != NormalizeType(declaredType) {
			problems = append(problems, fmt.Sprintf("%s/@odata.type: missing; want %q (only a value of the declared type %s may leave it out)",
				pointer, wt, declaredType))
		}
	}
	matchInto(&problems, pointer, want, got, nil)
	if len(problems) == 0 {
		return nil
	}
	return newFailure(ex, fmt.Sprintf("%s holding %s", pointer, compact(want)), fmt.Sprintf("%s = %s", pointer, compact(got)),
		strings.Join(problems, "\n"))
}

// Equal compares decoded JSON values: numbers by value (1 == 1.0), objects
// key by key, and "@odata.type" strings with or without their leading '#'.
func Equal(a, b any) bool { return equal(a, b, false) }

func equal(a, b any, odataType bool) bool {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for k, x := range av {
			y, ok := bv[k]
			if !ok || !equal(x, y, k == "@odata.type") {
				return false
			}
		}
		return true
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for i := range av {
			if !equal(av[i], bv[i], false) {
				return false
			}
		}
		return true
	case string:
		bv, ok := b.(string)
		if !ok {
			return false
		}
		if odataType {
			return NormalizeType(av) == NormalizeType(bv)
		}
		return av == bv
	case json.Number, float64, int, int64:
		x, ok1 := toRat(a)
		y, ok2 := toRat(b)
		return ok1 && ok2 && x.Cmp(y) == 0
	default:
		return a == b // bool, nil
	}
}

// NormalizeType strips the leading '#' of an @odata.type value.
func NormalizeType(s string) string { return strings.TrimPrefix(s, "#") }

func toRat(v any) (*big.Rat, bool) {
	var s string
	switch n := v.(type) {
	case json.Number:
		s = n.String()
	case float64:
		s = strconv.FormatFloat(n, 'g', -1, 64)
	case int:
		s = strconv.Itoa(n)
	case int64:
		s = strconv.FormatInt(n, 10)
	default:
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// compact renders a decoded value as compact JSON for messages, capped.
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	s := string(b)
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
