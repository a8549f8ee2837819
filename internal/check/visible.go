package check

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
