package report

import (
	"net/url"

	"github.com/graphconform/graphconform/internal/check"
)

// Redacted replaces every secret in any text this package writes.
const Redacted = check.Redacted

// Redactor removes secrets from text: the same one that redacts the suite's evidence (internal/check), so there
// is one rule for what a secret looks like. The report redacts again, because a report file is the thing most
// likely to be attached to a ticket and shared.
type Redactor = check.Redactor

// NewRedactor returns a Redactor for the given secrets; empty strings are ignored.
func NewRedactor(secrets []string) *Redactor { return check.NewRedactor(secrets) }

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
