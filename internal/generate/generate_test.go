package generate

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/graphconform/graphconform/internal/schema"
)

func gen(seed int64, stream string, wild bool) *Generator {
	return New(Config{Seed: seed, Stream: stream, Version: "v1.0", Wild: wild})
}

func bodies(cases []*Case) []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		out[i] = c.Name + "\n" + string(c.Body())
	}
	return out
}

// One seed and stream give the same bodies every time; another seed or stream gives others.
func TestDeterministic(t *testing.T) {
	run := func(seed int64, stream string) []string {
		g := gen(seed, stream, true)
		must := func(cases []*Case, err error) []string {
			if err != nil {
				t.Fatal(err)
			}
			return bodies(cases)
		}
		var out []string
		out = append(out, must(g.ValidPatches(12))...)
		for _, c := range append(Invalid(), Unpinned()...) {
			out = append(out, must(g.Patches(c, 30))...)
		}
		out = append(out, must(g.ValidConfigurations(8, "graphconform-x"))...)
		return out
	}
	a, b := run(7, "scenario A"), run(7, "scenario A")
	if !slices.Equal(a, b) {
		t.Fatal("the same seed and stream gave different bodies")
	}
	if slices.Equal(a, run(8, "scenario A")) {
		t.Error("another seed gave the same bodies")
	}
	if slices.Equal(a, run(7, "scenario B")) {
		t.Error("another stream gave the same bodies")
	}
}

// Every class yields cases, every one judged as the class promises, and the kinds of a class come
// first: a small count still shows each kind once.
func TestEveryClass(t *testing.T) {
	for _, wild := range []bool{true, false} {
		g := gen(1, "every class", wild)
		for _, c := range append(Invalid(), Unpinned()...) {
			cases, err := g.Patches(c, 40)
			if err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			if len(cases) == 0 {
				t.Fatalf("%s: no cases", c)
			}
			want := Reject
			if slices.Contains(Unpinned(), c) {
				want = Either
			}
			for _, k := range cases {
				if k.Expect.Verdict != want {
					t.Errorf("%s: %s judged %s; want %s", c, k.Name, k.Expect.Verdict, want)
				}
				if !slices.Contains(k.Classes, c) && c != Combination {
					t.Errorf("%s: %s has classes %v", c, k.Name, k.Classes)
				}
				if c == Combination && len(k.Classes) < 2 {
					t.Errorf("a combination of %v", k.Classes)
				}
				if n := len(k.Body()); n > 1<<20 {
					t.Errorf("%s: %s is %d bytes; bodies stay under a mebibyte", c, k.Name, n)
				}
			}
		}
	}
}

// The properties each class is about are really in its bodies.
func TestClassesDoWhatTheySay(t *testing.T) {
	g := gen(3, "what they say", true)
	all := func(c Class) []*Case {
		cases, err := g.Patches(c, 100)
		if err != nil {
			t.Fatal(err)
		}
		return cases
	}
	for _, k := range all(InvalidUTF8) {
		if utf8.Valid(k.Body()) {
			t.Errorf("%s: the body is valid UTF-8", k.Name)
		}
	}
	deepest := 0
	for _, k := range all(DeepNesting) {
		deepest = max(deepest, k.Node.Depth())
		if k.Node.Depth() < deepShallow {
			t.Errorf("%s: depth %d", k.Name, k.Node.Depth())
		}
	}
	if deepest < deepArrays {
		t.Errorf("deepest body %d levels; want %d", deepest, deepArrays)
	}
	for _, k := range all(HugeNumber) {
		if !bytes.ContainsAny(k.Body(), "e0123456789") {
			t.Errorf("%s: no number", k.Name)
		}
	}
	for _, k := range all(DuplicateKeys) {
		if !k.Node.HasDuplicateKeys() {
			t.Errorf("%s: no duplicate member", k.Name)
		}
	}
	var seen []string
	for _, k := range all(NotAnObject) {
		seen = append(seen, k.Name)
		if k.Node != nil && k.Node.Kind == Object {
			t.Errorf("%s: an object", k.Name)
		}
	}
	for _, want := range []string{"an empty body", "truncated JSON", "an array holding a valid body", "null"} {
		if !slices.ContainsFunc(seen, func(s string) bool { return strings.HasSuffix(s, want) }) {
			t.Errorf("no %q among %v", want, seen)
		}
	}
	var types []string
	for _, k := range all(BadODataType) {
		types = append(types, k.Name)
	}
	for _, want := range []string{"missing", "abstract", "unknown", "wrong case"} {
		if !slices.ContainsFunc(types, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("no %s @odata.type among %v", want, types)
		}
	}
	// Wrong types reach nested paths, every kind.
	kinds := map[string]bool{}
	for _, k := range all(WrongType) {
		if strings.Contains(k.Name, "/target/") {
			kinds[k.Name[strings.LastIndex(k.Name, " is ")+4:]] = true
		}
	}
	if len(kinds) < 5 {
		t.Errorf("nested wrong types cover %v; want every kind", kinds)
	}
}

// Valid bodies cover every target type the model allows, carry text that tests a round trip, and the
// judge accepts them; against a real service ids are GUIDs.
func TestValid(t *testing.T) {
	g := gen(5, "valid", true)
	cases, err := g.ValidPatches(40)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for i, tt := range schema.Types("v1.0").Targets {
		var b map[string]any
		if err := json.Unmarshal(cases[i].Body(), &b); err != nil {
			t.Fatal(err)
		}
		if got := b["target"].(map[string]any)["@odata.type"]; schema.NormalizeType(got.(string)) != tt.Name {
			t.Errorf("case %d: %v; want %s", i, got, tt.Name)
		}
	}
	for _, c := range cases {
		all.Write(c.Body())
	}
	for _, want := range []string{"\U0001F600", "e\u0301", "𠮷"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("no %q in 40 valid bodies", want)
		}
	}
	if !slices.ContainsFunc(cases, func(c *Case) bool { return len(c.Body()) > 4<<10 }) {
		t.Error("no long string in 40 valid bodies")
	}
	cfgs, err := New(Config{Seed: 5, Stream: "configurations", Version: "v1.0"}).ValidConfigurations(10, "graphconform-run-x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Version: "v1.0"}).ValidConfigurations(1, "x", "#microsoft.graph.deviceEnrollmentConfiguration"); err == nil {
		t.Error("an abstract type was generated for a create")
	}
	limits, err := New(Config{Version: "v1.0"}).ValidConfigurations(3, "x", "#microsoft.graph.deviceEnrollmentLimitConfiguration")
	if err != nil || len(limits) != 3 {
		t.Fatalf("%d limit configurations, %v", len(limits), err)
	}
	for _, c := range limits {
		if !strings.Contains(string(c.Body()), `deviceEnrollmentLimitConfiguration"`) {
			t.Errorf("not a limit configuration: %s", c.Body())
		}
	}
	for _, c := range cfgs {
		var b map[string]any
		if err := json.Unmarshal(c.Body(), &b); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b["displayName"].(string), "graphconform-run-x ") {
			t.Errorf("displayName %q", b["displayName"])
		}
		for _, p := range []string{"id", "createdDateTime", "version"} {
			if _, ok := b[p]; ok {
				t.Errorf("a create body carries %s, which the server generates", p)
			}
		}
	}
}

// The shrinker ends at a body none of whose smaller versions still fails, and keeps the verdict.
func TestShrinkMinimal(t *testing.T) {
	g := gen(9, "shrink", true)
	judge := func(c *Case) (Expect, error) { return g.Judge(schema.AssignmentPatch, c) }
	t.Run("invalid UTF-8", func(t *testing.T) {
		cases, err := g.Patches(Combination, 30)
		if err != nil {
			t.Fatal(err)
		}
		var c *Case
		for _, k := range cases {
			if !utf8.Valid(k.Body()) {
				c = k
				break
			}
		}
		if c == nil {
			t.Skip("no combination with invalid UTF-8 for this seed")
		}
		fails := func(k *Case) bool { return !utf8.Valid(k.Body()) }
		small, calls := Shrink(c, judge, fails, 10_000)
		if !fails(small) || small.Expect.Verdict != Reject {
			t.Fatalf("shrunk to %q, which does not fail or is %s", small.Body(), small.Expect.Verdict)
		}
		if len(small.Body()) > 12 { // {"\xc0":"c"} or smaller; assertMinimal checks it is a local minimum
			t.Errorf("shrunk %d bytes to %q (%d calls); want a few bytes", len(c.Body()), small.Body(), calls)
		}
		assertMinimal(t, small, judge, fails)
	})
	t.Run("deep nesting past a limit", func(t *testing.T) {
		cases, err := g.Patches(DeepNesting, 12)
		if err != nil {
			t.Fatal(err)
		}
		c := cases[1] // 100000 nested arrays
		if c.Node.Depth() < deepArrays {
			t.Fatalf("case 1 is %s", c.Name)
		}
		const limit = 3000 // a service that fails past this depth
		fails := func(k *Case) bool { return k.Node != nil && k.Node.Depth() > limit }
		small, calls := Shrink(c, judge, fails, 10_000)
		if d := small.Node.Depth(); d != limit+1 {
			t.Errorf("shrunk to depth %d (%d bytes, %d calls); want %d", d, len(small.Body()), calls, limit+1)
		}
		if calls > 400 {
			t.Errorf("%d calls to shrink one chain; want a few hundred at most", calls)
		}
		assertMinimal(t, small, judge, fails)
	})
	t.Run("budget", func(t *testing.T) {
		cases, _ := g.Patches(LongString, 3)
		n := 0
		_, calls := Shrink(cases[0], judge, func(*Case) bool { n++; return true }, 7)
		if calls != 7 || n != 7 {
			t.Errorf("%d calls (%d counted); want the budget of 7", calls, n)
		}
	})
}

func assertMinimal(t *testing.T, c *Case, judge func(*Case) (Expect, error), fails func(*Case) bool) {
	t.Helper()
	candidates(c.Node, func(n *Node) bool {
		k := &Case{Node: n}
		if e, err := judge(k); err == nil && e.Verdict == c.Expect.Verdict && fails(k) {
			t.Errorf("not minimal: %q still fails", k.Body())
			return false
		}
		return true
	})
}

// Nodes hold what encoding/json cannot, and encode it byte for byte.
func TestNodeEncoding(t *testing.T) {
	n := objNode(Member{"a", strNode("x\xffy\"\\\n\u0001😀")}, Member{"a", numNode("1e400")}, Member{"b", chain(3, false, nullNode())})
	want := "{\"a\":\"x\xffy\\\"\\\\\\n\\u0001😀\",\"a\":1e400,\"b\":[[[null]]]}"
	if got := string(n.Encode()); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if n.ValidUTF8() || !n.HasDuplicateKeys() || n.Depth() != 4 {
		t.Errorf("utf8 %v, duplicates %v, depth %d", n.ValidUTF8(), n.HasDuplicateKeys(), n.Depth())
	}
	if v := n.Value(FirstWins).(map[string]any)["a"]; v != "x\xffy\"\\\n\u0001😀" {
		t.Errorf("first wins: %v", v)
	}
	if v := n.Value(LastWins).(map[string]any)["a"]; v != json.Number("1e400") {
		t.Errorf("last wins: %v", v)
	}
	deep := chain(200_000, true, numNode("1"))
	if d := deep.Depth(); d != 200_000 {
		t.Errorf("depth %d", d)
	}
	if b := deep.Encode(); len(b) != 6*200_000+1 {
		t.Errorf("%d bytes", len(b))
	}
}

// A null target is refused by the request schemas but allowed by the metadata: not pinned down for a
// PATCH, so a service that follows the metadata is not failed for storing it.
func TestNullTargetNotPinnedDown(t *testing.T) {
	set, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name schema.Name
		body string
		want Verdict
	}{
		{schema.AssignmentPatch, `{"target":null}`, Either},
		{schema.AssignmentPatch, `{"target":null,"graphconformBogus":1}`, Reject},
		{schema.AssignmentCreate, `{"target":null}`, Reject},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
			t.Fatal(err)
		}
		e, err := Classify(set, "v1.0", tc.name, &Case{Node: FromValue(v)})
		if err != nil {
			t.Fatal(err)
		}
		if e.Verdict != tc.want {
			t.Errorf("%s %s judged %s (%s); want %s", tc.name, tc.body, e.Verdict, e.Why, tc.want)
		}
	}
}
