package check

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// TokenPlaceholder stands for the bearer token in a rendered command: the shell expands it from the
// environment of whoever pastes the command, so the token itself is never printed.
const TokenPlaceholder = "$GRAPH_TOKEN"

// MaxCurlBody caps the body a curl command carries; a longer one is cut and the command says so (the
// shrinker keeps failing bodies far smaller).
const MaxCurlBody = 64 << 10

// Curl renders ex's request as one curl command line that reproduces it: method, URL, every request
// header, the body byte for byte. The Authorization header becomes "Bearer $GRAPH_TOKEN" whatever it
// held, and the rest is redacted like any evidence. Each argument is quoted for a POSIX shell with
// ANSI-C quoting ($'...') wherever it holds anything but printable ASCII: control characters, invalid
// UTF-8 and terminal escapes are written as \xNN, so the line prints safely and curl still sends the
// exact bytes (bash, zsh, ksh and POSIX.1-2024 sh read $'...').
func Curl(ex *Exchange) string {
	r := NewRedactor(ex.Secrets)
	var b strings.Builder
	quote := func(s string) string { return shellQuote(r.String(s)) }
	args := curlArgs(ex.Method, quote(ex.URL), ex.RequestHeader, quote, bearerWord(TokenPlaceholder))
	b.WriteString("curl -sS -i " + strings.Join(args, " "))
	if ex.RequestBody != nil || ex.RequestHeader.Get("Content-Type") != "" {
		body := ex.RequestBody
		cut := ""
		if len(body) > MaxCurlBody {
			cut = fmt.Sprintf(" # body cut to %d of %d bytes", MaxCurlBody, len(body))
			body = body[:MaxCurlBody]
		}
		b.WriteString(" --data-binary " + shellQuote(r.String(string(body))) + cut)
	}
	return b.String()
}

// curlArgs renders a request as curl's arguments, each one shell word: -X and the method unless it is GET, the
// URL (urlWord, rendered by the caller), then -H and a header line for every value of header, names sorted. Each
// line "Name: value" is rendered by word, but an Authorization header's, which is auth whatever the value was.
// Curl and the replay script (Transcript.Script) both render their requests with it.
func curlArgs(method, urlWord string, header http.Header, word func(line string) string, auth string) []string {
	var args []string
	if method != "" && method != http.MethodGet {
		args = append(args, "-X", shellQuote(method))
	}
	args = append(args, urlWord)
	names := make([]string, 0, len(header))
	for k := range header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range header[k] {
			if strings.EqualFold(k, "Authorization") {
				args = append(args, "-H", auth)
				continue
			}
			args = append(args, "-H", word(k+": "+v))
		}
	}
	return args
}

// bearerWord is an Authorization header line whose token is the shell expression token (such as
// TokenPlaceholder), in double quotes so that the shell expands it.
func bearerWord(token string) string {
	return `"Authorization: Bearer ` + token + `"`
}

// shellQuote quotes s as one shell word: 'single quotes' when s is printable ASCII without a quote,
// else $'...' with backslash, quote and every byte outside printable ASCII escaped.
func shellQuote(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '\'' {
			plain = false
			break
		}
	}
	if plain {
		return "'" + s + "'"
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			b.WriteString(`\x`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
