package target

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// DefaultTimeout bounds one request when no timeout is given.
const DefaultTimeout = 30 * time.Second

// RemoteOptions describe a Graph-compatible service reached by URL.
type RemoteOptions struct {
	BaseURL   string        // e.g. https://graph.microsoft.com/v1.0 (the version segment is required)
	Token     string        // bearer token with read/write scopes
	ReadToken string        // optional bearer token with read scopes only (for the 403 requirement)
	Timeout   time.Duration // per request; 0 -> DefaultTimeout
}

var versionSegment = regexp.MustCompile(`^[A-Za-z0-9.]+$`)

// ValidateBaseURL checks that raw is an absolute http(s) URL ending in a
// version segment, and returns it without a trailing slash. Its errors say
// exactly what is wrong and what is wanted.
func ValidateBaseURL(raw string) (string, error) {
	const want = "want an absolute http(s) URL ending in the version segment, such as https://graph.microsoft.com/v1.0"
	if strings.TrimSpace(raw) == "" {
		return "", fmt.Errorf("target URL is empty; %s", want)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("target URL %q does not parse (%v); %s", raw, err, want)
	}
	switch {
	case u.Scheme == "":
		return "", fmt.Errorf("target URL %q has no scheme; %s", raw, want)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("target URL %q has scheme %q; %s", raw, u.Scheme, want)
	case u.Host == "":
		return "", fmt.Errorf("target URL %q has no host; %s", raw, want)
	case u.User != nil:
		return "", fmt.Errorf("target URL has credentials in it; pass the token with --token instead")
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("target URL %q has a query string; %s", raw, want)
	case u.Fragment != "":
		return "", fmt.Errorf("target URL %q has a fragment; %s", raw, want)
	}
	path := strings.TrimRight(u.Path, "/")
	if path == "" {
		return "", fmt.Errorf("target URL %q has no version segment; %s", raw, want)
	}
	seg := path[strings.LastIndex(path, "/")+1:]
	if strings.EqualFold(seg, "deviceManagement") || strings.Contains(strings.ToLower(path), "/devicemanagement/") {
		return "", fmt.Errorf("target URL %q includes the resource path; give only the service root up to the version segment, such as https://graph.microsoft.com/v1.0", raw)
	}
	if !versionSegment.MatchString(seg) {
		return "", fmt.Errorf("target URL %q ends in %q, which is not a version segment (letters, digits and dots, such as v1.0 or beta); %s", raw, seg, want)
	}
	u.Path = path
	u.RawPath = ""
	return u.String(), nil
}

// Remote returns a target for a service reached by URL. It is not
// disposable: the suite writes to it only with the user's consent.
func Remote(opts RemoteOptions) (*Target, error) {
	base, err := ValidateBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(opts.Token) == "" {
		return nil, errors.New("no token for the target; pass a bearer token with read/write scopes")
	}
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("timeout %v is negative", opts.Timeout)
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	client := newClient(timeout, nil)
	t := &Target{
		Kind:    KindRemote,
		BaseURL: base,
		Writer:  StaticToken(opts.Token),
		HTTP:    client,
		Secrets: []string{opts.Token},
		Close:   func() error { client.CloseIdleConnections(); return nil },
	}
	if opts.ReadToken != "" {
		t.Reader = StaticToken(opts.ReadToken)
		t.Secrets = append(t.Secrets, opts.ReadToken)
	}
	return t, nil
}

// noRedirects returns a redirect to the caller as it is: following one would
// send the bearer token to wherever the service points, and a redirect is
// itself something a conformance check should see.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
