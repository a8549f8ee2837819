package report

import (
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces every secret in any text this package writes.
const Redacted = "[REDACTED]"

// A secret shorter than this is replaced only where it stands as a whole word: a toy token such as "T" must
// not turn "TARGET" into "[REDACTED]ARGET", while a real bearer token is long and replaced wherever it occurs.
const minSubstringSecret = 8

// Redactor removes secrets from text. The suite already redacts the evidence it renders; the report redacts
// again, because a report file is the thing most likely to be attached to a ticket and shared.
type Redactor struct {
	long  *strings.Replacer
	short []*regexp.Regexp
}

// NewRedactor returns a Redactor for the given secrets; empty strings are ignored.
func NewRedactor(secrets []string) *Redactor {
	var pairs []string
	r := &Redactor{}
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
		case len(s) >= minSubstringSecret:
			pairs = append(pairs, s, Redacted)
		default:
			r.short = append(r.short, regexp.MustCompile(`(^|[^A-Za-z0-9._~+/=-])`+regexp.QuoteMeta(s)+`($|[^A-Za-z0-9._~+/=-])`))
		}
	}
	if len(pairs) > 0 {
		r.long = strings.NewReplacer(pairs...)
	}
	return r
}

// String returns s with every secret replaced by [REDACTED].
func (r *Redactor) String(s string) string {
	if r == nil || s == "" {
		return s
	}
	if r.long != nil {
		s = r.long.Replace(s)
	}
	for _, re := range r.short {
		// Twice, because adjacent occurrences share the separator between them.
		for range 2 {
			s = re.ReplaceAllString(s, "${1}"+Redacted+"${2}")
		}
	}
	return s
}

// Redact removes the secrets from every text field of the report, and any password from the target URL.
func (r *Report) Redact(secrets []string) {
	red := NewRedactor(secrets)
	r.Target = red.String(RedactURL(r.Target))
	r.Tags = red.String(r.Tags)
	for i := range r.Leftovers {
		r.Leftovers[i] = red.String(r.Leftovers[i])
	}
	for i := range r.Requirements {
		req := &r.Requirements[i]
		req.Statement = red.String(req.Statement)
		req.Reason = red.String(req.Reason)
		req.Evidence = red.String(req.Evidence)
		for j := range req.Scenarios {
			s := &req.Scenarios[j]
			s.Name = red.String(s.Name)
			s.Reason = red.String(s.Reason)
			s.Evidence = red.String(s.Evidence)
		}
	}
}

// RedactURL hides the user information and the query of a URL (where credentials like to hide).
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.User == nil && u.RawQuery == "") {
		return raw
	}
	if u.User != nil {
		u.User = url.User("REDACTED") // brackets would be percent-encoded here
	}
	if u.RawQuery != "" {
		u.RawQuery = Redacted
	}
	return u.String()
}
