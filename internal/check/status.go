package check

import (
	"fmt"
	"mime"
	"strings"
)

// Status fails unless the response status is want.
func Status(ex *Exchange, want int) error {
	if ex.Status == want {
		return nil
	}
	return newFailure(ex, "status "+statusText(want), gotStatus(ex), "")
}

// Success fails unless the status is 2xx: for a precondition of a
// requirement about something else (OData lets a PATCH answer 200 with the
// entity or 204 without it, so "the write succeeded" is any 2xx).
func Success(ex *Exchange) error {
	if ex.Status/100 == 2 {
		return nil
	}
	return newFailure(ex, "a 2xx status (success)", gotStatus(ex), "")
}

// NotServerError fails on any 5xx: a conforming service answers a bad
// request with a 4xx, never by falling over.
func NotServerError(ex *Exchange) error {
	if ex.Status < 500 {
		return nil
	}
	return newFailure(ex, "a status below 500 (a client error, not a server error)", gotStatus(ex), "")
}

func gotStatus(ex *Exchange) string {
	if ex.Status == 0 {
		return withNotes(ex, "no response")
	}
	return withNotes(ex, "status "+statusText(ex.Status))
}

// withNotes adds the exchange's notes (a retry not sent, and why) to what
// came back.
func withNotes(ex *Exchange, got string) string {
	if len(ex.Notes) == 0 {
		return got
	}
	return got + " (" + strings.Join(ex.Notes, "; ") + ")"
}

// MediaType fails unless Content-Type parses (mime.ParseMediaType) to the
// media type want; parameters such as charset or odata.metadata are allowed.
func MediaType(ex *Exchange, want string) error {
	want = strings.ToLower(want)
	raw := ex.Header.Get("Content-Type")
	if raw == "" {
		return newFailure(ex, "Content-Type of media type "+want, "no Content-Type header", "")
	}
	mt, _, err := mime.ParseMediaType(raw)
	if err != nil {
		return newFailure(ex, "Content-Type of media type "+want, fmt.Sprintf("unparseable Content-Type %q (%v)", raw, err), "")
	}
	if mt != want {
		return newFailure(ex, "Content-Type of media type "+want, fmt.Sprintf("Content-Type %q (media type %s)", raw, mt), "")
	}
	return nil
}

// Header fails unless the response carries a non-empty header name.
func Header(ex *Exchange, name string) error {
	if strings.TrimSpace(ex.Header.Get(name)) != "" {
		return nil
	}
	return newFailure(ex, "a non-empty "+name+" response header", "no "+name+" header", "")
}

// HeaderEquals fails unless the response header name is exactly want.
func HeaderEquals(ex *Exchange, name, want string) error {
	got := ex.Header.Values(name)
	if len(got) == 1 && got[0] == want {
		return nil
	}
	exp := fmt.Sprintf("%s: %s", name, want)
	switch len(got) {
	case 0:
		return newFailure(ex, exp, "no "+name+" header", "")
	case 1:
		return newFailure(ex, exp, fmt.Sprintf("%s: %s", name, got[0]), "")
	default:
		return newFailure(ex, exp, fmt.Sprintf("%d %s headers %q", len(got), name, got), "")
	}
}

// HeaderLists fails unless the comma-separated list header name (such as
// Allow) contains token.
func HeaderLists(ex *Exchange, name, token string) error {
	var all []string
	for _, v := range ex.Header.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				all = append(all, t)
				if t == token {
					return nil
				}
			}
		}
	}
	exp := fmt.Sprintf("a %s header listing %s", name, token)
	if len(all) == 0 {
		return newFailure(ex, exp, "no "+name+" header", "")
	}
	return newFailure(ex, exp, fmt.Sprintf("%s: %s", name, strings.Join(all, ", ")), "")
}
