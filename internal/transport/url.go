// Package transport is how the suite reaches a service: the check of its base URL, bounded retries of
// throttled requests, and no redirects followed.
package transport

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

var versionSegment = regexp.MustCompile(`^[A-Za-z0-9.]+$`)

// ValidVersion reports whether v is a version segment: letters, digits and dots, such as v1.0 or beta.
func ValidVersion(v string) bool { return versionSegment.MatchString(v) }

// ValidateBaseURL checks that raw is an absolute http(s) URL ending in a version segment, and returns it
// without a trailing slash. Its errors say what is wrong and what is wanted; they never repeat a URL's
// credentials or query (where credentials like to hide).
func ValidateBaseURL(raw string) (string, error) {
	const want = "want an absolute http or https URL ending in the version segment, such as https://graph.microsoft.com/v1.0"
	if strings.TrimSpace(raw) == "" {
		return "", fmt.Errorf("the target URL is empty; %s", want)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("the target URL does not parse (%v); %s", redactParseError(err), want)
	}
	switch {
	case u.User != nil:
		return "", fmt.Errorf("the target URL has credentials in it; give the token as the target's token source instead")
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("the target URL %s has a query: want no query or fragment, only the service root up to the version segment", shown(u))
	case u.Fragment != "":
		return "", fmt.Errorf("the target URL %s has a fragment: want no query or fragment, only the service root up to the version segment", shown(u))
	case u.Scheme == "":
		return "", fmt.Errorf("the target URL %q has no scheme; %s", raw, want)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("the target URL %q has scheme %q; %s", raw, u.Scheme, want)
	case u.Host == "":
		return "", fmt.Errorf("the target URL %q has no host; %s", raw, want)
	}
	path := strings.TrimRight(u.Path, "/")
	if path == "" {
		return "", fmt.Errorf("the target URL %q has no version segment; %s", raw, want)
	}
	seg := path[strings.LastIndex(path, "/")+1:]
	if strings.EqualFold(seg, "deviceManagement") || strings.Contains(strings.ToLower(path), "/devicemanagement/") {
		return "", fmt.Errorf("the target URL %q includes the resource path; give only the service root up to the version segment, such as https://graph.microsoft.com/v1.0", raw)
	}
	if !versionSegment.MatchString(seg) {
		return "", fmt.Errorf("the target URL %q ends in %q, which is not a version segment (letters, digits and dots, such as v1.0 or beta); %s", raw, seg, want)
	}
	u.Path = path
	u.RawPath = ""
	return u.String(), nil
}

// shown is u without its query and fragment, for a message.
func shown(u *url.URL) string {
	c := *u
	c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = "", false, "", ""
	return c.String()
}

// redactParseError drops the URL url.Parse repeats in its error.
func redactParseError(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}

// Loopback reports whether base (a checked URL) addresses this machine: localhost or a loopback address.
func Loopback(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NoRedirects is an http.Client CheckRedirect that returns a redirect to the caller as it is: following one
// would send the bearer token wherever the service points, and a redirect is itself something a conformance
// check should see.
func NoRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// UnwrapURLError drops *url.Error's "METHOD URL:" prefix from an http.Client's error: a message that shows
// the request already has the URL, and a URL the service chose (a nextLink) is not repeated.
func UnwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}
