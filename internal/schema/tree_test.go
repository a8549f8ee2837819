package schema

import (
	"encoding/json"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var corpus = flag.Int("corpus", 1, "TestTreeMatchesEngine: how much of the generated corpus to run (1 to 24)")

// TestTreeMatchesEngine is the differential test of the two validators: jsonschema/v5 compiling the
// files of schemas/ ((*Set).Validate) and the type model compiled in process (Validate). Over the doc
// examples and a corpus generated from the model (every type with legal values, then every value
// replaced by odd ones, members added and removed, @odata.type varied, and random combinations of
// those), both must give the same verdict and, for a rejection, the same problems, word for word.
func TestTreeMatchesEngine(t *testing.T) {
	s := mustSet(t)
	rng := rand.New(rand.NewPCG(12, 10))
	var samples []sample
	for _, doc := range exampleDocs(t) {
		samples = append(samples, sample{doc: doc, names: Names()}) // every name, every version
	}
	for _, m := range models {
		samples = append(samples, mutatedCorpus(m, rng)...)
	}
	versions := []string{"v1.0", "beta", "localtest"}
	compared, rejected := 0, 0
	for _, c := range samples {
		// A generated doc against one of the schemas it was made for, mostly in its own model, and now
		// and then against another schema: the test stays around a second on a loaded machine (-corpus
		// widens it).
		names, vs := c.names, versions
		if c.model != "" {
			vs = []string{c.model}
			if rng.IntN(3) == 0 {
				vs = []string{versions[rng.IntN(len(versions))]}
			}
			names = []Name{c.names[rng.IntN(len(c.names))]}
			if rng.IntN(8) == 0 {
				names = append(names, Names()[rng.IntN(len(Names()))])
			}
		}
		for _, version := range vs {
			for _, name := range names {
				want := s.Validate(version, name, c.doc)
				got := Validate(version, name, c.doc)
				compared++
				if want != nil {
					rejected++
				}
				if !sameError(got, want) {
					t.Errorf("%s %s %s:\n model: %v\n files: %v", version, name, mustMarshal(t, c.doc), got, want)
				}
			}
		}
	}
	t.Logf("%d documents, %d validations compared, %d of them rejections", len(samples), compared, rejected)
	if rejected < compared/10 || rejected > compared*9/10 {
		t.Errorf("%d rejections in %d validations: the corpus should hold both kinds in good number", rejected, compared)
	}
}

// sample is a document of the corpus and the schemas it was made for (model "": the doc examples).
type sample struct {
	doc   any
	names []Name
	model string
}

// TestTreeInputs: the Go values (structs, raw JSON, float64 numbers) the engine accepts, the tree does.
func TestTreeInputs(t *testing.T) {
	s := mustSet(t)
	type target struct {
		ODataType string `json:"@odata.type"`
		GroupID   *int   `json:"groupId,omitempty"`
	}
	type body struct {
		Target target `json:"target"`
	}
	one := 1
	var floats any
	if err := json.Unmarshal([]byte(`{"@odata.type":"microsoft.graph.deviceEnrollmentLimitConfiguration","limit":5.5,"priority":1e3}`), &floats); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name Name
		doc  any
	}{
		{AssignmentPatch, body{target{ODataType: "microsoft.graph.groupAssignmentTarget"}}},
		{AssignmentPatch, body{target{"microsoft.graph.groupAssignmentTarget", &one}}},
		{AssignmentPatch, map[string]any{"target": map[string]string{"@odata.type": "x"}}},
		{AssignmentPatch, map[string]any{"unknown": struct{}{}}},
		{AssignmentPatch, json.RawMessage(`{"target":{}}`)},
		{AssignmentPatch, json.RawMessage(`{} {}`)},
		{AssignmentPatch, json.RawMessage(`{`)},
		{AssignmentPatch, func() {}},
		{ConfigurationCreate, floats},
		{"nope", map[string]any{}},
	} {
		want := s.Validate("v1.0", c.name, c.doc)
		got := Validate("v1.0", c.name, c.doc)
		if !sameError(got, want) {
			t.Errorf("%s %#v:\n model: %v\n files: %v", c.name, c.doc, got, want)
		}
	}
}

// TestTreeHugeNumbers: numbers whose exponent big.Rat refuses, which make jsonschema/v5 crash on a nil
// *big.Rat, are judged by value: an integer property gets "want <= 2147483647", not a panic.
func TestTreeHugeNumbers(t *testing.T) {
	for _, c := range []struct{ n, want string }{
		{"1e1000000000", `/limit: property "limit": got 1e1000000000; want <= 2147483647`},
		{"-1e1000000000", `/limit: property "limit": got -1e1000000000; want >= -2147483648`},
		{"1e-1000000000", `/limit: property "limit": got number; want integer`},
	} {
		doc := parse(t, `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","limit":`+c.n+`}`)
		err := Validate("v1.0", ConfigurationCreate, doc)
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].String() != c.want {
			t.Errorf("limit %s: got %v; want the one problem %s", c.n, err, c.want)
		}
	}
}

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		s     string
		isInt bool
		cmp   map[int64]int
	}{
		{"0", true, map[int64]int{0: 0, 1: -1, -1: 1}},
		{"-0.000", true, map[int64]int{0: 0}},
		{"1.0", true, map[int64]int{1: 0, 2: -1, 0: 1}},
		{"1.5", false, map[int64]int{1: 1, 2: -1, -2: 1}},
		{"-1.5", false, map[int64]int{-1: -1, -2: 1, 0: -1}},
		{"15e-1", false, map[int64]int{1: 1, 2: -1}},
		{"2147483647", true, map[int64]int{2147483647: 0, 2147483646: 1}},
		{"2147483648", true, map[int64]int{2147483647: 1}},
		{"-2147483648", true, map[int64]int{-2147483648: 0, -2147483647: -1}},
		{"-2147483649", true, map[int64]int{-2147483648: -1}},
		{"21474836470e-1", true, map[int64]int{2147483647: 0}},
		{"21474836475e-1", false, map[int64]int{2147483647: 1}},
		{"1e400", true, map[int64]int{2147483647: 1}},
		{"1E+2", true, map[int64]int{100: 0}},
		{"0.001e3", true, map[int64]int{1: 0}},
		{"-9223372036854775808", true, map[int64]int{-9223372036854775808: 0, -9223372036854775807: -1}},
	} {
		d, ok := parseDecimal(c.s)
		if !ok {
			t.Errorf("parseDecimal(%q): not a number", c.s)
			continue
		}
		if d.isInt() != c.isInt {
			t.Errorf("%s: isInt %v; want %v", c.s, d.isInt(), c.isInt)
		}
		for limit, want := range c.cmp {
			if got := d.cmpInt(limit); got != want {
				t.Errorf("%s compared with %d: got %d; want %d", c.s, limit, got, want)
			}
		}
	}
	for _, bad := range []string{"", "-", "1.", ".5", "1e", "1e+", "01x", "--1", "1.5.5"} {
		if _, ok := parseDecimal(bad); ok {
			t.Errorf("parseDecimal(%q): got a number; want none", bad)
		}
	}
}

func sameError(got, want error) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	var g, w *ValidationError
	if errors.As(got, &g) != errors.As(want, &w) {
		return false
	}
	if g == nil {
		return got.Error() == want.Error()
	}
	return g.Schema == w.Schema && g.Version == w.Version && reflect.DeepEqual(g.Problems, w.Problems) &&
		got.Error() == want.Error()
}

func mustMarshal(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

// exampleDocs are the doc pages' bodies (testdata/docs) and a few hand-picked odd ones.
func exampleDocs(t *testing.T) []any {
	files, err := filepath.Glob(filepath.Join("testdata", "docs", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no doc examples in testdata/docs: %v", err)
	}
	var docs []any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, parse(t, string(data)))
	}
	for _, s := range []string{`null`, `[]`, `[{}]`, `"x"`, `5`, `{}`, `{"value":[]}`, `{"value":[1,{}]}`,
		`{"error":{}}`, `{"error":{"code":"","message":"m"}}`, `{"error":{"code":"c","message":"m","innererror":{"date":1}}}`,
		`{"a":1,"b":2,"target":null}`, `{"target":{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration"}}`} {
		docs = append(docs, parse(t, s))
	}
	return docs
}

// legal is a legal value of a property, by its kind.
func legal(p property, model string) any {
	switch p.kind {
	case "string":
		return "text value"
	case "int32":
		return json.Number("5")
	case "bool":
		return true
	case "dateTime":
		return "2024-01-02T03:04:05.123Z"
	case "guid":
		return "6e8b8f1c-2b5f-4c0a-9d8e-1f2a3b4c5d6e"
	case "enum":
		return p.values[len(p.values)-1]
	case "enumFlags":
		return p.values[0] + "," + p.values[1]
	case "strings":
		return []any{"a", "b"}
	case "complex":
		out := map[string]any{}
		for _, q := range platformRestrictionType(model).props {
			out[q.name] = legal(q, model)
		}
		return out
	}
	panic(p.kind)
}

// validDocs are bodies of every concrete type of a model with every property set to a legal value:
// assignments (targets of every type), configurations, their collections, and an error.
func validDocs(model string) []sample {
	var docs []sample
	assignment := []Name{AssignmentPatch, AssignmentCreate, Assignment}
	targets := targetFamily(model)
	for _, tt := range targets {
		target := map[string]any{"@odata.type": "#" + namespace + tt.name}
		for _, p := range allProps(targets, tt) {
			target[p.name] = legal(p, model)
		}
		a := map[string]any{"@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment", "target": target}
		for _, p := range assignmentType(model).props {
			if p.name != "target" {
				a[p.name] = legal(p, model)
			}
		}
		docs = append(docs, sample{a, assignment, model})
		if tt.name == targets[0].name {
			docs = append(docs, sample{target, []Name{Target}, model})
		}
	}
	configs := configurationFamily(model)
	for _, ct := range configs {
		c := map[string]any{"@odata.type": namespace + ct.name, "id": "c1"}
		for _, p := range allProps(configs, ct) {
			c[p.name] = legal(p, model)
		}
		docs = append(docs, sample{c, []Name{ConfigurationCreate, Configuration}, model})
	}
	withID := func(d any) any { return with(d, []any{"id"}, "x1") }
	docs = append(docs,
		sample{map[string]any{"@odata.context": "ctx", "value": []any{withID(docs[0].doc), withID(docs[1].doc)}},
			[]Name{AssignmentCollection}, model},
		sample{map[string]any{"value": []any{docs[len(docs)-1].doc}}, []Name{ConfigurationCollection}, model},
		sample{map[string]any{"error": map[string]any{"code": "c", "message": "m",
			"innerError": map[string]any{"date": "d", "request-id": "r", "client-request-id": "c"}}}, []Name{Error}, model},
	)
	return docs
}

// odd values put in place of legal ones.
var oddValues = []any{
	nil, true, false, "", "x", strings.Repeat("long ", 30),
	json.Number("0"), json.Number("-1"), json.Number("1.5"), json.Number("1.0"), json.Number("1e3"), json.Number("1E-2"),
	json.Number("2147483647"), json.Number("2147483648"), json.Number("-2147483648"), json.Number("-2147483649"),
	json.Number("1e400"), json.Number("-1e400"), json.Number("99999999999999999999"), json.Number("0.0000"),
	"2024-02-30T00:00:00Z", "2024-01-01T23:59:60Z", "2024-01-01T10:00:00+01:00", "2024-01-01t10:00:00.5-01:30",
	"2024-01-01T10:00:00", "6E8B8F1C-2B5F-4C0A-9D8E-1F2A3B4C5D6E", "6e8b8f1c2b5f4c0a9d8e1f2a3b4c5d6e",
	"none,includeCompanyLogo", "none, includeCompanyLogo", "none,,bogus", "enabled", "include", "direct", "bogus",
	[]any{}, []any{"a"}, []any{json.Number("1")}, []any{nil, "b"}, map[string]any{},
	map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": json.Number("1")},
}

// oddNames are members added to objects.
var oddNames = []string{"colour", "a b", "a/b", "a~b", "é", "a'b", `a"b`, "a, b", "x@odata.type", "@odata.etag",
	"@odata.bogus", "@odata.", "Target", "ID", "target@odata.type", "groupId@odata.type", "id"}

// typeNamesAll are @odata.type values to try: every type of both families and models, with and
// without '#', in the wrong case, and unknown ones.
func typeNamesAll() []any {
	out := []any{"", "#", "microsoft.graph.bogus", "#microsoft.graph.enrollmentConfigurationAssignment",
		"#microsoft.graph.deviceenrollmentlimitconfiguration", "#Microsoft.Graph.GroupAssignmentTarget",
		"#microsoft.graph.deviceEnrollmentPlatformRestriction", json.Number("5"), nil}
	for _, m := range models {
		for _, t := range append(targetFamily(m), configurationFamily(m)...) {
			out = append(out, namespace+t.name, "#"+namespace+t.name)
		}
	}
	return out
}

// mutatedCorpus: the valid docs of a model, then every value replaced by odd ones (one at a time),
// members deleted and added, @odata.type varied, and random combinations of several such changes.
func mutatedCorpus(model string, rng *rand.Rand) []sample {
	base := validDocs(model)
	out := slices.Clone(base)
	types := typeNamesAll()
	for _, b := range base {
		add := func(doc any) { out = append(out, sample{doc, b.names, model}) }
		for _, p := range paths(b.doc, nil) {
			if last := p[len(p)-1]; last == "@odata.type" {
				for _, v := range types {
					if rng.IntN(6) < *corpus {
						add(with(b.doc, p, v))
					}
				}
			}
			for _, v := range oddValues {
				if rng.IntN(24) < *corpus {
					add(with(b.doc, p, v))
				}
			}
			add(without(b.doc, p))
		}
		for _, p := range append(objectPaths(b.doc, nil), nil) {
			for _, name := range oddNames {
				if rng.IntN(8) < *corpus {
					add(with(b.doc, append(slices.Clone(p), name), "v"))
				}
			}
		}
	}
	for range 200 * *corpus {
		b := base[rng.IntN(len(base))]
		doc := b.doc
		for range 1 + rng.IntN(3) {
			ps := paths(doc, nil)
			if len(ps) == 0 {
				break
			}
			p := ps[rng.IntN(len(ps))]
			switch rng.IntN(4) {
			case 0:
				doc = without(doc, p)
			case 1:
				doc = with(doc, p, types[rng.IntN(len(types))])
			case 2:
				doc = with(doc, append(slices.Clone(p[:len(p)-1]), oddNames[rng.IntN(len(oddNames))]), "v")
			default:
				doc = with(doc, p, oddValues[rng.IntN(len(oddValues))])
			}
		}
		out = append(out, sample{doc, b.names, model})
	}
	return out
}

// paths lists the locations of every member and item below v (object keys as strings, items as ints).
func paths(v any, prefix []any) [][]any {
	var out [][]any
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			p := append(slices.Clone(prefix), k)
			out = append(out, p)
			out = append(out, paths(c, p)...)
		}
	case []any:
		for i, c := range v {
			p := append(slices.Clone(prefix), i)
			out = append(out, p)
			out = append(out, paths(c, p)...)
		}
	}
	slices.SortFunc(out, func(a, b []any) int { return strings.Compare(mustKey(a), mustKey(b)) })
	return out
}

func mustKey(p []any) string {
	b, _ := json.Marshal(p)
	return string(b)
}

// objectPaths lists the locations of the objects below v.
func objectPaths(v any, prefix []any) [][]any {
	var out [][]any
	for _, p := range paths(v, prefix) {
		if _, ok := at(v, p[len(prefix):]).(map[string]any); ok {
			out = append(out, p)
		}
	}
	return out
}

func at(v any, p []any) any {
	for _, k := range p {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

// with returns a deep copy of doc with the value at p set to v (a member is added if missing).
func with(doc any, p []any, v any) any {
	if len(p) == 0 {
		return v
	}
	switch d := doc.(type) {
	case map[string]any:
		out := make(map[string]any, len(d)+1)
		for k, c := range d {
			out[k] = c
		}
		k, ok := p[0].(string)
		if !ok {
			return doc
		}
		out[k] = with(d[k], p[1:], v)
		return out
	case []any:
		i, ok := p[0].(int)
		if !ok {
			return doc
		}
		out := slices.Clone(d)
		out[i] = with(d[i], p[1:], v)
		return out
	}
	return doc
}

// without returns a deep copy of doc without the member or item at p.
func without(doc any, p []any) any {
	switch d := doc.(type) {
	case map[string]any:
		k := p[0].(string)
		out := make(map[string]any, len(d))
		for kk, c := range d {
			out[kk] = c
		}
		if len(p) == 1 {
			delete(out, k)
		} else {
			out[k] = without(d[k], p[1:])
		}
		return out
	case []any:
		i := p[0].(int)
		if len(p) == 1 {
			return slices.Delete(slices.Clone(d), i, i+1)
		}
		out := slices.Clone(d)
		out[i] = without(d[i], p[1:])
		return out
	}
	return doc
}

// both validates with the engine (s) and with the tree, reports any difference between them, and
// returns the engine's answer: the table tests of schema_test.go hold both to their expectations.
func both(t *testing.T, s *Set, version string, name Name, doc any) error {
	t.Helper()
	want := s.Validate(version, name, doc)
	if got := Validate(version, name, doc); !sameError(got, want) {
		t.Errorf("the tree and the engine differ on %s %s %s:\n model: %v\n files: %v", version, name, mustMarshal(t, doc), got, want)
	}
	return want
}
