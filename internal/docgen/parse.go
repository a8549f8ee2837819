package docgen

import (
	"fmt"
	"html"
	"strings"
)

// maxPageBytes bounds what Parse reads; a method page is a few kilobytes.
const maxPageBytes = 4 << 20

// tooLarge is the error for a page past maxPageBytes; its size is not
// given, as reading stops at the limit (see readPage).
func tooLarge(name string) error {
	return ErrorList{{Page: name, Line: 1, Msg: fmt.Sprintf("the page is larger than %d MiB, the limit for a doc page", maxPageBytes>>20)}}
}

// Parse reads one page. name is used in messages ("page.md:42: ...").
// It never panics: every problem it cannot tolerate is returned as an
// ErrorList of *Error, each with the page and line.
func Parse(name string, src []byte) (*Page, error) {
	p := &parser{page: &Page{Name: name}}
	if len(src) > maxPageBytes {
		return nil, tooLarge(name)
	}
	p.lines = splitLines(string(src))
	p.scan()
	p.classify()
	p.pair()
	p.readTables()
	p.readStatus()
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return p.page, nil
}

type parser struct {
	page  *Page
	lines []string
	errs  ErrorList

	headings []heading
	tables   []table
	prose    []proseLine
}

type heading struct {
	level int
	text  string // lower-cased, trimmed
	line  int
}

type table struct {
	section string // the heading the table sits under (lower-cased)
	header  []string
	rows    [][]string
	lines   []int // line of each row
}

type proseLine struct {
	section string
	text    string
	line    int
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{Page: p.page.Name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) warnf(line int, format string, args ...any) {
	p.page.Warnings = append(p.page.Warnings, Warning{Line: line, Msg: fmt.Sprintf(format, args...)})
}

func splitLines(s string) []string {
	s = strings.TrimPrefix(s, "\ufeff")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

func (p *parser) section() string {
	if len(p.headings) == 0 {
		return ""
	}
	return p.headings[len(p.headings)-1].text
}

// scan walks the page once: front matter, headings, comments (annotations),
// fenced blocks, tables and prose.
func (p *parser) scan() {
	i := 0
	if len(p.lines) > 0 && strings.TrimSpace(p.lines[0]) == "---" {
		i = p.frontMatter()
	}
	var pending *Annotation // an annotation waiting for its block
	var tbl *table
	flushTable := func() {
		if tbl != nil && len(tbl.header) > 0 {
			p.tables = append(p.tables, *tbl)
		}
		tbl = nil
	}
	dropPending := func(why string) {
		if pending != nil {
			p.warnf(pending.Line, "annotation is not followed by a code block (%s); ignored", why)
			pending = nil
		}
	}
	for i < len(p.lines) {
		line := p.lines[i]
		trimmed := strings.TrimSpace(line)
		lineNo := i + 1

		if fch, flen, info, ok := openFence(line); ok {
			flushTable()
			b, next := p.fence(i, fch, flen, info)
			b.Annotation = pending
			pending = nil
			p.page.Blocks = append(p.page.Blocks, b)
			p.prose = append(p.prose, proseLine{section: p.section(), text: "", line: lineNo})
			b.section = p.section()
			i = next
			continue
		}
		if strings.HasPrefix(trimmed, "<!--") {
			flushTable()
			text, next, closed := p.comment(i)
			if !closed {
				p.errorf(lineNo, "HTML comment is never closed (no -->)")
				return
			}
			if t := strings.TrimSpace(text); strings.HasPrefix(t, "{") {
				dropPending("another annotation follows")
				a, at, err := parseAnnotation(text, lineNo)
				if err != nil {
					p.errorf(at, "%v", err)
				} else {
					pending = a
				}
			}
			i = next
			continue
		}
		if level, text, ok := atxHeading(trimmed); ok {
			flushTable()
			// Tab headings ("# [HTTP](#tab/http)") of snippet groups are
			// not sections; the annotation after them belongs to the block.
			if !strings.HasPrefix(text, "[") || !strings.Contains(text, "(#tab/") {
				dropPending("a heading follows")
				p.headings = append(p.headings, heading{level: level, text: strings.ToLower(text), line: lineNo})
				if level == 1 && p.page.Title == "" {
					p.page.Title = text
					p.page.TitleLine = lineNo
				}
			}
			i++
			continue
		}
		if strings.HasPrefix(trimmed, "|") {
			dropPending("a table follows")
			cells := splitRow(trimmed)
			switch {
			case tbl == nil:
				tbl = &table{section: p.section(), header: cells}
				tbl.lines = append(tbl.lines, lineNo)
			case len(tbl.rows) == 0 && len(tbl.lines) == 1 && isSeparator(cells):
				tbl.lines = append(tbl.lines, lineNo) // the |:---| row
			case len(tbl.lines) == 1:
				// a header with no separator: not a table after all
				tbl = &table{section: p.section(), header: cells, lines: []int{lineNo}}
			default:
				tbl.rows = append(tbl.rows, cells)
				tbl.lines = append(tbl.lines, lineNo)
			}
			i++
			continue
		}
		flushTable()
		if trimmed != "" {
			dropPending("text follows")
			p.prose = append(p.prose, proseLine{section: p.section(), text: trimmed, line: lineNo})
		}
		i++
	}
	flushTable()
	dropPending("the page ends")
}

// frontMatter reads the "---" delimited header: simple "key: value" lines.
func (p *parser) frontMatter() int {
	for i := 1; i < len(p.lines); i++ {
		l := p.lines[i]
		if strings.TrimSpace(l) == "---" {
			return i + 1
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok || strings.HasPrefix(l, " ") || strings.HasPrefix(l, "#") {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		p.page.FrontMatter = append(p.page.FrontMatter, Field{Key: strings.TrimSpace(k), Value: v, Line: i + 1})
	}
	p.errorf(1, "front matter opened with --- is never closed")
	return len(p.lines)
}

// comment returns the inner text of the HTML comment starting on line i.
func (p *parser) comment(i int) (text string, next int, closed bool) {
	first := p.lines[i]
	start := strings.Index(first, "<!--") + len("<!--")
	var sb strings.Builder
	rest := first[start:]
	for j := i; j < len(p.lines); j++ {
		if j > i {
			rest = p.lines[j]
			sb.WriteByte('\n')
		}
		if k := strings.Index(rest, "-->"); k >= 0 {
			sb.WriteString(rest[:k])
			return sb.String(), j + 1, true
		}
		sb.WriteString(rest)
	}
	return "", len(p.lines), false
}

// openFence reports whether line opens a fenced code block (``` or ~~~).
func openFence(line string) (ch byte, n int, info string, ok bool) {
	t := strings.TrimLeft(line, " \t")
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return 0, 0, "", false
	}
	ch = t[0]
	for n < len(t) && t[n] == ch {
		n++
	}
	if n < 3 {
		return 0, 0, "", false
	}
	info = strings.TrimSpace(t[n:])
	if ch == '`' && strings.Contains(info, "`") {
		return 0, 0, "", false // inline code, not a fence
	}
	if f := strings.Fields(info); len(f) > 0 {
		info = f[0]
	}
	return ch, n, strings.ToLower(info), true
}

func closesFence(line string, ch byte, n int) bool {
	t := strings.TrimSpace(line)
	if len(t) < n {
		return false
	}
	for j := 0; j < len(t); j++ {
		if t[j] != ch {
			return false
		}
	}
	return true
}

func (p *parser) fence(i int, ch byte, n int, info string) (*Block, int) {
	b := &Block{Line: i + 1, Lang: info, ContentLine: i + 2, Kind: KindOther}
	var content []string
	j := i + 1
	for ; j < len(p.lines); j++ {
		if closesFence(p.lines[j], ch, n) {
			b.Content = strings.Join(content, "\n")
			return b, j + 1
		}
		content = append(content, p.lines[j])
	}
	p.warnf(i+1, "code block is never closed; it runs to the end of the page")
	b.Content = strings.Join(content, "\n")
	return b, j
}

func atxHeading(t string) (level int, text string, ok bool) {
	for level < len(t) && t[level] == '#' {
		level++
	}
	if level == 0 || level > 6 || (level < len(t) && t[level] != ' ' && t[level] != '\t') {
		return 0, "", false
	}
	text = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t[level:]), "#"))
	return level, text, true
}

// splitRow splits "| a | b |" into cells, honouring "\|" escapes.
func splitRow(t string) []string {
	t = strings.TrimPrefix(t, "|")
	if strings.HasSuffix(t, "|") && !strings.HasSuffix(t, "\\|") {
		t = t[:len(t)-1]
	}
	var cells []string
	var sb strings.Builder
	for k := 0; k < len(t); k++ {
		switch {
		case t[k] == '\\' && k+1 < len(t) && t[k+1] == '|':
			sb.WriteByte('|')
			k++
		case t[k] == '|':
			cells = append(cells, strings.TrimSpace(sb.String()))
			sb.Reset()
		default:
			sb.WriteByte(t[k])
		}
	}
	return append(cells, strings.TrimSpace(sb.String()))
}

func isSeparator(cells []string) bool {
	for _, c := range cells {
		c = strings.Trim(c, ":")
		if c == "" || strings.Trim(c, "-") != "" {
			return false
		}
	}
	return len(cells) > 0
}

// cellText strips markdown emphasis, code and links from a table cell and
// decodes HTML entities ("Bearer &lt;token&gt;").
func cellText(s string) string {
	s = stripLinks(s)
	s = strings.NewReplacer("**", "", "`", "").Replace(s)
	return strings.TrimSpace(html.UnescapeString(s))
}

// stripLinks turns "[text](target)" into "text".
func stripLinks(s string) string {
	var sb strings.Builder
	for {
		open := strings.Index(s, "[")
		if open < 0 {
			break
		}
		mid := strings.Index(s[open:], "](")
		if mid < 0 {
			break
		}
		end := strings.Index(s[open+mid:], ")")
		if end < 0 {
			break
		}
		sb.WriteString(s[:open])
		sb.WriteString(s[open+1 : open+mid])
		s = s[open+mid+end+1:]
	}
	sb.WriteString(s)
	return sb.String()
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
