package check

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ReplayOptions say what a replay script replays.
type ReplayOptions struct {
	Title   string // what the scenario checks, such as "ECA-UPDATE-001 The documented example request updates..."
	Finding string // what the run found, one line ("got status 204 No Content; want status 200 OK")
	BaseURL string // the target's base URL: the requests under it are sent under $GRAPH_BASE_URL, by default it
	// NamePrefix and RunID start the name of everything the run created ("graphconform-" and the run's id): a
	// replay names what it creates with the same prefix and a fresh id, so a sweep finds its leftovers too.
	NamePrefix, RunID string
}

// Script renders the transcript as a bash script that sends the scenario's requests again, in order, against the
// same service: the token as $GRAPH_TOKEN (and $GRAPH_READ_TOKEN), what the scenario created named with a fresh
// run id, the ids later requests address taken from the replayed responses with jq. Every request body is written
// byte for byte with printf, so bodies that are not UTF-8 or hold control characters replay exactly. It prints
// each response (control characters shown by cat -v) and, at the end, the status the run got to the last request
// of the scenario beside the replay's. Nothing in it is a secret: every literal is redacted as evidence is.
func (t *Transcript) Script(o ReplayOptions) string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	entries := append([]transcriptEntry(nil), t.entries...)
	left := t.left
	t.mu.Unlock()

	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("#!/usr/bin/env bash\n")
	w("# graphconform replay: %s\n", scriptText(o.Title))
	if o.Finding != "" {
		w("# The run found: %s\n", scriptText(o.Finding))
	}
	w("#\n# Sends the scenario's %d requests again, in order, to the service at $GRAPH_BASE_URL (default: the run's\n", len(entries))
	w("# target) with the token in $GRAPH_TOKEN, and prints each response. What the scenario creates is named with a\n")
	w("# fresh run id; the ids later requests address are taken from the responses. Needs bash, curl and jq.\n")
	if left > 0 {
		w("# The transcript kept %d exchanges and left %d out: this replay stops short of the run.\n", len(entries), left)
	}
	w("set -uo pipefail\n")
	w(": \"${GRAPH_TOKEN:?set GRAPH_TOKEN to a bearer token with DeviceManagementServiceConfig.ReadWrite.All}\"\n")
	w("base=${GRAPH_BASE_URL:-%s}\n", shellQuote(o.BaseURL))
	w("run=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \\n')\nname=%s\"$run\"\n", shellQuote(o.NamePrefix))
	w("dir=$(mktemp -d)\ntrap 'rm -rf \"$dir\"' EXIT\n")
	w("command -v jq >/dev/null || { echo 'this replay needs jq, to take ids from the responses' >&2; exit 2; }\n")
	w(`show() { tr -d '\r' | cat -v; }
# send N CURL-ARGS...: sends request N; prints its response; keeps its body in $dir/N and its status in status_N.
send() {
	local n=$1
	shift
	if curl -sS -m 60 -D "$dir/$n.head" -o "$dir/$n" "$@"; then
		show <"$dir/$n.head"
		show <"$dir/$n"
		echo
	else
		echo "(no response)"
		: >"$dir/$n.head"
		: >"$dir/$n"
	fi
	printf -v "status_$n" '%%s' "$(sed -n '1s/^HTTP[^ ]* \([0-9]*\).*/\1/p' "$dir/$n.head")"
}
# id N: the "id" of response N's JSON body.
id() { jq -r 'if type == "object" and (.id | type) == "string" then .id else empty end' "$dir/$1" 2>/dev/null; }
`)

	subs := []substitution{}
	if o.RunID != "" {
		subs = append(subs, substitution{literal: o.NamePrefix + o.RunID, name: "name"})
	}
	last := -1
	for i, e := range entries {
		if !e.cleanup {
			last = i
		}
	}
	for i, e := range entries {
		n := i + 1
		red := NewRedactor(e.secrets)
		if e.cleanup && (i == 0 || !entries[i-1].cleanup) {
			w("\n# After the scenario: its cleanup, so the replay leaves nothing behind either.\n")
		}
		w("\necho %s\n", shellQuote(fmt.Sprintf("### %d/%d %s %s (the run got %s)", n, len(entries), e.method, scriptText(shownURL(red.String(redactURL(e.url)), o.BaseURL, subs)), runStatus(e.status))))
		var used []string
		word := func(line string) string { return renderWord(line, "", subs, red, &used) }
		args := curlArgs(e.method, renderWord(redactURL(e.url), o.BaseURL, subs, red, &used), e.header, word, bearerWord(TokenPlaceholder))
		switch e.cred { // e.header holds no Authorization: it goes after the other headers
		case TokenCredential:
			args = append(args, "-H", bearerWord(TokenPlaceholder))
		case ReadTokenCredential:
			args = append(args, "-H", bearerWord("${GRAPH_READ_TOKEN:?set GRAPH_READ_TOKEN to a read-only token}"))
		case SentCredential:
			args = append(args, "-H", shellQuote(red.String("Authorization: "+e.auth)))
		}
		var body string
		if e.hasBody || e.header.Get("Content-Type") != "" {
			format, vars := printfBody(e.body, subs, red, &used)
			body = fmt.Sprintf("printf %s%s >\"$dir/%d.body\"\n", format, vars, n)
			if e.bodyLen > len(e.body) {
				body = fmt.Sprintf("# the body is cut to %d of its %d bytes\n", len(e.body), e.bodyLen) + body
			}
			args = append(args, "--data-binary", fmt.Sprintf("@\"$dir/%d.body\"", n))
		}
		send := body + fmt.Sprintf("send %d %s\n", n, strings.Join(args, " "))
		if len(used) == 0 {
			w("%s", send)
		} else {
			var cond []string
			for _, u := range dedupe(used) {
				cond = append(cond, fmt.Sprintf("[ -n \"$%s\" ]", u))
			}
			w("if %s; then\n%s\nelse\n\techo '(not sent: an earlier response gave no id)'\nfi\n", strings.Join(cond, " && "), indentTab(strings.TrimRight(send, "\n")))
		}
		if e.id != "" && !hasLiteral(subs, e.id) {
			name := fmt.Sprintf("id%d", n)
			w("%s=$(id %d)\n", name, n)
			subs = append(subs, substitution{literal: e.id, name: name})
			if esc := url.PathEscape(e.id); esc != e.id {
				subs = append(subs, substitution{literal: esc, name: name, urlOnly: true})
			}
		}
	}
	if last >= 0 {
		e := entries[last]
		w("\necho\necho %s\"${status_%d:-no response}\"\n", shellQuote(fmt.Sprintf("### the scenario's last request (%d): the run got %s; this replay got ", last+1, runStatus(e.status))), last+1)
		if o.Finding != "" {
			w("echo %s\n", shellQuote("### the run found: "+scriptText(o.Finding)))
		}
	}
	return b.String()
}

// substitution replaces a literal of the run (an id a response gave, the run id) by a shell variable.
type substitution struct {
	literal, name string
	urlOnly       bool // the literal's URL-escaped form, replaced only in URLs
}

func hasLiteral(subs []substitution, lit string) bool {
	for _, s := range subs {
		if s.literal == lit {
			return true
		}
	}
	return false
}

// piece is a literal run of text or a variable.
type piece struct {
	text string
	name string // set: the variable
}

// split cuts s at every occurrence of a substitution's literal, longest literals first.
func split(s string, subs []substitution, inURL bool) []piece {
	var out []piece
	for s != "" {
		at, which := -1, -1
		for i, sub := range subs {
			if sub.literal == "" || (sub.urlOnly && !inURL) {
				continue
			}
			if j := strings.Index(s, sub.literal); j >= 0 && (at < 0 || j < at || (j == at && len(sub.literal) > len(subs[which].literal))) {
				at, which = j, i
			}
		}
		if at < 0 {
			out = append(out, piece{text: s})
			break
		}
		if at > 0 {
			out = append(out, piece{text: s[:at]})
		}
		out = append(out, piece{name: subs[which].name})
		s = s[at+len(subs[which].literal):]
	}
	return out
}

// renderWord renders s as one shell word, its literals quoted (and redacted) and its substitutions as "$name";
// when base is set and s starts with it, that prefix is "$base".
func renderWord(s, base string, subs []substitution, red *Redactor, used *[]string) string {
	var b strings.Builder
	inURL := base != ""
	if inURL && strings.HasPrefix(s, base) {
		b.WriteString(`"$base"`)
		s = s[len(base):]
	}
	for _, p := range split(s, subs, inURL) {
		if p.name != "" {
			fmt.Fprintf(&b, `"$%s"`, p.name)
			if p.name != "name" {
				*used = append(*used, p.name)
			}
			continue
		}
		b.WriteString(shellQuote(red.String(p.text)))
	}
	if b.Len() == 0 {
		return "''"
	}
	return b.String()
}

// printfBody renders body as the format and arguments of a printf that writes it byte for byte: every byte but
// printable ASCII is an octal escape (a shell word cannot hold NUL; printf's format can), the substitutions are
// %s with their variables as arguments.
func printfBody(body []byte, subs []substitution, red *Redactor, used *[]string) (string, string) {
	var f, args strings.Builder
	f.WriteString("'")
	for _, p := range split(string(body), subs, false) {
		if p.name != "" {
			f.WriteString("%s")
			fmt.Fprintf(&args, ` "$%s"`, p.name)
			if p.name != "name" {
				*used = append(*used, p.name)
			}
			continue
		}
		text := red.String(p.text)
		for i := 0; i < len(text); i++ {
			switch c := text[i]; {
			case c == '%':
				f.WriteString("%%")
			case c == '\\':
				f.WriteString(`\\`)
			case c < 0x20 || c > 0x7e || c == '\'':
				fmt.Fprintf(&f, `\%03o`, c)
			default:
				f.WriteByte(c)
			}
		}
	}
	f.WriteString("'")
	return f.String(), args.String()
}

// shownURL is u as a title line shows it: the base and the ids a replay takes from responses as their variables.
func shownURL(u, base string, subs []substitution) string {
	var b strings.Builder
	if base != "" && strings.HasPrefix(u, base) {
		b.WriteString("$base")
		u = u[len(base):]
	}
	for _, p := range split(u, subs, true) {
		if p.name != "" {
			b.WriteString("$" + p.name)
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

func runStatus(code int) string {
	if code == 0 {
		return "no response"
	}
	return statusText(code)
}

// scriptText is text made fit for a comment or an echo: one line, every character that is not printable shown
// as a Go escape (\x1b), so a target's text cannot end the comment or drive the terminal.
func scriptText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	q := strconv.QuoteToASCII(s)
	return strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
}

func dedupe(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func indentTab(s string) string {
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}
