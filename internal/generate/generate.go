// Package generate makes request bodies for the enrollmentConfigurationAssignment family from Graph's
// CSDL-derived type model (internal/schema), the way Schemathesis does from an OpenAPI document: valid
// bodies with random legal values, invalid ones by mutation classes (each class deterministically at
// least once, then random combinations), a judge that says what a conformant service must do with any
// body (Classify), and a shrinker that reduces a failing body to a minimal one (Shrink).
//
// Everything is a function of the run's seed and the stream name (the scenario), so one seed replays a
// run exactly, whatever order and concurrency the scenarios ran in.
package generate

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"github.com/graphconform/graphconform/internal/schema"
)

// Config says what to generate for.
type Config struct {
	Seed   int64  // the run's seed
	Stream string // names the sequence (the scenario): distinct streams of one seed are independent
	// Version is the URL version segment: it selects the type model (schema.Types) and the schemas.
	Version string
	// Wild allows every value the metadata allows (any text in an id, nulls, the Int32 extremes,
	// many-kilobyte strings); without it values keep the shape a real service may also check (a group
	// id is a GUID), so that a refusal says something about the body's form, not about a tenant.
	Wild    bool
	Schemas *schema.Set // judges the bodies (Classify); nil: schema.Default()
}

// Generator makes cases for one stream. It is not safe for concurrent use (one per scenario).
type Generator struct {
	cfg    Config
	model  *schema.TypeModel
	v      *values
	chains map[chainKey]*Node
}

// New returns the generator of cfg's stream.
func New(cfg Config) *Generator {
	h := fnv.New64a()
	h.Write([]byte(cfg.Stream))
	r := rand.New(rand.NewPCG(uint64(cfg.Seed), h.Sum64()))
	return &Generator{cfg: cfg, model: schema.Types(cfg.Version), v: &values{r: r, wild: cfg.Wild}}
}

// Model is the type model the generator draws from.
func (g *Generator) Model() *schema.TypeModel { return g.model }

// Case is one generated body and what a conformant service must do with it.
type Case struct {
	Name    string  // what it is, e.g. "groupAssignmentTarget, /target/groupId is a number"
	Classes []Class // the mutation classes applied; none for a valid body
	Node    *Node   // the body; nil when Raw is sent instead
	Raw     []byte  // a body that is no JSON value (empty, text, truncated)
	Expect  Expect  // Classify's verdict
}

// Body is what is sent.
func (c *Case) Body() []byte {
	if c.Node == nil {
		return c.Raw
	}
	return c.Node.Encode()
}

// shortTypeName is "groupAssignmentTarget" for "#microsoft.graph.groupAssignmentTarget".
func shortTypeName(t string) string {
	return strings.TrimPrefix(schema.NormalizeType(t), "microsoft.graph.")
}

func (g *Generator) schemas() (*schema.Set, error) {
	if g.cfg.Schemas != nil {
		return g.cfg.Schemas, nil
	}
	return schema.Default()
}

// Judge classifies c as a body of the request schema name (see Classify).
func (g *Generator) Judge(name schema.Name, c *Case) (Expect, error) {
	set, err := g.schemas()
	if err != nil {
		return Expect{}, err
	}
	return Classify(set, g.cfg.Version, name, c)
}

// judged sets each case's Expect and keeps the cases whose verdict is want. A deterministic case
// (index < fixed; fixed < 0: every case) judged otherwise is a bug of the generator, reported as an error.
func (g *Generator) judged(name schema.Name, cases []*Case, fixed int, want Verdict) ([]*Case, error) {
	out := cases[:0]
	for i, c := range cases {
		e, err := g.Judge(name, c)
		if err != nil {
			return nil, err
		}
		c.Expect = e
		if e.Verdict == want {
			out = append(out, c)
			continue
		}
		if fixed < 0 || i < fixed {
			return nil, fmt.Errorf("generate: case %q is %s (%s); its class promises %s", c.Name, e.Verdict, e.Why, want)
		}
	}
	return out, nil
}
