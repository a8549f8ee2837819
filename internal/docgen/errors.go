package docgen

import (
	"fmt"
	"strings"
)

// Error is one problem found in a page, located by page name and 1-based line.
// Every parse failure is an *Error (possibly several, joined in an ErrorList),
// so a caller can print "page:line: message" and let the author fix the page.
type Error struct {
	Page string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.Page, e.Line, e.Msg)
}

// ErrorList holds every fatal problem of one page, in line order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find the individual *Error values.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Warning is a tolerated oddity (a Content-Length that does not match, an
// annotation with no block after it): reported, never fatal.
type Warning struct {
	Line int
	Msg  string
}

func (w Warning) String() string { return fmt.Sprintf("%d: %s", w.Line, w.Msg) }
