package generate

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/internal/schema"
)

// Pieces free text is made of: what a client in any language sends every day. Non-BMP characters need
// surrogate pairs in UTF-16 (how .NET services hold strings), combining marks must not be normalised
// away (NFC would turn "e\u0301" into "é": a different string), and JSON-significant characters must
// round-trip through escaping.
var textPieces = []string{
	"graphconform", "Contoso", "enrollment", "limit", " ", "-", "_", ".", "0", "42",
	"é", "ß", "Ωmega", "Ελληνικά", "Кириллица", "日本語", "中文", "한국어", "עברית", "العربية", "हिन्दी",
	"e\u0301", "a\u0308\u0304", "n\u0303", "\u0915\u094d\u0937", // combining marks, a conjunct
	"😀", "𝄞", "𠮷", "👩\u200d💻", "🇩🇪", "🏳️\u200d🌈", "\U0010FFFD", // non-BMP, ZWJ and flag sequences
	"\"", "\\", "/", "'", "<", ">", "&", "</script>", "{\"not\":\"json\"}",
	"\u00a0", "\u200b", "\u2028", "\u2029", "\ufeff", // no-break space, zero width, line/paragraph separators, BOM
}

// wildPieces are legal in an Edm.String but may be refused by a service for reasons of its own
// (display names with line breaks); only sent to mocks.
var wildPieces = []string{"\t", "\n", "\r\n", "\u0001", "\u007f"}

// nonBMP and combining are the pieces every free text carries one of, so that any store that mangles
// them shows it on every string, not by chance.
var (
	nonBMP    = []string{"😀", "𝄞", "𠮷", "👩\u200d💻", "🇩🇪", "\U0010FFFD"}
	combining = []string{"e\u0301", "a\u0308\u0304", "n\u0303", "\u0915\u094d\u0937"}
)

type values struct {
	r      *rand.Rand
	wild   bool
	texted bool // the stream's first string was free text
}

// text is random free text of up to max pieces plus one character outside the BMP and one combining
// sequence, at random places.
func (v *values) text(max int) string {
	n := 1 + v.r.IntN(max)
	pieces := make([]string, 0, n+2)
	for range n {
		if v.wild && v.r.IntN(8) == 0 {
			pieces = append(pieces, wildPieces[v.r.IntN(len(wildPieces))])
			continue
		}
		pieces = append(pieces, textPieces[v.r.IntN(len(textPieces))])
	}
	for _, must := range []string{nonBMP[v.r.IntN(len(nonBMP))], combining[v.r.IntN(len(combining))]} {
		i := v.r.IntN(len(pieces) + 1)
		pieces = append(pieces[:i], append([]string{must}, pieces[i:]...)...)
	}
	return strings.Join(pieces, "")
}

// long is a long but legal string: many kilobytes of text, non-BMP characters and combining marks
// included, cut at a character boundary.
func (v *values) long() string {
	size := 4<<10 + v.r.IntN(12<<10)
	var b strings.Builder
	b.WriteString(v.text(4))
	for b.Len() < size {
		b.WriteString(textPieces[v.r.IntN(len(textPieces))])
	}
	return b.String()
}

func (v *values) guid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(v.r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// str is a value for an Edm.String property: against a mock any text (the metadata allows any), against
// a real service a value of the shape the property's name promises, since a service may look it up (a
// group id must name a group) and such a refusal is not what these cases test. Against a mock the
// stream's first string is always free text, so every stream tests a round trip of it.
func (v *values) str(name string) string {
	if v.wild {
		if !v.texted {
			v.texted = true
			return v.text(12)
		}
		switch v.r.IntN(6) {
		case 0:
			return v.long()
		case 1:
			return v.guid()
		}
		return v.text(12)
	}
	switch {
	case strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "Ids"):
		return v.guid()
	case strings.Contains(name, "Version"):
		return fmt.Sprintf("%d.%d.%d", 10+v.r.IntN(5), v.r.IntN(3), v.r.IntN(30000))
	case strings.Contains(name, "Locale"):
		return []string{"en-US", "de-DE", "ja-JP", "he-IL"}[v.r.IntN(4)]
	}
	return v.text(6)
}

// int32 is a value for an Edm.Int32: the extremes and anything between against a mock, small positive
// numbers (a limit, a count of days) against a real service, which may bound them more tightly.
func (v *values) int32() string {
	if v.wild {
		switch v.r.IntN(5) {
		case 0:
			return "-2147483648"
		case 1:
			return "2147483647"
		case 2:
			return "0"
		}
		return strconv.FormatInt(int64(int32(v.r.Uint32())), 10)
	}
	return strconv.Itoa(1 + v.r.IntN(15))
}

func (v *values) dateTime() string {
	t := time.Date(2000+v.r.IntN(40), time.Month(1+v.r.IntN(12)), 1+v.r.IntN(28), v.r.IntN(24), v.r.IntN(60), v.r.IntN(60), 0, time.UTC)
	return t.Format(time.RFC3339)
}

// members are the enum members a client may send: unknownFutureValue is the evolvable-enum sentinel
// that only a service sends.
func members(p schema.Property) []string {
	var out []string
	for _, m := range p.Values {
		if m != "unknownFutureValue" {
			out = append(out, m)
		}
	}
	return out
}

// property is a random legal value of p; model resolves complex types.
func (v *values) property(m *schema.TypeModel, p schema.Property) *Node {
	if p.Nullable && v.wild && v.r.IntN(10) == 0 {
		return nullNode()
	}
	switch p.Kind {
	case schema.KindString:
		return strNode(v.str(p.Name))
	case schema.KindInt32:
		return numNode(v.int32())
	case schema.KindBool:
		return boolNode(v.r.IntN(2) == 0)
	case schema.KindDateTime:
		return strNode(v.dateTime())
	case schema.KindGUID:
		return strNode(v.guid())
	case schema.KindEnum:
		ms := members(p)
		return strNode(ms[v.r.IntN(len(ms))])
	case schema.KindEnumFlags:
		ms := members(p)
		var pick []string
		for _, x := range ms {
			if v.r.IntN(3) == 0 {
				pick = append(pick, x)
			}
		}
		if len(pick) == 0 {
			pick = ms[:1]
		}
		return strNode(strings.Join(pick, ","))
	case schema.KindStrings:
		n := v.r.IntN(4)
		items := make([]*Node, n)
		for i := range items {
			items[i] = strNode(v.str(strings.TrimSuffix(p.Name, "s")))
		}
		return arrNode(items...)
	case schema.KindComplex:
		t, ok := m.Complex(p.Complex)
		if !ok {
			panic("generate: no complex type " + p.Complex)
		}
		return v.object(m, t, v.r.IntN(2) == 0, nil)
	}
	panic("generate: property kind " + string(p.Kind))
}

// object is a random legal instance of t: its @odata.type (with or without '#') when typed, and each
// property but those in skip with probability 3/4.
func (v *values) object(m *schema.TypeModel, t schema.Type, typed bool, skip map[string]bool) *Node {
	n := objNode()
	if typed {
		name := t.Name
		if v.r.IntN(2) == 0 {
			name = "#" + name
		}
		n.Members = append(n.Members, Member{"@odata.type", strNode(name)})
	}
	for _, p := range t.Properties {
		if skip[p.Name] || v.r.IntN(4) == 0 {
			continue
		}
		n.Members = append(n.Members, Member{p.Name, v.property(m, p)})
	}
	return n
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
