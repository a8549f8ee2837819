package generate

import (
	"strconv"

	"github.com/graphconform/graphconform/internal/schema"
)

// A slot is a place in a valid body where a value sits, with the JSON kinds the model allows there:
// what the wrong-type and invalid-UTF-8 mutations aim at.
type slot struct {
	path  []string // member names and array indexes from the root
	legal []Kind
	node  *Node
}

// level is an object in a body (the root, the target, a nested complex value) and its type: where the
// undeclared-property mutation adds a member.
type level struct {
	path []string
	typ  schema.Type
	node *Node
}

// shape lists the slots and levels of a valid body whose root is of type root.
func (g *Generator) shape(body *Node, root schema.Type) (slots []slot, levels []level) {
	var visit func(n *Node, t schema.Type, path []string)
	visit = func(n *Node, t schema.Type, path []string) {
		levels = append(levels, level{path: path, typ: t, node: n})
		for _, m := range n.Members {
			p := append(append([]string(nil), path...), m.Key)
			if m.Key == "@odata.type" {
				slots = append(slots, slot{path: p, legal: []Kind{String}, node: m.Value})
				continue
			}
			prop, ok := t.Property(m.Key)
			if !ok {
				continue
			}
			slots = append(slots, slot{path: p, legal: legalKinds(prop), node: m.Value})
			switch {
			case prop.Kind == schema.KindComplex && m.Value.Kind == Object:
				visit(m.Value, g.actualType(prop, m.Value), p)
			case prop.Kind == schema.KindStrings && m.Value.Kind == Array:
				for i, it := range m.Value.Items {
					slots = append(slots, slot{path: append(append([]string(nil), p...), strconv.Itoa(i)), legal: []Kind{String}, node: it})
				}
			}
		}
	}
	visit(body, root, nil)
	return slots, levels
}

// actualType is the type of a complex value: its @odata.type when the model knows it, else the
// property's declared type.
func (g *Generator) actualType(p schema.Property, v *Node) schema.Type {
	if tn := v.Get("@odata.type"); tn != nil && tn.Kind == String {
		if t, ok := g.model.Complex(tn.Text); ok {
			return t
		}
	}
	t, _ := g.model.Complex(p.Complex)
	return t
}

// legalKinds are the JSON kinds the metadata lets a property's value have in a request. A null target
// is among them: the request schemas refuse it, but the metadata allows it, so the judge calls it not
// pinned down (nullTarget) and the invalid classes never produce it.
func legalKinds(p schema.Property) []Kind {
	var k []Kind
	switch p.Kind {
	case schema.KindInt32:
		k = []Kind{Number}
	case schema.KindBool:
		k = []Kind{Bool}
	case schema.KindStrings:
		k = []Kind{Array}
	case schema.KindComplex:
		k = []Kind{Object}
	default:
		k = []Kind{String}
	}
	if p.Nullable {
		k = append(k, Null)
	}
	return k
}

// replaceAt returns a copy of root with the value at path replaced by v; only the nodes along the path
// are copied. Under duplicate members the last one is followed, as most readers would.
func replaceAt(root *Node, path []string, v *Node) *Node {
	if len(path) == 0 {
		return v
	}
	c := *root
	switch root.Kind {
	case Object:
		c.Members = append([]Member(nil), root.Members...)
		for i := len(c.Members) - 1; i >= 0; i-- {
			if c.Members[i].Key == path[0] {
				c.Members[i].Value = replaceAt(c.Members[i].Value, path[1:], v)
				return &c
			}
		}
	case Array:
		i, err := strconv.Atoi(path[0])
		if err == nil && i >= 0 && i < len(root.Items) {
			c.Items = append([]*Node(nil), root.Items...)
			c.Items[i] = replaceAt(c.Items[i], path[1:], v)
			return &c
		}
	}
	return root
}

// at returns the value at path, following the last of duplicate members.
func at(root *Node, path []string) *Node {
	n := root
	for _, p := range path {
		switch n.Kind {
		case Object:
			n = n.Get(p)
		case Array:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(n.Items) {
				return nil
			}
			n = n.Items[i]
		default:
			return nil
		}
		if n == nil {
			return nil
		}
	}
	return n
}

// pointer renders a path as a JSON pointer.
func pointer(path []string) string {
	if len(path) == 0 {
		return "(root)"
	}
	s := ""
	for _, p := range path {
		s += "/" + escapeToken(p)
	}
	return s
}

func escapeToken(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '~':
			out = append(out, '~', '0')
		case '/':
			out = append(out, '~', '1')
		default:
			out = append(out, s[i])
		}
	}
	if len(out) > 60 {
		return string(out[:60]) + "..."
	}
	return string(out)
}
