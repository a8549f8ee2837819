package graphmock

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http/httptest"
	"net/textproto"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// encodingJSON is how the mock encoded everything before appendJSON and appendView: encoding/json
// without HTML escaping.
func encodingJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// oddStrings exercise every escaping rule: quotes, backslashes, control characters, HTML characters
// (not escaped), invalid UTF-8, U+2028/U+2029, non-BMP characters, combining marks.
var oddStrings = []string{"", "plain", `"quoted"`, `back\slash`, "\x00\x01\x1f\x7f", "\b\f\n\r\t", "<a href='x'>&amp;</a>",
	"\xff", "a\xffb", "\xe2\x80", "\xe2\x80\xa8 \xe2\x80\xa9", "\u2028\u2029", "😀 non-BMP", "e\u0301", "\xed\xa0\x80",
	"groupId@odata.type", "日本語"}

func randomJSON(rng *rand.Rand, depth int) any {
	switch k := rng.IntN(9); {
	case k == 0:
		return nil
	case k == 1:
		return rng.IntN(2) == 0
	case k == 2:
		return json.Number([]string{"0", "-1", "1.5", "1e400", "-0.0E+2", "123456789012345678901234567890"}[rng.IntN(6)])
	case k <= 5 || depth > 3:
		if rng.IntN(3) == 0 {
			b := make([]byte, rng.IntN(12))
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			return string(b)
		}
		return oddStrings[rng.IntN(len(oddStrings))]
	case k == 6:
		out := make([]any, rng.IntN(4))
		for i := range out {
			out[i] = randomJSON(rng, depth+1)
		}
		return out
	default:
		out := map[string]any{}
		for range rng.IntN(12) { // past 8 members the key list leaves the stack
			out[oddStrings[rng.IntN(len(oddStrings))]+string(rune('a'+rng.IntN(26)))] = randomJSON(rng, depth+1)
		}
		return out
	}
}

// TestAppendJSON: appendJSON and appendJSONString write exactly what encoding/json writes.
func TestAppendJSON(t *testing.T) {
	for _, s := range oddStrings {
		if got, want := appendJSONString(nil, s), encodingJSON(t, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s; encoding/json: %s", s, got, want)
		}
		if got, want := appendJSONString(nil, []byte(s)), encodingJSON(t, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString([]byte(%q)) = %s; encoding/json: %s", s, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		v := randomJSON(rng, 0)
		got, ok := appendJSON(nil, v)
		if want := encodingJSON(t, v); !ok || !bytes.Equal(got, want) {
			t.Fatalf("appendJSON(%#v) = %s, %v; encoding/json: %s", v, got, ok, want)
		}
	}
	for _, bad := range []any{json.Number("1x"), json.Number("01"), json.Number(" 1"), []any{struct{}{}}, float64(1)} {
		if _, ok := appendJSON(nil, bad); ok {
			t.Errorf("appendJSON(%#v): ok; want a fallback to encoding/json", bad)
		}
	}
	if got := marshal(json.Number("")); string(got) != "0" {
		t.Errorf("marshal of an empty json.Number: %s; want 0 as encoding/json writes", got)
	}
}

// TestAssignmentRendering: an assignment's body is what encoding/json made of assignmentJSON.
func TestAssignmentRendering(t *testing.T) {
	src := "policySets"
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		target := randomJSON(rng, 1)
		if i%3 == 0 {
			target = map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": oddStrings[i%len(oddStrings)],
				"deviceAndAppManagementAssignmentFilterId": "f"}
		}
		var sourceID *string
		if i%2 == 0 {
			s := oddStrings[i%len(oddStrings)]
			sourceID = &s
		}
		a := newAssignment(oddStrings[(i+1)%len(oddStrings)], target, []string{"", src}[i%2], sourceID)
		for _, version := range []string{"v1.0", "beta"} {
			q := &request{version: version, configID: oddStrings[(i+2)%len(oddStrings)] + "'"}
			r := httptest.NewRequest("GET", "http://graph.test/", nil)
			r.Host = "host:1"
			for _, context := range []string{"", contextAssignments(r, q) + "/$entity"} {
				got := a.appendView(nil, q, []byte(context))
				if want := encodingJSON(t, a.view(q, context)); !bytes.Equal(got, want) {
					t.Fatalf("appendView:\n got  %s\n want %s", got, want)
				}
			}
		}
	}
}

// TestCanonicalHeaderKeys: the keys ServeHTTP writes straight into the header map are the canonical
// forms Header.Get looks up.
func TestCanonicalHeaderKeys(t *testing.T) {
	for key, canonical := range map[string]string{
		HeaderRequestID: canonicalRequestID, HeaderClientRequestID: canonicalClientRequestID,
		headerODataVersion: canonicalODataVersion,
	} {
		if got := textproto.CanonicalMIMEHeaderKey(key); got != canonical {
			t.Errorf("canonical form of %s: %s; the mock writes %s", key, got, canonical)
		}
	}
}

// parseCorpus: bodies clients send and bodies they should not: escapes, odd numbers, literals,
// duplicates, nesting, trailing data, invalid UTF-8, control characters, non-objects.
var parseCorpus = []string{
	`{}`, ` { } `, "\t{\n}\r\n", `{"a":1}`, `{"a":-0.5e+10,"b":0,"c":-0,"d":1E3,"e":123456789012345678901234567890}`,
	`{"@odata.type":"#microsoft.graph.enrollmentConfigurationAssignment","target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"6e8b8f1c"}}`,
	`{"a":[],"b":[[]],"c":[1,"x",true,false,null,{}],"d":{"e":{"f":{}}}}`, `{"a":1,"a":2}`, `{"a":{"b":1},"a":"c"}`,
	`{"é":"日本語 😀 e` + "\u0301" + `"}`, `{"a":"\u00e9"}`, `{"a":"\n"}`, `{"a":"\"q\""}`, `{"a":"\/"}`, `{"a":"\ud800"}`,
	"{\"a\":\"\xff\"}", "{\"a\":\"\x01\"}", "{\"a\":\"\t\"}", `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`, `{"a":1e+}`,
	`{"a":+1}`, `{"a":NaN}`, `{"a":tru}`, `{"a":truex}`, `{"a":nul}`, `{"a":true,}`, `{,}`, `{"a"}`, `{"a":}`, `{"a" 1}`,
	`{"a":1}{}`, `{"a":1} x`, `{"a":1`, `{"a":[1,]}`, `{"a":[1 2]}`, `[]`, `[{}]`, `"x"`, `1`, `null`, ``, ` `, `{"a":1}]`,
	`{"a":[` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `]}`, `{"a":"` + strings.Repeat("x", 5000) + `"}`,
	"\ufeff{}", `{"a":1,"b":{"c":[{"d":null}]}}`, `{"target":{"@odata.type":5}}`, `{"a":"x"  ,  "b"  :  [ 1 , 2 ] }`,
}

func TestParseObject(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	corpus := slices.Clone(parseCorpus)
	for range 3000 {
		b, _ := json.Marshal(map[string]any{"k": randomJSON(rng, 0), "@odata.type": oddStrings[rng.IntN(len(oddStrings))]})
		corpus = append(corpus, string(b))
		if len(b) > 2 { // and a mutation of it: a byte changed, dropped or doubled
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[i] = "{}[]\",:0-.eE tfn\\\xff"[rng.IntN(18)]
			case 1:
				b = append(b[:i], b[i+1:]...)
			default:
				b = append(b[:i+1], b[i:]...)
			}
			corpus = append(corpus, string(b))
		}
	}
	fast := 0
	for _, body := range corpus {
		if sameParse(t, body) {
			fast++
		}
	}
	if fast < len(corpus)/10 {
		t.Errorf("parseObject took %d of %d bodies: the fast path should take the common ones", fast, len(corpus))
	}
}

// sameParse checks parseObject against encoding/json on body, and reports whether it took it.
func sameParse(t testing.TB, body string) bool {
	got, ok := parseObject([]byte(body))
	if !ok {
		return false
	}
	want, err := decodeObjectJSON([]byte(body))
	if err != nil {
		t.Fatalf("parseObject took %q, which encoding/json refuses: %v", body, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parseObject(%q) = %#v; encoding/json: %#v", body, got, want)
	}
	return true
}

// FuzzParseObject: whatever parseObject takes, encoding/json decodes to the same value.
func FuzzParseObject(f *testing.F) {
	for _, s := range parseCorpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) { sameParse(t, body) })
}
