package check

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// This file is the one place where exchanges are turned into text, so it is
// the one place where secrets are removed.

// Redacted replaces every secret in rendered text.
const Redacted = "[REDACTED]"

// MaxExcerpt caps a body excerpt in evidence.
const MaxExcerpt = 2048

// A secret shorter than this is replaced only where it stands as a whole
// word, so a toy token such as "T" does not mangle "TARGET"; a real token is
// long and replaced wherever it occurs.
const minSubstringSecret = 8

// Headers worth showing in evidence, canonical form. Anything else is noise
// (or, for cookies, a secret).
var relevantResponseHeaders = []string{
	"Allow", "Client-Request-Id", "Content-Length", "Content-Type", "Location",
	"Odata-Version", "Request-Id", "Retry-After", "Www-Authenticate",
}

var relevantRequestHeaders = []string{"Authorization", "Client-Request-Id", "Content-Type"}

// Evidence is what a vendor needs to act on a failure, already redacted.
type Evidence struct {
	Request        string   // request line: "PATCH https://host/v1.0/..."
	RequestHeaders []string // "Name: value"
	RequestBody    string   // excerpt
	Status         string   // "204 No Content"; empty when no response came back
	Headers        []string // relevant response headers, "Name: value"
	Body           string   // response body excerpt
	Notes          []string // what the client did that the exchange does not show (a retry not sent)
}

// String renders the evidence as a small HTTP-like transcript.
func (e *Evidence) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s\n", e.Request)
	for _, h := range e.RequestHeaders {
		fmt.Fprintf(&b, "> %s\n", h)
	}
	if e.RequestBody != "" {
		fmt.Fprintf(&b, ">\n%s\n", indent(e.RequestBody, "> "))
	}
	if e.Status == "" {
		b.WriteString("< (no response)\n")
		writeNotes(&b, e.Notes)
		return b.String()
	}
	fmt.Fprintf(&b, "< %s\n", e.Status)
	for _, h := range e.Headers {
		fmt.Fprintf(&b, "< %s\n", h)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, "<\n%s\n", indent(e.Body, "< "))
	}
	writeNotes(&b, e.Notes)
	return b.String()
}

func writeNotes(b *strings.Builder, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(b, "# %s\n", n)
	}
}

// Redactor removes a fixed set of secrets from text.
type Redactor struct {
	long  *strings.Replacer
	short []*regexp.Regexp
}

// NewRedactor returns a Redactor for secrets (empty ones ignored). Each
// secret is also removed in its URL-escaped form.
func NewRedactor(secrets []string) *Redactor {
	r := &Redactor{}
	var pairs []string
	seen := map[string]bool{}
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		for _, v := range []string{s, url.QueryEscape(s)} {
			if seen[v] {
				continue
			}
			seen[v] = true
			if len(v) >= minSubstringSecret {
				pairs = append(pairs, v, Redacted)
			} else {
				r.short = append(r.short, regexp.MustCompile(`(^|[^A-Za-z0-9._~+/=-])`+regexp.QuoteMeta(v)+`($|[^A-Za-z0-9._~+/=-])`))
			}
		}
	}
	if len(pairs) > 0 {
		// Longest first, so a secret containing another is replaced whole.
		sortPairsByLength(pairs)
		r.long = strings.NewReplacer(pairs...)
	}
	return r
}

func sortPairsByLength(pairs []string) {
	type kv struct{ k, v string }
	kvs := make([]kv, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		kvs = append(kvs, kv{pairs[i], pairs[i+1]})
	}
	sort.SliceStable(kvs, func(i, j int) bool { return len(kvs[i].k) > len(kvs[j].k) })
	for i, p := range kvs {
		pairs[2*i], pairs[2*i+1] = p.k, p.v
	}
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
		// Twice: adjacent occurrences share the separator between them.
		for range 2 {
			s = re.ReplaceAllString(s, "${1}"+Redacted+"${2}")
		}
	}
	return s
}

// Redact returns s without any of the secrets.
func Redact(s string, secrets []string) string { return NewRedactor(secrets).String(s) }

// NewEvidence renders ex, redacted. ex may have no response (Status 0).
func NewEvidence(ex *Exchange) *Evidence {
	r := NewRedactor(ex.Secrets)
	e := &Evidence{
		Request:        r.String(strings.TrimSpace(ex.Method + " " + redactURL(ex.URL))),
		RequestHeaders: renderHeaders(ex.RequestHeader, relevantRequestHeaders, r),
		RequestBody:    r.String(excerpt(ex.RequestBody)),
		Notes:          ex.Notes,
	}
	if ex.Status != 0 {
		e.Status = statusText(ex.Status)
		e.Headers = renderHeaders(ex.Header, relevantResponseHeaders, r)
		e.Body = r.String(excerpt(ex.Body))
	}
	return e
}

// newFailure is the only constructor of failures about an exchange: every
// text field goes through the exchange's redactor.
func newFailure(ex *Exchange, want, got, detail string) *Failure {
	r := NewRedactor(ex.Secrets)
	return &Failure{
		Expected: r.String(want),
		Actual:   r.String(got),
		Detail:   r.String(detail),
		Evidence: NewEvidence(ex),
	}
}

func renderHeaders(h http.Header, names []string, r *Redactor) []string {
	var out []string
	for _, name := range names {
		for _, v := range h.Values(name) {
			if strings.EqualFold(name, "Authorization") {
				v = redactAuthorization(v)
			}
			out = append(out, name+": "+r.String(v))
		}
	}
	return out
}

// redactAuthorization keeps the scheme (useful: "Bearer" vs "Basic") and
// drops the credentials, whatever they are.
func redactAuthorization(v string) string {
	scheme, _, found := strings.Cut(strings.TrimSpace(v), " ")
	if !found {
		return Redacted
	}
	return scheme + " " + Redacted
}

// redactURL removes userinfo passwords and query values that look like
// credentials.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), Redacted)
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for k := range q {
			lk := strings.ToLower(k)
			if strings.Contains(lk, "token") || strings.Contains(lk, "secret") || strings.Contains(lk, "password") || lk == "code" || lk == "sig" {
				q.Set(k, Redacted)
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprintf("%d", code)
}

// excerpt caps body at MaxExcerpt bytes, cut at a rune boundary.
func excerpt(body []byte) string {
	if len(body) <= MaxExcerpt {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	cut := MaxExcerpt
	for cut > 0 && !utf8.RuneStart(body[cut]) {
		cut--
	}
	return strings.ToValidUTF8(string(body[:cut]), "\uFFFD") + fmt.Sprintf("\n... (%d more bytes)", len(body)-cut)
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
