package defects

// Defects in how a service reads request bodies: what the generated scenarios (ECA-UPDATE-020..022,
// ECA-CREATE-020, DELC-CREATE-020) exist to catch.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/graphconform/graphconform/graphmock"
)

// onWriteBodies lets inspect decide about the body of every PATCH and POST: answer (true) or let it
// pass (false), with the body put back for the mock.
func onWriteBodies(next http.Handler, inspect func(w http.ResponseWriter, body []byte) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPatch && r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		body := readBody(r)
		if inspect(w, body) {
			return
		}
		next.ServeHTTP(w, withBody(r, body))
	})
}

func serverError(w http.ResponseWriter, msg string) {
	graphmock.WriteError(w, http.StatusInternalServerError, graphmock.CodeGeneralException, msg)
}

// deepNesting500 is a reader that stops at 64 levels (.NET's default) by throwing, and a service that
// maps the exception to 500.
func deepNesting500(next http.Handler, _ Config) http.Handler {
	return onWriteBodies(next, func(w http.ResponseWriter, body []byte) bool {
		if nesting(body) > 64 {
			serverError(w, "The reader's MaxDepth of 64 has been exceeded.")
			return true
		}
		return false
	})
}

// nesting is the deepest nesting of arrays and objects in JSON text (strings skipped; the text need not
// be valid).
func nesting(b []byte) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// hugeNumber500 parses every number as a float64 and answers 500 when one overflows.
func hugeNumber500(next http.Handler, _ Config) http.Handler {
	return onWriteBodies(next, func(w http.ResponseWriter, body []byte) bool {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		for {
			tok, err := dec.Token()
			if err != nil {
				return false
			}
			if n, ok := tok.(json.Number); ok {
				if _, err := strconv.ParseFloat(n.String(), 64); err != nil {
					serverError(w, "Value was either too large or too small for a Double.")
					return true
				}
			}
		}
	})
}

// duplicateKeys500 is a reader that throws on a member name it has seen in the same object.
func duplicateKeys500(next http.Handler, _ Config) http.Handler {
	return onWriteBodies(next, func(w http.ResponseWriter, body []byte) bool {
		if hasDuplicateMember(body) {
			serverError(w, "An item with the same key has already been added.")
			return true
		}
		return false
	})
}

func hasDuplicateMember(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object bool
		seen   map[string]bool
		key    bool // the next string token is a member name
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if name, isName := tok.(string); isName && top != nil && top.object && top.key {
			if top.seen[name] {
				return true
			}
			top.seen[name] = true
			top.key = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, seen: map[string]bool{}, key: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true // a value ended: a name comes next
		}
	}
}

// invalidUTF8Accepted reads invalid UTF-8 as U+FFFD instead of refusing it, and stores that.
func invalidUTF8Accepted(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch || r.Method == http.MethodPost {
			if body := readBody(r); !utf8.Valid(body) {
				r = withBody(r, []byte(strings.ToValidUTF8(string(body), "\uFFFD")))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// nonBMPMangled stores strings the way a UCS-2 store would: every character outside the Basic
// Multilingual Plane becomes U+FFFD. Invalid bytes are left as they are (refusing them is another
// matter).
func nonBMPMangled(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch || r.Method == http.MethodPost {
			body := readBody(r)
			out := make([]byte, 0, len(body))
			for i := 0; i < len(body); {
				c, size := utf8.DecodeRune(body[i:])
				if c != utf8.RuneError && size == 4 {
					out = utf8.AppendRune(out, utf8.RuneError)
				} else {
					out = append(out, body[i:i+size]...)
				}
				i += size
			}
			r = withBody(r, out)
		}
		next.ServeHTTP(w, r)
	})
}
