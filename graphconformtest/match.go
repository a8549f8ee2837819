package graphconformtest

import (
	"flag"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// This file tells which subtests the -run and -skip flags of go test select, before the subtests exist, so
// that Run sends the requests of the selected requirements only. It follows package testing's own matching
// (testing/match.go): each flag is split at slashes outside brackets and parentheses, and each part is an
// unanchored regular expression matched against the name's element at the same level; alternatives ("|" at
// the top level) each match on their own. Should it ever disagree with testing, the subtest that testing
// runs but Run left out is run on its own, and one Run ran but testing leaves out only wasted requests.

type matcher struct {
	run, skip filterMatch // nil: no flag
}

// flagMatcher reads -test.run and -test.skip; outside go test, it selects everything.
func flagMatcher() matcher {
	var m matcher
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		m.run = splitRegexp(f.Value.String())
	}
	if f := flag.Lookup("test.skip"); f != nil && f.Value.String() != "" {
		m.skip = splitRegexp(f.Value.String())
	}
	return m
}

// selects reports whether testing would run the (sub)test named name: its full name, elements separated by
// slashes, each already as testing rewrites it.
func (m matcher) selects(name string) bool {
	elem := strings.Split(rewrite(name), "/")
	if m.run != nil {
		if ok, _ := m.run.matches(elem); !ok {
			return false
		}
	}
	if m.skip != nil {
		if ok, partial := m.skip.matches(elem); ok && !partial {
			return false
		}
	}
	return true
}

type filterMatch interface {
	matches(name []string) (ok, partial bool)
}

type simpleMatch []string

type alternationMatch []filterMatch

func (m simpleMatch) matches(name []string) (ok, partial bool) {
	for i, s := range name {
		if i >= len(m) {
			break
		}
		re, err := regexp.Compile(m[i])
		if err != nil {
			return true, false // testing refuses a bad pattern before any test runs; select rather than guess
		}
		if !re.MatchString(s) {
			return false, false
		}
	}
	return true, len(name) < len(m)
}

func (m alternationMatch) matches(name []string) (ok, partial bool) {
	for _, m := range m {
		if ok, partial = m.matches(name); ok {
			return ok, partial
		}
	}
	return false, false
}

// splitRegexp is testing's: split at '/' and '|' outside brackets and parentheses.
func splitRegexp(s string) filterMatch {
	a := make(simpleMatch, 0, strings.Count(s, "/"))
	b := make(alternationMatch, 0, strings.Count(s, "|"))
	cs, cp := 0, 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '[':
			cs++
		case ']':
			if cs--; cs < 0 { // An unmatched ']' is legal.
				cs = 0
			}
		case '(':
			if cs == 0 {
				cp++
			}
		case ')':
			if cs == 0 {
				cp--
			}
		case '\\':
			i++
		case '/':
			if cs == 0 && cp == 0 {
				a = append(a, s[:i])
				s = s[i+1:]
				i = 0
				continue
			}
		case '|':
			if cs == 0 && cp == 0 {
				a = append(a, s[:i])
				s = s[i+1:]
				i = 0
				b = append(b, a)
				a = make(simpleMatch, 0, len(a))
				continue
			}
		}
		i++
	}
	a = append(a, s)
	if len(b) == 0 {
		return a
	}
	return append(b, a)
}

// rewrite is testing's rewriting of a subtest name: spaces become underscores, unprintable runes are quoted.
func rewrite(s string) string {
	b := []byte{}
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			b = append(b, '_')
		case !strconv.IsPrint(r):
			q := strconv.QuoteRune(r)
			b = append(b, q[1:len(q)-1]...)
		default:
			b = append(b, string(r)...)
		}
	}
	return string(b)
}
