package generate

import (
	"fmt"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/schema"
)

// ValidPatches returns n valid PATCH bodies (at least one per target type): first one of every target
// type the model lets a request carry, in the model's order, then targets of random types.
func (g *Generator) ValidPatches(n int) ([]*Case, error) {
	return g.judged(schema.AssignmentPatch, g.validAssignments(n, "valid PATCH"), -1, Accept)
}

// ValidCreates returns n valid bodies for a POST to an assignments collection, like ValidPatches (a
// create body has the same shape; its target is required, and always there).
func (g *Generator) ValidCreates(n int) ([]*Case, error) {
	return g.judged(schema.AssignmentCreate, g.validAssignments(n, "valid create"), -1, Accept)
}

func (g *Generator) validAssignments(n int, what string) []*Case {
	types := g.model.Targets
	n = max(n, len(types))
	out := make([]*Case, 0, n)
	for i := range n {
		t := types[i%len(types)]
		if i >= len(types) {
			t = types[g.v.r.IntN(len(types))]
		}
		out = append(out, &Case{Name: what + ", " + shortTypeName(t.Name), Node: g.validAssignment(t, i < len(types))})
	}
	return out
}

// validAssignment is {"target": <a random t>} plus, now and then, the assignment's other properties
// (beta's source and sourceId). A full target sets a property of its own type when it has one.
func (g *Generator) validAssignment(t schema.Type, full bool) *Node {
	target := g.v.object(g.model, t, true, nil)
	if full {
		target = g.validTarget(t)
	}
	body := objNode(Member{"target", target})
	for _, p := range g.model.Assignment.Properties {
		if p.Name != "target" && g.v.r.IntN(3) == 0 {
			body.Members = append(body.Members, Member{p.Name, g.v.property(g.model, p)})
		}
	}
	return body
}

// validTarget is a random valid target of type t that sets at least one property the base type does not
// declare, when t has one: what the @odata.type mutations need to tell the types apart.
func (g *Generator) validTarget(t schema.Type) *Node {
	n := g.v.object(g.model, t, true, nil)
	own := g.ownProperties(t)
	if len(own) == 0 {
		return n
	}
	for _, p := range own {
		if v := n.Get(p.Name); v != nil && v.Kind != Null {
			return n
		}
	}
	p := own[g.v.r.IntN(len(own))]
	v := g.v.property(g.model, p)
	for v.Kind == Null {
		v = g.v.property(g.model, p)
	}
	return n.with(p.Name, v)
}

// ownProperties are t's properties that the base target type does not declare.
func (g *Generator) ownProperties(t schema.Type) []schema.Property {
	base := g.model.Targets[0]
	var out []schema.Property
	for _, p := range t.Properties {
		if _, inherited := base.Property(p.Name); !inherited {
			out = append(out, p)
		}
	}
	return out
}

// ValidConfigurations returns n valid bodies for a POST to deviceEnrollmentConfigurations (at least one
// per type): every property but the ones the server generates, with random legal values, and a
// displayName that starts with name (so a sweep finds what a dead run left behind). The types are the
// concrete configuration types named (qualified, '#' allowed), or all of them.
func (g *Generator) ValidConfigurations(n int, name string, only ...string) ([]*Case, error) {
	types := g.model.Configurations
	if len(only) > 0 {
		types = nil
		for _, t := range g.model.Configurations {
			for _, o := range only {
				if schema.NormalizeType(o) == t.Name {
					types = append(types, t)
				}
			}
		}
		if len(types) != len(only) {
			return nil, fmt.Errorf("generate: %v are not all concrete configuration types of the %s model", only, g.cfg.Version)
		}
	}
	n = max(n, len(types))
	skip := map[string]bool{"displayName": true}
	for _, p := range check.ServerGenerated {
		skip[p] = true
	}
	out := make([]*Case, 0, n)
	for i := range n {
		t := types[i%len(types)]
		if i >= len(types) {
			t = types[g.v.r.IntN(len(types))]
		}
		body := g.v.object(g.model, t, true, skip)
		// After @odata.type: a reader of the evidence sees what the entity is first.
		body.Members = append(body.Members[:1], append([]Member{{"displayName", strNode(name + " " + g.v.text(4))}}, body.Members[1:]...)...)
		out = append(out, &Case{Name: "valid create, " + shortTypeName(t.Name), Node: body})
	}
	return g.judged(schema.ConfigurationCreate, out, -1, Accept)
}
