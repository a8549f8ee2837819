package check

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is the one place where exchanges are turned into text, so it is
// the one place where secrets are removed, where what a target sent is cut to
// a bounded size, and where control characters are made visible (Visible).

// Redacted replaces every secret in rendered text.
const Redacted = "[REDACTED]"

// Bounds on what is quoted from a target. A target chooses the size of its
// headers, bodies and error text; the size of a report must not follow.
const (
	// MaxExcerpt caps a body excerpt in evidence.
	MaxExcerpt = 2048
	// MaxQuote caps one header value, and the expected and actual text of a
	// failure (which may quote a header or a JSON value).
	MaxQuote = 512
	// MaxDetail caps a failure's detail lines (schema problems, mismatches).
	MaxDetail = 8 << 10
	// maxHeaderValues caps how many values of one header name are shown.
	maxHeaderValues = 8
)

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
	long    *strings.Replacer
	short   []*regexp.Regexp
	longest int // length of the longest secret (any form), for Quote
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
			r.longest = max(r.longest, len(v))
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

// Quote is s as it may be shown: without the secrets, cut to about n bytes
// (at a rune boundary, saying how much was left out), control characters
// made visible (Visible). The cut comes after the redaction, so a secret
// straddling it is never shown in part; and only the first n bytes plus the
// longest secret are redacted, so a 10 MB header costs what a short one does.
func (r *Redactor) Quote(s string, n int) string {
	if m := n + r.margin(); len(s) > m {
		return r.quote(s[:m], len(s), n)
	}
	return r.quote(s, len(s), n)
}

// quoteBytes is Quote for a body, copying no more of it than is shown.
func (r *Redactor) quoteBytes(b []byte, n int) string {
	if m := n + r.margin(); len(b) > m {
		return r.quote(string(b[:m]), len(b), n)
	}
	return r.quote(string(b), len(b), n)
}

// quote renders head, the first bytes of a text of total bytes.
func (r *Redactor) quote(head string, total, n int) string {
	s := r.String(head)
	more := total - len(head)
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		more += len(s) - cut
		s = s[:cut]
	}
	if more > 0 {
		s += fmt.Sprintf(" ... (%d more bytes)", more)
	}
	return Visible(s)
}

func (r *Redactor) margin() int {
	if r == nil {
		return 0
	}
	return r.longest
}

// Redact returns s without any of the secrets.
func Redact(s string, secrets []string) string { return NewRedactor(secrets).String(s) }

// Visible makes every control character of s visible, so that text a
// target or a doc page chose cannot drive the terminal, or hide or rewrite
// lines, wherever it is shown: C0 controls but newline and tab, DEL and bytes
// that are not UTF-8 as \xHH; C1 controls and bidirectional formatting
// characters as \uHHHH. Every renderer of text from outside (evidence,
// failures, reports in every format) uses this one function.
func Visible(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1, r < utf8.RuneSelf && needsEscape(r, size):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r, size):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(r rune, size int) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r == utf8.RuneError && size <= 1: // not UTF-8: a lone 0x9b is CSI to some terminals
		return true
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	}
	return unicode.Is(unicode.Bidi_Control, r)
}

// NewEvidence renders ex, redacted and bounded. ex may have no response
// (Status 0).
func NewEvidence(ex *Exchange) *Evidence {
	r := NewRedactor(ex.Secrets)
	e := &Evidence{
		Request:        r.Quote(strings.TrimSpace(ex.Method+" "+redactURL(ex.URL)), MaxExcerpt),
		RequestHeaders: renderHeaders(ex.RequestHeader, relevantRequestHeaders, r),
		RequestBody:    r.quoteBytes(ex.RequestBody, MaxExcerpt),
	}
	for _, n := range ex.Notes {
		e.Notes = append(e.Notes, r.Quote(n, MaxQuote))
	}
	if ex.Status != 0 {
		e.Status = statusText(ex.Status)
		e.Headers = renderHeaders(ex.Header, relevantResponseHeaders, r)
		e.Body = r.quoteBytes(ex.Body, MaxExcerpt)
	}
	return e
}

// Fail is a failure about ex that no typed check covers: "got got; want
// want", with the evidence. Its text is treated like every check's.
func Fail(ex *Exchange, want, got string) *Failure { return newFailure(ex, want, got, "") }

// newFailure is the only constructor of failures about an exchange: every
// text field goes through the exchange's redactor, bounded, and made visible.
func newFailure(ex *Exchange, want, got, detail string) *Failure {
	r := NewRedactor(ex.Secrets)
	return &Failure{
		Expected: r.Quote(want, MaxQuote),
		Actual:   r.Quote(got, MaxQuote),
		Detail:   r.Quote(detail, MaxDetail),
		Evidence: NewEvidence(ex),
	}
}

func renderHeaders(h http.Header, names []string, r *Redactor) []string {
	var out []string
	for _, name := range names {
		values := h.Values(name)
		for i, v := range values {
			if i == maxHeaderValues {
				out = append(out, fmt.Sprintf("%s: ... (%d more %s headers)", name, len(values)-i, name))
				break
			}
			if strings.EqualFold(name, "Authorization") {
				v = redactAuthorization(v)
			}
			out = append(out, name+": "+r.Quote(v, MaxQuote))
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
