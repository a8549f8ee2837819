package generate

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Kind is a JSON value's kind.
type Kind int

// JSON kinds, in the order wrong-type mutations try them.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}

func (k Kind) String() string { return kindNames[k] }

// Node is a JSON value as sent, able to hold what encoding/json cannot: object members in order and with
// duplicate keys, number literals beyond float64, and strings or keys that are not valid UTF-8 (their
// bytes are written as they are). Nodes are never changed once built: mutations and shrinking copy the
// path they change, so cases can share subtrees.
type Node struct {
	Kind    Kind
	Bool    bool
	Text    string   // String: the raw bytes; Number: the literal
	Items   []*Node  // Array
	Members []Member // Object, in order, duplicates allowed
}

// Member is one object member.
type Member struct {
	Key   string // raw bytes, like a string's
	Value *Node
}

// Constructors.
func nullNode() *Node              { return &Node{Kind: Null} }
func boolNode(b bool) *Node        { return &Node{Kind: Bool, Bool: b} }
func numNode(lit string) *Node     { return &Node{Kind: Number, Text: lit} }
func strNode(s string) *Node       { return &Node{Kind: String, Text: s} }
func arrNode(items ...*Node) *Node { return &Node{Kind: Array, Items: items} }
func objNode(members ...Member) *Node {
	return &Node{Kind: Object, Members: members}
}

// Get returns the value of the last member named key (an object's), or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i].Value
		}
	}
	return nil
}

// with returns a copy of object n with key set to v (replacing every member of that name, in place of
// the first; appended when absent).
func (n *Node) with(key string, v *Node) *Node {
	out := &Node{Kind: Object}
	done := false
	for _, m := range n.Members {
		if m.Key != key {
			out.Members = append(out.Members, m)
		} else if !done {
			out.Members = append(out.Members, Member{key, v})
			done = true
		}
	}
	if !done {
		out.Members = append(out.Members, Member{key, v})
	}
	return out
}

// without returns a copy of object n without members named key.
func (n *Node) without(key string) *Node {
	out := &Node{Kind: Object}
	for _, m := range n.Members {
		if m.Key != key {
			out.Members = append(out.Members, m)
		}
	}
	return out
}

// Encode renders n as JSON text: strings escaped as JSON requires (quote, backslash, control
// characters), every other byte written as it is, so invalid UTF-8 stays invalid.
func (n *Node) Encode() []byte { return n.appendTo(nil) }

func (n *Node) appendTo(b []byte) []byte {
	// Iterative over single-item chains, so deep nesting costs no deep recursion.
	var closers []byte
	for {
		switch n.Kind {
		case Null:
			b = append(b, "null"...)
		case Bool:
			b = strconv.AppendBool(b, n.Bool)
		case Number:
			b = append(b, n.Text...)
		case String:
			b = appendString(b, n.Text)
		case Array:
			if len(n.Items) == 1 {
				b = append(b, '[')
				closers = append(closers, ']')
				n = n.Items[0]
				continue
			}
			b = append(b, '[')
			for i, it := range n.Items {
				if i > 0 {
					b = append(b, ',')
				}
				b = it.appendTo(b)
			}
			b = append(b, ']')
		case Object:
			if len(n.Members) == 1 {
				b = append(b, '{')
				b = appendString(b, n.Members[0].Key)
				b = append(b, ':')
				closers = append(closers, '}')
				n = n.Members[0].Value
				continue
			}
			b = append(b, '{')
			for i, m := range n.Members {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendString(b, m.Key)
				b = append(b, ':')
				b = m.Value.appendTo(b)
			}
			b = append(b, '}')
		}
		break
	}
	for i := len(closers) - 1; i >= 0; i-- {
		b = append(b, closers[i])
	}
	return b
}

func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// ValidUTF8 reports whether every string and key in n is valid UTF-8.
func (n *Node) ValidUTF8() bool {
	ok := true
	n.walk(func(x *Node) {
		if x.Kind == String && !utf8.ValidString(x.Text) {
			ok = false
		}
		for _, m := range x.Members {
			if !utf8.ValidString(m.Key) {
				ok = false
			}
		}
	})
	return ok
}

// HasDuplicateKeys reports whether some object in n has two members of the same name.
func (n *Node) HasDuplicateKeys() bool {
	dup := false
	n.walk(func(x *Node) {
		if len(x.Members) < 2 {
			return
		}
		seen := make(map[string]bool, len(x.Members))
		for _, m := range x.Members {
			if seen[m.Key] {
				dup = true
			}
			seen[m.Key] = true
		}
	})
	return dup
}

// Depth is n's nesting depth: 0 for a scalar, 1 for a flat array or object.
func (n *Node) Depth() int {
	type item struct {
		n *Node
		d int
	}
	max := 0
	stack := []item{{n, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.n.Kind != Array && it.n.Kind != Object {
			continue
		}
		d := it.d + 1
		if d > max {
			max = d
		}
		for _, k := range it.n.children() {
			stack = append(stack, item{k, d})
		}
	}
	return max
}

// deeperThan reports whether n nests more than max levels, looking no deeper than that.
func (n *Node) deeperThan(max int) bool {
	var rec func(x *Node, d int) bool
	rec = func(x *Node, d int) bool {
		if x.Kind != Array && x.Kind != Object {
			return false
		}
		if d+1 > max {
			return true
		}
		for _, k := range x.children() {
			if rec(k, d+1) {
				return true
			}
		}
		return false
	}
	return rec(n, 0)
}

func (n *Node) children() []*Node {
	switch n.Kind {
	case Array:
		return n.Items
	case Object:
		out := make([]*Node, len(n.Members))
		for i, m := range n.Members {
			out[i] = m.Value
		}
		return out
	}
	return nil
}

// walk calls f on every node of n, outermost first (iteratively: deep chains are fine).
func (n *Node) walk(f func(*Node)) {
	stack := []*Node{n}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		f(x)
		kids := x.children()
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
}

// Resolution says which of duplicate members a reader keeps.
type Resolution int

const (
	LastWins  Resolution = iota // encoding/json, most JSON libraries
	FirstWins                   // some streaming readers
)

// Value converts n to the decoded form encoding/json with UseNumber gives (map[string]any, []any,
// json.Number, string, bool, nil), keeping the first or last of duplicate members. Strings keep their
// bytes (invalid UTF-8 included). Deep chains are converted without deep recursion.
func (n *Node) Value(res Resolution) any {
	switch n.Kind {
	case Null:
		return nil
	case Bool:
		return n.Bool
	case Number:
		return json.Number(n.Text)
	case String:
		return n.Text
	case Array:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = it.Value(res)
		}
		return out
	case Object:
		out := make(map[string]any, len(n.Members))
		for _, m := range n.Members {
			if _, seen := out[m.Key]; seen && res == FirstWins {
				continue
			}
			out[m.Key] = m.Value.Value(res)
		}
		return out
	}
	panic(fmt.Sprintf("generate: node kind %d", n.Kind))
}

// FromValue builds a node from a decoded JSON value (as Value returns, or encoding/json gives).
func FromValue(v any) *Node {
	switch x := v.(type) {
	case nil:
		return nullNode()
	case bool:
		return boolNode(x)
	case json.Number:
		return numNode(x.String())
	case float64:
		return numNode(strconv.FormatFloat(x, 'g', -1, 64))
	case int:
		return numNode(strconv.Itoa(x))
	case string:
		return strNode(x)
	case []any:
		out := &Node{Kind: Array, Items: make([]*Node, len(x))}
		for i, it := range x {
			out.Items[i] = FromValue(it)
		}
		return out
	case map[string]any:
		out := &Node{Kind: Object}
		for _, k := range sortedKeys(x) {
			out.Members = append(out.Members, Member{k, FromValue(x[k])})
		}
		return out
	}
	panic(fmt.Sprintf("generate: cannot build a node from %T", v))
}
