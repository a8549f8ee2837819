// Package check holds the typed checks the step definitions run against one
// HTTP exchange. Every failing check returns a *Failure that says what was
// expected, what came back, and carries the evidence (request line, status,
// relevant headers, body excerpt) with every secret already redacted.
package check

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Exchange is one request and its response, as the checks see them.
type Exchange struct {
	Method        string
	URL           string
	RequestHeader http.Header
	RequestBody   []byte
	Status        int
	Header        http.Header
	Body          []byte
	// Secrets are removed from every rendering of this exchange (tokens,
	// client secrets). Authorization headers are redacted regardless.
	Secrets []string
	// Notes say what the client did that the response does not show: why a
	// 429, a 503 or a transport error came back without being retried.
	Notes []string
}

// Failure is a failed check: "got Actual; want Expected", with evidence.
// All its text is redacted when it is built (see newFailure), so it can be
// logged, printed and reported as it is.
type Failure struct {
	Requirement string    // e.g. ECA-UPDATE-001; set by the step layer (see Attribute)
	Context     string    // what was being checked, when the check alone does not say (see Within)
	Expected    string    // what the requirement asks for
	Actual      string    // what came back
	Detail      string    // optional further lines (schema problems, mismatches)
	Evidence    *Evidence // nil when the failure is not about an HTTP exchange
}

// Error reads like "ECA-UPDATE-001: got status 204 No Content; want status 200 OK"
// followed by the detail and the evidence, indented.
func (f *Failure) Error() string {
	var b strings.Builder
	if f.Requirement != "" {
		b.WriteString(f.Requirement)
		b.WriteString(": ")
	}
	if f.Context != "" {
		b.WriteString(f.Context)
		b.WriteString(": ")
	}
	b.WriteString(f.Message())
	if f.Detail != "" {
		for _, l := range strings.Split(strings.TrimRight(f.Detail, "\n"), "\n") {
			b.WriteString("\n  ")
			b.WriteString(l)
		}
	}
	if f.Evidence != nil {
		b.WriteString("\n")
		b.WriteString(indent(f.Evidence.String(), "  "))
	}
	return b.String()
}

// Summary is Error without the evidence: requirement, message and detail.
func (f *Failure) Summary() string {
	c := *f
	c.Evidence = nil
	return c.Error()
}

// Message is the one-line "got X; want Y".
func (f *Failure) Message() string {
	return fmt.Sprintf("got %s; want %s", f.Actual, f.Expected)
}

// Attribute sets the requirement id on err when it is (or wraps) a *Failure
// without one, and returns err.
func Attribute(err error, requirement string) error {
	if f, ok := AsFailure(err); ok && f.Requirement == "" {
		f.Requirement = requirement
	}
	return err
}

// Within says what a failing check was about ("provisioning the
// assignment"). A *Failure is annotated in place rather than wrapped, so its
// rendering stays one piece and a requirement attributed later still shows
// first; any other error is wrapped.
func Within(err error, context string) error {
	if err == nil {
		return nil
	}
	if f, ok := err.(*Failure); ok {
		if f.Context != "" {
			context += ": " + f.Context
		}
		f.Context = context
		return f
	}
	return fmt.Errorf("%s: %w", context, err)
}

// AsFailure unwraps err to a *Failure.
func AsFailure(err error) (*Failure, bool) {
	var f *Failure
	ok := errors.As(err, &f)
	return f, ok
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// Headline is the one line that decides the failure: the first detail line when there is detail (the first
// property that differs, the first schema problem), else "got X; want Y", after what was being checked. A
// console that has room for one line shows this one.
func (f *Failure) Headline() string {
	line := f.Message()
	if d := strings.TrimSpace(f.Detail); d != "" {
		line, _, _ = strings.Cut(d, "\n")
	}
	if f.Context != "" {
		line = f.Context + ": " + line
	}
	return line
}

// Headline is err's deciding line: a *Failure's Headline, else the first line of its text.
func Headline(err error) string {
	if err == nil {
		return ""
	}
	if f, ok := AsFailure(err); ok {
		return f.Headline()
	}
	line, _, _ := strings.Cut(strings.TrimSpace(err.Error()), "\n")
	return line
}
