package docgen

import (
	"strconv"
	"strings"
)

// readTables picks the permissions, request-headers and properties tables.
func (p *parser) readTables() {
	for _, t := range p.tables {
		h0 := strings.ToLower(cellText(t.header[0]))
		switch {
		case strings.HasPrefix(h0, "permission type") && p.page.Permissions == nil:
			for k, row := range t.rows {
				if len(row) < 2 {
					continue
				}
				p.page.Permissions = append(p.page.Permissions, Permission{
					Type: cellText(row[0]), Scopes: scopes(row[1]), Line: t.lines[k+2],
					Undetermined: strings.Contains(strings.ToLower(row[1]), "todo"),
				})
			}
		case t.section == "request headers" && (h0 == "header" || h0 == "name") && p.page.RequestHeaders == nil:
			for k, row := range t.rows {
				if len(row) < 2 {
					continue
				}
				p.page.RequestHeaders = append(p.page.RequestHeaders, Header{
					Name: cellText(row[0]), Value: cellText(row[1]), Line: t.lines[k+2],
				})
			}
		case t.section == "request body" && (h0 == "property" || h0 == "parameter") && p.page.Properties == nil:
			for k, row := range t.rows {
				if len(row) < 2 {
					continue
				}
				p.page.Properties = append(p.page.Properties, Property{
					Name: cellText(row[0]), Type: cellText(row[1]), Line: t.lines[k+2],
				})
			}
		}
	}
}

// scopes reads a permissions cell. "Not supported.", "Not available." and
// placeholders of early pages ("TODO: Determine scopes") name no scope.
func scopes(cell string) []string {
	var out []string
	for _, s := range strings.Split(cellText(cell), ",") {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
		low := strings.ToLower(s)
		if s == "" || strings.Contains(low, "not supported") || strings.Contains(low, "not available") ||
			strings.Contains(low, "todo") || strings.ContainsAny(s, " \t") {
			continue
		}
		out = append(out, s)
	}
	return out
}

// readStatus finds the success status the "Response" section documents:
// the first "NNN Reason" in a code span, else the first bare "NNN Reason".
func (p *parser) readStatus() {
	sec := ""
	best := 7
	for _, h := range p.headings {
		if h.text == "response" && h.level < best {
			best, sec = h.level, h.text
		}
	}
	if sec == "" {
		return
	}
	// only prose of the first heading with that name and level
	start, end := 0, 1<<30
	for k, h := range p.headings {
		if h.text == sec && h.level == best {
			start = h.line
			for _, n := range p.headings[k+1:] {
				if n.level <= best {
					end = n.line
					break
				}
			}
			break
		}
	}
	for _, bare := range []bool{false, true} {
		for _, pl := range p.prose {
			if pl.line <= start || pl.line >= end {
				continue
			}
			if st := statusIn(pl.text, bare); st != 0 {
				p.page.SuccessStatus, p.page.SuccessStatusLine = st, pl.line
				return
			}
		}
	}
}

// statusIn finds "NNN Word" in a code span (or anywhere, when bare).
func statusIn(text string, bare bool) int {
	candidates := []string{}
	if bare {
		candidates = strings.Fields(text)
	} else {
		parts := strings.Split(text, "`")
		for k := 1; k < len(parts); k += 2 {
			candidates = append(candidates, strings.TrimSpace(parts[k]))
		}
	}
	for k, c := range candidates {
		if len(c) < 3 {
			continue
		}
		n, err := strconv.Atoi(c[:3])
		if err != nil || n < 100 || n > 599 || (len(c) > 3 && c[3] != ' ') {
			continue
		}
		if bare {
			// "204 No Content": the next word is capitalized
			if k+1 >= len(candidates) || candidates[k+1] == "" || candidates[k+1][0] < 'A' || candidates[k+1][0] > 'Z' {
				continue
			}
		}
		return n
	}
	return 0
}
