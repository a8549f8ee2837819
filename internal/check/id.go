package check

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxKeyBytes bounds an entity key the suite puts into a request path. Graph's
// keys are GUIDs or a GUID with a short suffix ("..._Limit"); 256 bytes
// leaves room for any service's, and none for a path built by the target.
const MaxKeyBytes = 256

// KeyProblem says why id cannot be one segment of a request path, or "" when
// it can. An id a service returns goes, escaped, into the next request's
// path, sent with the token; one that is empty, longer than MaxKeyBytes, not
// UTF-8, "." or "..", or holds a path separator ('/', '\') or a control
// character is not a plausible key, and no request is built from it.
func KeyProblem(id string) string {
	switch {
	case id == "":
		return "it is empty"
	case len(id) > MaxKeyBytes:
		return fmt.Sprintf("it is %d bytes long; a key is at most %d", len(id), MaxKeyBytes)
	case id == "." || id == "..":
		return "it is a relative path segment"
	case !utf8.ValidString(id):
		return "it is not UTF-8"
	case strings.ContainsAny(id, `/\`):
		return "it holds a path separator"
	}
	for _, r := range id {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return "it holds a control character"
		}
	}
	return ""
}

// ID fails unless the body holds at pointer a string that is a plausible key
// (KeyProblem), and returns it.
func ID(ex *Exchange, pointer string) (string, error) {
	want := fmt.Sprintf("a string id at %s usable as a URL path segment (non-empty, at most %d bytes, no '/', '\\' or control characters, not \".\" or \"..\")", pointer, MaxKeyBytes)
	doc, f := decodeBody(ex)
	if f != nil {
		f.Expected = want
		return "", f
	}
	v, ok := Resolve(doc, pointer)
	if !ok {
		return "", newFailure(ex, want, "no "+pointer+" in the body", "")
	}
	id, isString := v.(string)
	if !isString {
		return "", newFailure(ex, want, pointer+" = "+compact(v), "")
	}
	if p := KeyProblem(id); p != "" {
		return "", newFailure(ex, want, fmt.Sprintf("%s = %s, not a plausible key: %s", pointer, strconv.Quote(id), p), "")
	}
	return id, nil
}
