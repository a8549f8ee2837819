package docgen

import "strings"

// URL is an example URL split the way the suite needs it.
type URL struct {
	Version string // the version segment ("v1.0", "beta", "localtest"); "" for a bare path
	Path    string // after the version, {placeholders} kept: "/deviceManagement/..."
	Query   string // without '?', as written
}

// SplitURL splits an example URL without net/url: pages write placeholders
// and unencoded query options that url.Parse would reject or re-encode.
// For an absolute URL the first path segment is the version; a relative
// path has a version only when it starts with one Graph uses (v1.0, beta).
func SplitURL(raw string) URL {
	s := strings.TrimSpace(raw)
	var u URL
	if q := strings.IndexByte(s, '?'); q >= 0 {
		s, u.Query = s[:q], s[q+1:]
	}
	absolute := false
	if k := strings.Index(s, "://"); k >= 0 {
		absolute = true
		s = s[k+3:]
		if slash := strings.IndexByte(s, '/'); slash >= 0 {
			s = s[slash:]
		} else {
			s = ""
		}
	}
	s = "/" + strings.TrimLeft(s, "/")
	first, rest, _ := strings.Cut(s[1:], "/")
	if first != "" && (absolute && isVersion(first) || first == "v1.0" || first == "beta") {
		u.Version = first
		s = "/" + rest
	}
	u.Path = s
	return u
}

// isVersion: the contract's version segment, [A-Za-z0-9.]+.
func isVersion(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.') {
			return false
		}
	}
	return true
}
