package generate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/graphconform/graphconform/internal/schema"
)

// Class is a mutation class: one way a body goes wrong.
type Class string

// The classes whose bodies a conformant service must refuse with 400 (Classify: Reject).
const (
	WrongType    Class = "wrong JSON type"
	Undeclared   Class = "undeclared property"
	BadODataType Class = "bad @odata.type"
	NotAnObject  Class = "not a JSON object"
	InvalidUTF8  Class = "invalid UTF-8"
	DeepNesting  Class = "deep nesting"
	HugeNumber   Class = "number beyond float64"
	LongString   Class = "very long string"
	Combination  Class = "random combination"
)

// The classes Graph's behaviour does not pin down (Classify: Either).
const (
	DuplicateKeys Class = "duplicate keys"
	UntypedTarget Class = "target without @odata.type"
)

// Invalid lists the classes of invalid bodies, Combination last.
func Invalid() []Class {
	return []Class{WrongType, Undeclared, BadODataType, NotAnObject, InvalidUTF8, DeepNesting, HugeNumber, LongString, Combination}
}

// Unpinned lists the classes of bodies whose answer is not pinned down.
func Unpinned() []Class { return []Class{DuplicateKeys, UntypedTarget} }

// ParseClass finds a class by its name.
func ParseClass(s string) (Class, bool) {
	for _, c := range append(Invalid(), Unpinned()...) {
		if string(c) == s {
			return c, true
		}
	}
	return "", false
}

// combinable are the classes a random combination draws from: the ones that change a value inside an
// object body (a body that is not an object, or repeats a member, is a class of its own).
var combinable = []Class{WrongType, Undeclared, BadODataType, InvalidUTF8, DeepNesting, HugeNumber, LongString}

// Sizes of the hostile values: far past what any client sends (.NET's JSON readers stop at depth 64 by
// default, encoding/json at 10000), yet a body stays well under the 4 MB Graph accepts.
const (
	deepShallow = 1000
	deepArrays  = 100_000 // "[" is one byte a level
	deepObjects = 20_000  // {"a": is five
	longSize    = 64 << 10
)

// Patches returns up to n PATCH bodies of class c (at least one): first the class's deterministic
// cases, the kinds of the class early, then random cases of the class (Combination: random combinations
// of two or three classes) when its random cases differ in what matters (randomized). Each is judged (Case.Expect): Reject for the invalid classes, Either for the
// unpinned ones; a random case the judge sees otherwise is dropped and drawn again.
func (g *Generator) Patches(c Class, n int) ([]*Case, error) {
	want := Reject
	for _, u := range Unpinned() {
		if c == u {
			want = Either
		}
	}
	n = max(n, 1)
	var fixed []*Case
	for _, mk := range g.deterministic(c) {
		if len(fixed) == n {
			break
		}
		if k := mk(); k != nil {
			fixed = append(fixed, k)
		}
	}
	out, err := g.judged(schema.AssignmentPatch, fixed, len(fixed), want)
	if err != nil {
		return nil, err
	}
	if !randomized[c] {
		return out, nil
	}
	for tries := 0; len(out) < n && tries < 4*n; tries++ {
		k := g.random(c)
		if k == nil {
			continue
		}
		kept, err := g.judged(schema.AssignmentPatch, []*Case{k}, 0, want)
		if err != nil {
			return nil, err
		}
		out = append(out, kept...)
	}
	return out, nil
}

// randomized are the classes whose random cases differ in what matters (which path, which bytes where,
// which combination); the others' cases are all among their deterministic ones (a few hostile bodies,
// each sent once), so drawing more would only resend them.
var randomized = map[Class]bool{WrongType: true, Undeclared: true, BadODataType: true, InvalidUTF8: true,
	HugeNumber: true, DuplicateKeys: true, Combination: true}

// mutation is one case in the making: nil when it does not apply to the body drawn.
type mutation func() *Case

func (g *Generator) deterministic(c Class) []mutation {
	switch c {
	case WrongType:
		return g.wrongTypes()
	case Undeclared:
		return g.undeclared()
	case BadODataType:
		return g.badTypes()
	case NotAnObject:
		return g.notObjects()
	case InvalidUTF8:
		return g.invalidUTF8()
	case DeepNesting:
		return g.deepNesting()
	case HugeNumber:
		return g.hugeNumbers()
	case LongString:
		return g.longStrings()
	case Combination:
		return nil
	case DuplicateKeys:
		return g.duplicateKeys()
	case UntypedTarget:
		return g.untypedTargets()
	}
	panic("generate: unknown class " + string(c))
}

// random is one random case of class c.
func (g *Generator) random(c Class) *Case {
	if c == Combination {
		return g.combination()
	}
	ms := g.deterministic(c)
	return ms[g.v.r.IntN(len(ms))]()
}

// base draws a valid body with a target of a random type (of type t when given).
func (g *Generator) base(t *schema.Type) (*Node, schema.Type) {
	tt := g.model.Targets[g.v.r.IntN(len(g.model.Targets))]
	if t != nil {
		tt = *t
	}
	body := objNode(Member{"target", g.validTarget(tt)})
	return body, tt
}

func (g *Generator) mk(c Class, name string, body *Node) *Case {
	return &Case{Name: string(c) + ": " + name, Classes: []Class{c}, Node: body}
}

// sample is a value of kind k.
func (g *Generator) sample(k Kind) *Node {
	switch k {
	case Null:
		return nullNode()
	case Bool:
		return boolNode(g.v.r.IntN(2) == 0)
	case Number:
		return numNode([]string{"42", "-1", "0.5", "1e3"}[g.v.r.IntN(4)])
	case String:
		return strNode(g.v.text(3))
	case Array:
		if g.v.r.IntN(2) == 0 {
			return arrNode()
		}
		return arrNode(strNode("graphconform"))
	}
	if g.v.r.IntN(2) == 0 {
		return objNode()
	}
	return objNode(Member{"graphconform", numNode("1")})
}

// wrongTypes: every slot of a body of every target type, every JSON kind the model does not allow there.
func (g *Generator) wrongTypes() []mutation {
	var out []mutation
	for _, t := range g.model.Targets {
		body, _ := g.base(&t)
		slots, _ := g.shape(body, g.model.Assignment)
		for _, s := range slots {
			for k := Null; k <= Object; k++ {
				if slices.Contains(s.legal, k) {
					continue
				}
				s, k, body, t := s, k, body, t
				out = append(out, func() *Case {
					return g.mk(WrongType, fmt.Sprintf("%s, %s is %s", shortTypeName(t.Name), pointer(s.path), k),
						replaceAt(body, s.path, g.sample(k)))
				})
			}
		}
	}
	return interleave(out, len(Kinds()))
}

// Kinds lists the JSON kinds.
func Kinds() []Kind { return []Kind{Null, Bool, Number, String, Array, Object} }

// undeclaredNames are members an object of type t does not declare: a made-up name, a property another
// type of the family declares (a group target's collectionId), an id inside a complex value, and a
// property only the beta model has (under v1.0).
func (g *Generator) undeclaredNames(t schema.Type, root bool) []string {
	names := []string{"graphconformUndeclared"}
	known := map[string]bool{}
	for _, p := range t.Properties {
		known[p.Name] = true
	}
	var others []string
	for _, tt := range append(append([]schema.Type(nil), g.model.Targets...), g.model.Configurations...) {
		for _, p := range tt.Properties {
			if !known[p.Name] && !contains(others, p.Name) {
				others = append(others, p.Name)
			}
		}
	}
	if len(others) > 0 {
		names = append(names, others[g.v.r.IntN(len(others))])
	}
	if !root {
		names = append(names, "id")
	}
	if schema.Model(g.cfg.Version) != "beta" {
		beta := schema.Types("beta")
		bt := beta.Assignment
		if !root {
			bt = beta.Targets[0]
		}
		for _, p := range bt.Properties {
			if !known[p.Name] {
				names = append(names, p.Name)
				break
			}
		}
	}
	return names
}

// undeclared: at every level of a body of every target type, each kind of undeclared member.
func (g *Generator) undeclared() []mutation {
	var out []mutation
	for _, t := range g.model.Targets {
		body, _ := g.base(&t)
		_, levels := g.shape(body, g.model.Assignment)
		for _, l := range levels {
			for _, name := range g.undeclaredNames(l.typ, len(l.path) == 0) {
				l, name, body, t := l, name, body, t
				out = append(out, func() *Case {
					v := strNode(g.v.text(3))
					return g.mk(Undeclared, fmt.Sprintf("%s, %q at %s", shortTypeName(t.Name), name, pointer(l.path)),
						replaceAt(body, l.path, appendMember(l.node, name, v)))
				})
			}
		}
	}
	return interleave(out, 3)
}

func appendMember(obj *Node, key string, v *Node) *Node {
	c := *obj
	c.Members = append(append([]Member(nil), obj.Members...), Member{key, v})
	return &c
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// withOwnProperty picks a target type with properties of its own (a group target's groupId).
func (g *Generator) withOwnProperty() (schema.Type, bool) {
	var ts []schema.Type
	for _, t := range g.model.Targets {
		if len(g.ownProperties(t)) > 0 {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return schema.Type{}, false
	}
	return ts[g.v.r.IntN(len(ts))], true
}

// badTypes: the target's @odata.type missing while a derived type's property is there (the property is
// then undeclared on the declared type), the abstract base type with a derived type's property, an
// unknown type, a known type that is no target type, a type newer docs show but the metadata lacks, the
// right name in the wrong case (CSDL names are case-sensitive), an empty name; and the entity's own
// @odata.type naming another type.
func (g *Generator) badTypes() []mutation {
	base := g.model.Targets[0]
	typed := func(name string, build func(body *Node, t schema.Type) *Node) mutation {
		return func() *Case {
			t, ok := g.withOwnProperty()
			if !ok {
				return nil
			}
			body, _ := g.base(&t)
			return g.mk(BadODataType, fmt.Sprintf("%s (%s)", name, shortTypeName(t.Name)), build(body, t))
		}
	}
	setType := func(s string) func(body *Node, t schema.Type) *Node {
		return func(body *Node, _ schema.Type) *Node {
			return replaceAt(body, []string{"target", "@odata.type"}, strNode(s))
		}
	}
	anyType := func(name string, build func(body *Node, t schema.Type) *Node) mutation {
		return func() *Case {
			body, t := g.base(nil)
			return g.mk(BadODataType, fmt.Sprintf("%s (%s)", name, shortTypeName(t.Name)), build(body, t))
		}
	}
	return []mutation{
		typed("missing, with a derived type's property", func(body *Node, _ schema.Type) *Node {
			return body.with("target", body.Get("target").without("@odata.type"))
		}),
		typed("the abstract base type, with a derived type's property", setType("#"+base.Name)),
		anyType("unknown", setType("#microsoft.graph.graphconformUnknownAssignmentTarget")),
		anyType("wrong case", func(body *Node, t schema.Type) *Node {
			return replaceAt(body, []string{"target", "@odata.type"}, strNode("#"+wrongCase(t.Name)))
		}),
		anyType("namespace in the wrong case", func(body *Node, t schema.Type) *Node {
			return replaceAt(body, []string{"target", "@odata.type"}, strNode("#Microsoft.Graph."+shortTypeName(t.Name)))
		}),
		anyType("a known type that is no target type", setType("#microsoft.graph.deviceEnrollmentLimitConfiguration")),
		anyType("a type only newer doc pages show", setType("#microsoft.graph.scopeTagGroupAssignmentTarget")),
		anyType("empty", setType("")),
		anyType("without its namespace", func(body *Node, t schema.Type) *Node {
			return replaceAt(body, []string{"target", "@odata.type"}, strNode("#"+shortTypeName(t.Name)))
		}),
		anyType("the entity's type names a target type", func(body *Node, t schema.Type) *Node {
			return body.with("@odata.type", strNode("#"+t.Name))
		}),
	}
}

// wrongCase upper-cases the first letter of the type's own name: microsoft.graph.GroupAssignmentTarget.
func wrongCase(name string) string {
	i := strings.LastIndexByte(name, '.') + 1
	return name[:i] + strings.ToUpper(name[i:i+1]) + name[i+1:]
}

// notObjects: JSON that is not an object (an array holding a valid body included), no body at all, and
// text that is not JSON (truncated, single-quoted, form-encoded, commented, NaN, two values).
func (g *Generator) notObjects() []mutation {
	valid := func() *Node { b, _ := g.base(nil); return b }
	node := func(name string, n func() *Node) mutation {
		return func() *Case { return g.mk(NotAnObject, name, n()) }
	}
	raw := func(name string, b func() []byte) mutation {
		return func() *Case {
			return &Case{Name: string(NotAnObject) + ": " + name, Classes: []Class{NotAnObject}, Raw: b()}
		}
	}
	return []mutation{
		node("an array holding a valid body", func() *Node { return arrNode(valid()) }),
		raw("an empty body", func() []byte { return []byte{} }),
		raw("truncated JSON", func() []byte { b := valid().Encode(); return b[:len(b)/2] }),
		node("a string", func() *Node { return strNode(string(valid().Encode())) }),
		node("a number", func() *Node { return numNode("42") }),
		node("null", func() *Node { return nullNode() }),
		node("true", func() *Node { return boolNode(true) }),
		node("an empty array", func() *Node { return arrNode() }),
		raw("whitespace only", func() []byte { return []byte(" \r\n\t ") }),
		raw("single-quoted members", func() []byte { return []byte(strings.ReplaceAll(string(valid().Encode()), `"`, `'`)) }),
		raw("form-encoded", func() []byte { return []byte("target=allDevicesAssignmentTarget") }),
		raw("a comment before the body", func() []byte { return append([]byte("// graphconform\n"), valid().Encode()...) }),
		raw("NaN", func() []byte { return []byte(`{"target": NaN}`) }),
		raw("two JSON values", func() []byte { b := valid().Encode(); return append(append(b, ' '), b...) }),
		raw("trailing garbage", func() []byte { return append(valid().Encode(), "graphconform"...) }),
		raw("XML", func() []byte { return []byte(`<target type="allDevicesAssignmentTarget"/>`) }),
	}
}

// invalidSequences are byte sequences that are not UTF-8: a lone continuation byte, 0xFF, an overlong
// '/', a surrogate encoded as UTF-8 (CESU-8), a truncated sequence, a code point above U+10FFFF, a
// five-byte form.
var invalidSequences = []string{"\x80", "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80"}

// invalidUTF8 puts each invalid sequence into a string the body may legally carry (so that the
// encoding is the body's only fault), into the @odata.type, and into a member name.
func (g *Generator) invalidUTF8() []mutation {
	var out []mutation
	for i, bad := range invalidSequences {
		bad := bad
		where := i % 3
		out = append(out, func() *Case {
			t, ok := g.withOwnProperty()
			body, _ := g.base(&t)
			switch {
			case where == 0 && ok:
				slots, _ := g.shape(body, g.model.Assignment)
				for _, s := range slots {
					if s.node.Kind == String && len(s.path) > 1 && s.path[1] != "@odata.type" {
						return g.mk(InvalidUTF8, fmt.Sprintf("%q in %s", bad, pointer(s.path)),
							replaceAt(body, s.path, strNode(spliceBad(s.node.Text, bad, g))))
					}
				}
				fallthrough
			case where == 1:
				tn := body.Get("target").Get("@odata.type")
				return g.mk(InvalidUTF8, fmt.Sprintf("%q in /target/@odata.type", bad),
					replaceAt(body, []string{"target", "@odata.type"}, strNode(spliceBad(tn.Text, bad, g))))
			default:
				target := body.Get("target")
				c := *target
				c.Members = append([]Member(nil), target.Members...)
				last := &c.Members[len(c.Members)-1]
				last.Key = spliceBad(last.Key, bad, g)
				return g.mk(InvalidUTF8, fmt.Sprintf("%q in a member name of /target", bad), body.with("target", &c))
			}
		})
	}
	return out
}

// spliceBad puts bad into s at a random byte offset that is not inside a character.
func spliceBad(s, bad string, g *Generator) string {
	var cuts []int
	for i := range s {
		cuts = append(cuts, i)
	}
	cuts = append(cuts, len(s))
	i := cuts[g.v.r.IntN(len(cuts))]
	return s[:i] + bad + s[i:]
}

// chain is depth nested arrays (objects: {"a": ...}) around the number 1. Nodes never change, so one
// chain serves every case of a generator.
func (g *Generator) chain(depth int, objects bool) *Node {
	key := chainKey{depth, objects}
	if n, ok := g.chains[key]; ok {
		return n
	}
	n := chain(depth, objects, numNode("1"))
	if g.chains == nil {
		g.chains = map[chainKey]*Node{}
	}
	g.chains[key] = n
	return n
}

type chainKey struct {
	depth   int
	objects bool
}

func chain(depth int, objects bool, leaf *Node) *Node {
	n := leaf
	for range depth {
		if objects {
			n = objNode(Member{"a", n})
		} else {
			n = arrNode(n)
		}
	}
	return n
}

// deepNesting: nested arrays and objects far past any client's depth, where the schema refuses them
// anyway (as the target, as a string property's value, as an undeclared member), so a service that
// stops reading early and one that reads to the end must both answer 400.
func (g *Generator) deepNesting() []mutation {
	type spot struct {
		name  string
		place func(body *Node, v *Node) *Node
	}
	spots := []spot{
		{"as the target", func(body, v *Node) *Node { return body.with("target", v) }},
		{"as an undeclared member", func(body, v *Node) *Node { return body.with("graphconformDeep", v) }},
		{"inside the target", func(body, v *Node) *Node {
			return body.with("target", appendMember(body.Get("target"), "graphconformDeep", v))
		}},
	}
	var out []mutation
	for _, d := range []struct {
		depth   int
		objects bool
	}{{deepShallow, false}, {deepArrays, false}, {deepObjects, true}, {deepShallow, true}} {
		for _, sp := range spots {
			d, sp := d, sp
			out = append(out, func() *Case {
				body, _ := g.base(nil)
				shape := "arrays"
				if d.objects {
					shape = "objects"
				}
				return g.mk(DeepNesting, fmt.Sprintf("%d nested %s %s", d.depth, shape, sp.name),
					sp.place(body, g.chain(d.depth, d.objects)))
			})
		}
	}
	return interleave(out, len(spots))
}

// hugeLiterals are numbers a float64 cannot hold: beyond its range either way, past MaxFloat64 by one
// digit, an integer of 40 digits, more precision than 64 bits carry.
var hugeLiterals = []string{"1e400", "-1e400", "1.7976931348623157e309", "1234567890123456789012345678901234567890",
	"0.1000000000000000000000000000000000000001"}

// hugeNumbers: each literal where the body must hold a string or an object (so the schema refuses it
// whatever a reader makes of it) and as an undeclared member.
func (g *Generator) hugeNumbers() []mutation {
	var out []mutation
	for i, lit := range hugeLiterals {
		lit, where := lit, i%4
		out = append(out, func() *Case {
			t, ok := g.withOwnProperty()
			body, _ := g.base(&t)
			if !ok {
				where = 1
			}
			switch where {
			case 0:
				own := g.ownProperties(t)[0]
				return g.mk(HugeNumber, fmt.Sprintf("%s as /target/%s", lit, own.Name), replaceAt(body, []string{"target", own.Name}, numNode(lit)))
			case 1:
				return g.mk(HugeNumber, lit+" as /target/@odata.type", replaceAt(body, []string{"target", "@odata.type"}, numNode(lit)))
			case 2:
				return g.mk(HugeNumber, lit+" as the target", body.with("target", numNode(lit)))
			}
			return g.mk(HugeNumber, lit+" as an undeclared member", body.with("graphconformNumber", numNode(lit)))
		})
	}
	return out
}

// longStrings: a string of 64 KiB as an unknown @odata.type, as an undeclared member's name and as its
// value: far past any buffer a reader sizes for names, and for an id, short enough for any body limit.
func (g *Generator) longStrings() []mutation {
	long := func() string {
		var b strings.Builder
		for b.Len() < longSize {
			b.WriteString(textPieces[g.v.r.IntN(len(textPieces))])
		}
		return b.String()
	}
	return []mutation{
		func() *Case {
			body, _ := g.base(nil)
			return g.mk(LongString, "an unknown @odata.type of 64 KiB", replaceAt(body, []string{"target", "@odata.type"},
				strNode("#microsoft.graph."+strings.Repeat("x", longSize))))
		},
		func() *Case {
			body, _ := g.base(nil)
			return g.mk(LongString, "an undeclared member named with 64 KiB", body.with("graphconform"+long(), strNode("x")))
		},
		func() *Case {
			body, _ := g.base(nil)
			return g.mk(LongString, "an undeclared member of 64 KiB in /target",
				body.with("target", appendMember(body.Get("target"), "graphconformLong", strNode(long()))))
		},
	}
}

// combination applies two or three mutations of distinct combinable classes to one body: the first to a
// valid body, the next ones to what the previous left.
func (g *Generator) combination() *Case {
	order := g.v.r.Perm(len(combinable))
	n := 2 + g.v.r.IntN(2)
	body, _ := g.base(nil)
	var names []string
	var classes []Class
	for _, i := range order[:n] {
		c := combinable[i]
		ms := g.deterministic(c)
		k := ms[g.v.r.IntN(len(ms))]()
		if k == nil || k.Node == nil {
			continue
		}
		body = merge(body, k.Node)
		names = append(names, k.Name)
		classes = append(classes, c)
	}
	if len(classes) < 2 {
		return nil
	}
	return &Case{Name: string(Combination) + ": " + strings.Join(names, "; "), Classes: classes, Node: body}
}

// merge lays the members of a mutated body over acc: the mutated target's members over acc's target
// when both are objects, every other member replaced or added.
func merge(acc, mutated *Node) *Node {
	if acc.Kind != Object || mutated.Kind != Object {
		return mutated
	}
	out := acc
	for _, m := range mutated.Members {
		prev := out.Get(m.Key)
		if m.Key == "target" && prev != nil && prev.Kind == Object && m.Value.Kind == Object {
			t := prev
			for _, tm := range m.Value.Members {
				if tm.Key == "@odata.type" && t.Get("@odata.type") != nil && tm.Value.Kind == String && t.Get("@odata.type").Kind == String {
					t = t.with(tm.Key, tm.Value) // the later type wins
					continue
				}
				if t.Get(tm.Key) == nil {
					t = appendMember(t, tm.Key, tm.Value)
				}
			}
			out = out.with("target", t)
			continue
		}
		out = out.with(m.Key, m.Value)
	}
	return out
}

// duplicateKeys: a member repeated at the root, in the target, with the same or different kinds of value.
func (g *Generator) duplicateKeys() []mutation {
	return []mutation{
		func() *Case {
			a, _ := g.base(nil)
			b, _ := g.base(nil)
			return g.mk(DuplicateKeys, "two targets", appendMember(a, "target", b.Get("target")))
		},
		func() *Case {
			t, ok := g.withOwnProperty()
			if !ok {
				return nil
			}
			body, _ := g.base(&t)
			own := g.ownProperties(t)[0]
			target := appendMember(body.Get("target"), own.Name, strNode(g.v.str(own.Name)))
			return g.mk(DuplicateKeys, "/target/"+own.Name+" twice", body.with("target", target))
		},
		func() *Case {
			t, ok := g.withOwnProperty()
			if !ok {
				return nil
			}
			body, _ := g.base(&t)
			target := body.Get("target")
			other := g.model.Targets[1+g.v.r.IntN(len(g.model.Targets)-1)]
			return g.mk(DuplicateKeys, "/target/@odata.type twice", body.with("target", appendMember(target, "@odata.type", strNode("#"+other.Name))))
		},
		func() *Case {
			body, _ := g.base(nil)
			return g.mk(DuplicateKeys, "a valid target, then a string", appendMember(body, "target", strNode("allDevicesAssignmentTarget")))
		},
		func() *Case {
			body, _ := g.base(nil)
			return g.mk(DuplicateKeys, "a string, then a valid target", objNode(Member{"target", strNode("x")}, body.Members[0]))
		},
	}
}

// untypedTargets: targets without @odata.type that no derived type's property makes invalid.
func (g *Generator) untypedTargets() []mutation {
	return []mutation{
		func() *Case { return g.mk(UntypedTarget, "an empty target", objNode(Member{"target", objNode()})) },
		func() *Case {
			body := g.v.object(g.model, g.model.Targets[0], false, nil)
			return g.mk(UntypedTarget, "the base type's properties only", objNode(Member{"target", body}))
		},
	}
}

// interleave reorders cases so the first ones span the kinds: groups of width consecutive cases are
// read column by column.
func interleave(ms []mutation, width int) []mutation {
	if width <= 1 || len(ms) <= width {
		return ms
	}
	out := make([]mutation, 0, len(ms))
	for col := range width {
		for i := col; i < len(ms); i += width {
			out = append(out, ms[i])
		}
	}
	return out
}
