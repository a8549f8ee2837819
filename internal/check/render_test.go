package check

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestQuotedTextIsBounded: a hostile target's 10 MB header and body, and a header repeated a thousand times,
// give a failure of a few kilobytes. The whole failure text (what godog prints, the report's reason and
// evidence) once carried the 10 MB header three times.
func TestQuotedTextIsBounded(t *testing.T) {
	huge := strings.Repeat("x", 10<<20)
	ex := exchange(401, "application/json", huge)
	ex.Header.Set("WWW-Authenticate", `Bearer realm="`+huge+`"`)
	for range 1000 {
		ex.Header.Add("Retry-After", "1")
	}
	for name, err := range map[string]error{
		"Status":       Status(ex, 200),
		"HeaderEquals": HeaderEquals(ex, "WWW-Authenticate", `Bearer realm="graph"`),
		"HeaderLists":  HeaderLists(ex, "WWW-Authenticate", "Basic"),
	} {
		f := mustFail(t, err, "got ")
		if n := len(f.Error()); n > 16<<10 {
			t.Errorf("%s: the failure is %d bytes; want at most 16 KiB whatever the target sends", name, n)
		}
		if n := len(f.Actual); n > MaxQuote+64 {
			t.Errorf("%s: got-text is %d bytes; want about %d", name, n, MaxQuote)
		}
		if !strings.Contains(f.Error(), "more bytes") {
			t.Errorf("%s: the failure does not say what it left out", name)
		}
	}
}

// TestSecretAtTheCutIsNotShownInPart: the cut comes after the redaction.
func TestSecretAtTheCutIsNotShownInPart(t *testing.T) {
	for _, at := range []int{MaxQuote - 20, MaxQuote - 1, MaxQuote, MaxQuote + 1} {
		ex := exchange(401, "", "")
		ex.Header.Set("WWW-Authenticate", strings.Repeat("a", at)+token+strings.Repeat("b", MaxQuote))
		f := mustFail(t, Status(ex, 200), "got status 401")
		if strings.Contains(f.Error(), token[:8]) {
			t.Errorf("secret at byte %d: part of it is shown:\n%s", at, f.Error())
		}
	}
}

// TestControlCharactersAreVisible: whatever a target puts in a header, a body or a value the failure quotes,
// the failure's text holds no control character but newline and tab: an escape sequence, a bell, a carriage
// return that rewrites the line, a C1 CSI, a bidi override, a lone byte that is not UTF-8 all show as escapes.
func TestControlCharactersAreVisible(t *testing.T) {
	const nasty = "a\x1b[31mred\a\rover\x7f\u009b2J\u202eevil\xff!"
	ex := exchange(400, "application/json", `{"id":"`+nasty+`"}`)
	ex.Header.Set("Content-Type", "application/json; x="+nasty)
	ex.Header.Set("WWW-Authenticate", nasty)
	for name, err := range map[string]error{
		"Status":      Status(ex, 200),
		"JSONPointer": JSONPointer(ex, "/id", "x"),
		"MediaType":   MediaType(ex, "text/plain"),
		"Transport":   Transport(exchange(0, "", ""), errString(nasty)),
	} {
		f := mustFail(t, err, "got ")
		text := f.Error()
		for i, r := range text {
			if r == '\n' || r == '\t' {
				continue
			}
			if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Errorf("%s: control character %U at byte %d of:\n%q", name, r, i, text)
				break
			}
		}
		if !strings.Contains(text, `a\x1b[31mred\x07\x0dover\x7f\u009b2J\u202eevil\xff!`) {
			t.Errorf("%s: the text does not show the characters as escapes:\n%s", name, text)
		}
	}
}

func TestVisible(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "",
		"plain\ttext\nline é 😀": "plain\ttext\nline é 😀",
		"\x1b[2J":               `\x1b[2J`,
		"\x00\r\x7f":            `\x00\x0d\x7f`,
		"\u0085\u009b":          `\u0085\u009b`,
		"\u202e\u2066":          `\u202e\u2066`,
		"\xe2\x82":              `\xe2\x82`, // a cut rune
	} {
		if got := Visible(in); got != want {
			t.Errorf("Visible(%q) = %q; want %q", in, got, want)
		}
	}
}

func BenchmarkFailureOfAHugeHeader(b *testing.B) {
	ex := exchange(401, "", "")
	ex.Header.Set("WWW-Authenticate", strings.Repeat("x", 10<<20))
	for b.Loop() {
		_ = Status(ex, http.StatusOK).Error()
	}
}
