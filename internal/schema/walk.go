package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// walker checks a document against compiled nodes (tree.go), keyword by keyword as jsonschema/v5 does:
// a value of the wrong type is reported for its type alone; every other keyword of a node is checked
// and reported; $ref applies in place; if/then/else selects by the silent verdict of if.
type walker struct {
	r       *report // nil: only the verdict is wanted, so the walk stops at the first failure
	foreign bool    // met a Go value that is not decoded JSON: the caller validates what doc encodes to
}

// location is where a value sits, made into a JSON pointer only when a problem is reported. It is a
// value, not a chain of pointers, so that walking a valid document allocates nothing; the schemas are
// never deeper than toks holds, but a deeper location still works.
type location struct {
	toks [8]string // escaped as jsonschema escapes instance locations
	n    int
	more []string
}

func (l location) child(tok string) location {
	if l.n < len(l.toks) {
		l.toks[l.n] = tok
		l.n++
	} else {
		l.more = append(l.more[:len(l.more):len(l.more)], tok)
	}
	return l
}

func (l *location) String() string {
	var b strings.Builder
	for _, t := range l.toks[:l.n] {
		b.WriteByte('/')
		b.WriteString(t)
	}
	for _, t := range l.more {
		b.WriteByte('/')
		b.WriteString(t)
	}
	return b.String()
}

// valid reports whether v satisfies n; with a report, it words every problem on the way.
func (w *walker) valid(n *node, v any, at location) bool {
	if n.always != nil {
		if !*n.always && w.r != nil {
			w.r.other(at.String(), "not allowed")
		}
		return *n.always
	}
	if len(n.types) > 0 {
		kind := jsonKind(v)
		if kind == "" {
			w.foreign = true
			return false
		}
		if !typeMatches(n.types, kind, v) {
			if w.r != nil {
				w.r.wrongType(at.String(), kind, n.typeWant)
			}
			return false
		}
	}
	ok := true
	// fail records a failure and says whether the walk of this node should stop.
	fail := func() bool {
		ok = false
		return w.r == nil
	}

	if n.hasEnum {
		in, foreign := inEnum(v, n.enum)
		if foreign {
			w.foreign = true
			return false
		}
		if !in {
			if fail() {
				return false
			}
			w.r.enum(at.String(), v, n.enum, "")
		}
	}
	if n.isFormat != nil {
		if s, isStr := v.(string); isStr && !n.isFormat(s) {
			if fail() {
				return false
			}
			w.r.format(at.String(), v, n.format)
		}
	}

	switch v := v.(type) {
	case map[string]any:
		for _, name := range n.required {
			if _, has := v[name]; !has {
				if fail() {
					return false
				}
				w.r.required(at.String(), name)
			}
		}
		if n.props == nil && n.patternProps == nil && !n.noAdditional {
			break
		}
		for name, pv := range v {
			if p, declared := n.props[name]; declared {
				if !w.valid(p.n, pv, at.child(p.tok)) && fail() {
					return false
				}
				continue
			}
			matched := false
			for _, pp := range n.patternProps {
				if pp.re.MatchString(name) {
					matched = true
					if !w.valid(pp.n, pv, at.child(escapeToken(name))) && fail() {
						return false
					}
				}
			}
			if !matched && n.noAdditional {
				if fail() {
					return false
				}
				w.r.unknown(at.String(), name)
			}
		}
	case []any:
		if n.items != nil {
			for i, item := range v {
				if !w.valid(n.items, item, at.child(strconv.Itoa(i))) && fail() {
					return false
				}
			}
		}
	case string:
		if n.minLength >= 0 && utf8.RuneCountInString(v) < n.minLength {
			if fail() {
				return false
			}
			w.r.minLength(at.String(), v, n.minLength)
		}
		if n.pattern != nil && !n.pattern.MatchString(v) {
			if fail() {
				return false
			}
			w.r.other(at.String(), n.patternMsg)
		}
	default:
		if (n.minimum != nil || n.maximum != nil) && jsonKind(v) == "number" {
			if n.minimum != nil && compareInt(v, n.minimum.n) < 0 {
				if fail() {
					return false
				}
				w.r.bound(at.String(), "minimum", v, n.minimum.value)
			}
			if n.maximum != nil && compareInt(v, n.maximum.n) > 0 {
				if fail() {
					return false
				}
				w.r.bound(at.String(), "maximum", v, n.maximum.value)
			}
		}
	}

	if n.ref != nil && !w.valid(n.ref, v, at) && fail() {
		return false
	}
	if n.not != nil {
		silent := walker{}
		held := silent.valid(n.not, v, at)
		w.foreign = w.foreign || silent.foreign
		if held {
			if fail() {
				return false
			}
			w.r.other(at.String(), "not failed")
		}
	}
	if n.cond != nil {
		silent := walker{}
		held := silent.valid(n.cond, v, at)
		w.foreign = w.foreign || silent.foreign
		branch := n.els_
		if held {
			branch = n.then
		}
		if branch != nil && !w.valid(branch, v, at) && fail() {
			return false
		}
	}
	return ok
}

// jsonKind is jsonschema's name for the JSON type of v; "" for a Go value that is not decoded JSON.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float32, float64, int, int8, int32, int64, uint, uint8, uint32, uint64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return ""
}

func typeMatches(types []string, kind string, v any) bool {
	for _, t := range types {
		if t == kind || t == "integer" && kind == "number" && isInteger(v) {
			return true
		}
	}
	return false
}

// inEnum reports whether v equals an item of enum, with jsonschema's equality (numbers by value);
// foreign: v is not decoded JSON.
func inEnum(v any, enum []any) (in, foreign bool) {
	if jsonKind(v) == "" {
		return false, true
	}
	for _, item := range enum {
		if jsonEqual(v, item) {
			return true, false
		}
	}
	return false, false
}

func jsonEqual(a, b any) bool {
	ka, kb := jsonKind(a), jsonKind(b)
	if ka != kb || ka == "" {
		return false
	}
	switch ka {
	case "string":
		return a.(string) == b.(string)
	case "null":
		return true
	case "boolean":
		return a.(bool) == b.(bool)
	case "number":
		x, y := rat(a), rat(b)
		return x != nil && y != nil && x.Cmp(y) == 0
	case "array":
		x, y := a.([]any), b.([]any)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	default:
		x, y := a.(map[string]any), b.(map[string]any)
		if len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
}

func rat(v any) *big.Rat {
	r, _ := new(big.Rat).SetString(fmt.Sprint(v))
	return r
}

// isInteger: a number with no fractional part (1.0 and 1e3 are integers), as jsonschema decides it.
func isInteger(v any) bool {
	if n, ok := v.(json.Number); ok {
		if d, ok := parseDecimal(string(n)); ok {
			return d.isInt()
		}
	}
	r := rat(v)
	return r != nil && r.IsInt()
}

// compareInt compares the number v with the integer limit: -1, 0 or +1.
func compareInt(v any, limit int64) int {
	if n, ok := v.(json.Number); ok {
		if d, ok := parseDecimal(string(n)); ok {
			return d.cmpInt(limit)
		}
	}
	r := rat(v)
	if r == nil {
		return 0
	}
	return r.Cmp(new(big.Rat).SetInt64(limit))
}

// decimal is a JSON number as sign × digits × 10^exp, digits without leading or trailing zeros ("" is
// zero). It compares exactly at any magnitude, where big.Rat refuses exponents past about a million.
type decimal struct {
	neg    bool
	digits string
	exp    int64
}

// parseDecimal parses a JSON number literal.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	i := 0
	if i < len(s) && s[i] == '-' {
		d.neg = true
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intPart := s[start:i]
	if intPart == "" {
		return d, false
	}
	frac := ""
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		frac = s[start:i]
		if frac == "" {
			return d, false
		}
	}
	var exp int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		start = i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if exp < 1<<40 { // saturate: past this every comparison is already decided
				exp = exp*10 + int64(s[i]-'0')
			}
			i++
		}
		if i == start {
			return d, false
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(s) {
		return d, false
	}
	// digits = intPart frac, without leading zeros; exp counts the fraction.
	var all string
	switch {
	case frac == "":
		all = intPart
	case strings.Trim(intPart, "0") == "":
		all = frac
	default:
		all = intPart + frac // allocates only for numbers with both parts, rare in requests
	}
	exp -= int64(len(frac))
	all = strings.TrimLeft(all, "0")
	for len(all) > 0 && all[len(all)-1] == '0' {
		all = all[:len(all)-1]
		exp++
	}
	if all == "" {
		return decimal{}, true // zero, whatever its sign
	}
	d.digits, d.exp = all, exp
	return d, true
}

func (d decimal) isInt() bool { return d.digits == "" || d.exp >= 0 }

// cmpInt compares d with limit: -1, 0 or +1.
func (d decimal) cmpInt(limit int64) int {
	lneg := limit < 0
	var mag string
	if lneg {
		mag = strconv.FormatUint(uint64(-(limit+1))+1, 10)
	} else {
		mag = strconv.FormatUint(uint64(limit), 10)
	}
	if limit == 0 {
		mag = ""
	}
	switch {
	case d.digits == "" && mag == "":
		return 0
	case d.digits == "":
		if lneg {
			return 1
		}
		return -1
	case mag == "" || d.neg != lneg:
		if d.neg {
			return -1
		}
		return 1
	}
	c := cmpMagnitude(d.digits, d.exp, mag)
	if d.neg {
		return -c
	}
	return c
}

// cmpMagnitude compares digits × 10^exp with the integer mag (decimal digits, no leading zeros).
func cmpMagnitude(digits string, exp int64, mag string) int {
	intDigits := int64(len(digits)) + exp // digits before the decimal point
	if intDigits != int64(len(mag)) {
		if intDigits > int64(len(mag)) {
			return 1
		}
		return -1
	}
	for i := 0; i < len(mag); i++ {
		c := byte('0')
		if i < len(digits) {
			c = digits[i]
		}
		if c != mag[i] {
			if c > mag[i] {
				return 1
			}
			return -1
		}
	}
	if len(digits) > len(mag) { // a fraction beyond: digits carry no trailing zeros, so it is not zero
		return 1
	}
	return 0
}

// escapeToken is a member name as a pointer token, escaped as jsonschema escapes instance locations.
func escapeToken(s string) string {
	return url.PathEscape(strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1"))
}

// quoteLikeJSONSchema quotes s as jsonschema's messages do: 'like "this"'.
func quoteLikeJSONSchema(s string) string {
	s = fmt.Sprintf("%q", s)
	s = strings.ReplaceAll(s, `\"`, `"`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s[1:len(s)-1] + "'"
}

// The formats below are jsonschema/v5's own (format.go, Apache License 2.0), so that both engines
// accept exactly the same strings.

// isDateTime: RFC 3339 date-time.
func isDateTime(s string) bool {
	if len(s) < 20 { // yyyy-mm-ddThh:mm:ssZ
		return false
	}
	if s[10] != 'T' && s[10] != 't' {
		return false
	}
	return isDate(s[:10]) && isTime(s[11:])
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// isTime: RFC 3339 full-time, leap seconds included.
func isTime(str string) bool {
	// hh:mm:ss
	// 01234567
	if len(str) < 9 || str[2] != ':' || str[5] != ':' {
		return false
	}
	isInRange := func(str string, min, max int) (int, bool) {
		n, err := strconv.Atoi(str)
		if err != nil {
			return 0, false
		}
		if n < min || n > max {
			return 0, false
		}
		return n, true
	}
	var h, m, s int
	var ok bool
	if h, ok = isInRange(str[0:2], 0, 23); !ok {
		return false
	}
	if m, ok = isInRange(str[3:5], 0, 59); !ok {
		return false
	}
	if s, ok = isInRange(str[6:8], 0, 60); !ok {
		return false
	}
	str = str[8:]

	// parse secfrac if present
	if str[0] == '.' {
		// dot following more than one digit
		str = str[1:]
		var numDigits int
		for str != "" {
			if str[0] < '0' || str[0] > '9' {
				break
			}
			numDigits++
			str = str[1:]
		}
		if numDigits == 0 {
			return false
		}
	}

	if len(str) == 0 {
		return false
	}

	if str[0] == 'z' || str[0] == 'Z' {
		if len(str) != 1 {
			return false
		}
	} else {
		// time-numoffset
		// +hh:mm
		// 012345
		if len(str) != 6 || str[3] != ':' {
			return false
		}

		var sign int
		if str[0] == '+' {
			sign = -1
		} else if str[0] == '-' {
			sign = +1
		} else {
			return false
		}

		var zh, zm int
		if zh, ok = isInRange(str[1:3], 0, 23); !ok {
			return false
		}
		if zm, ok = isInRange(str[4:6], 0, 59); !ok {
			return false
		}

		// apply timezone offset
		hm := (h*60 + m) + sign*(zh*60+zm)
		if hm < 0 {
			hm += 24 * 60
		}
		h, m = hm/60, hm%60
	}

	// check leapsecond
	if s == 60 { // leap second
		if h != 23 || m != 59 {
			return false
		}
	}

	return true
}

// isUUID: 8-4-4-4-12 hexadecimal digits, either case.
func isUUID(s string) bool {
	parseHex := func(n int) bool {
		for n > 0 {
			if len(s) == 0 {
				return false
			}
			hex := (s[0] >= '0' && s[0] <= '9') || (s[0] >= 'a' && s[0] <= 'f') || (s[0] >= 'A' && s[0] <= 'F')
			if !hex {
				return false
			}
			s = s[1:]
			n--
		}
		return true
	}
	groups := []int{8, 4, 4, 4, 12}
	for i, numDigits := range groups {
		if !parseHex(numDigits) {
			return false
		}
		if i == len(groups)-1 {
			break
		}
		if len(s) == 0 || s[0] != '-' {
			return false
		}
		s = s[1:]
	}
	return len(s) == 0
}
