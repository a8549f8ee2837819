package graphconformtest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"syscall"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/transport"
)

// PreflightProblem names what the preflight found wrong with the configuration.
type PreflightProblem string

// The problems the preflight tells apart from a service that fails requirements.
const (
	// PreflightUnreachable: no connection (a refused connection, an unknown host, no answer in time).
	PreflightUnreachable PreflightProblem = "unreachable"
	// PreflightTLS: the TLS handshake failed (a certificate the client does not trust, a server that does not
	// speak TLS).
	PreflightTLS PreflightProblem = "tls"
	// PreflightTokenRejected: the service answered 401 to the token.
	PreflightTokenRejected PreflightProblem = "token rejected"
	// PreflightMissingScope: the service answered 403 to the token.
	PreflightMissingScope PreflightProblem = "missing scope"
	// PreflightNotGraph: what answers at the URL is not a Graph service: 404 on the collection, a redirect, or
	// a body that is not JSON (a web page).
	PreflightNotGraph PreflightProblem = "not graph"
)

// PreflightError is a configuration problem the preflight found: before any scenario ran, one authenticated GET
// of the deviceEnrollmentConfigurations collection came back in a way that no conformance finding explains.
// Check returns it inside a *ConfigError (find either with errors.As); nothing else was sent.
type PreflightError struct {
	Problem PreflightProblem
	// Setting names what to fix, as ConfigError.Setting does: "BaseURL", "Token" or "ReadToken".
	Setting string
	// What says what happened, in one line: "connection refused", "401 Unauthorized (InvalidAuthenticationToken)".
	// Text from the service is bounded and its control characters are shown escaped.
	What string
	// Fix says what to change.
	Fix string
	// Request is the request line, such as "GET https://host/v1.0/deviceManagement/deviceEnrollmentConfigurations".
	Request string
	// Evidence is the exchange, redacted (empty when no response came back).
	Evidence string
	// Err is the transport error, if any.
	Err error
}

func (e *PreflightError) Error() string { return e.What + "; " + e.Fix }

// Unwrap returns the transport error, if any.
func (e *PreflightError) Unwrap() error { return e.Err }

// SkipPreflight leaves out the preflight: for a service that answers the suite's authenticated read of the
// collection with 401 or 403 to a valid token, which the preflight would take for a configuration problem.
func SkipPreflight() Option { return func(c *config) { c.skipPreflight = true } }

// preflightBody bounds what is read of the preflight's answer.
const preflightBody = 64 << 10

// preflight reads the collection once with each token, through the caller's client without retries (a refused
// connection is not worth waiting for), and returns a *ConfigError holding a *PreflightError when the answer says
// the configuration is wrong. A 429, a 5xx or an answer a conformance check would judge (a JSON body of any shape,
// a 400, a 405) lets the run go on: those are findings, not configuration.
func (p *plan) preflight(ctx context.Context) error {
	if p.cfg.skipPreflight || p.preflown {
		return nil
	}
	if err := p.preflightWith(ctx, "Token", p.token); err != nil {
		return err
	}
	if p.readToken != nil {
		if err := p.preflightWith(ctx, "ReadToken", p.readToken); err != nil {
			return err
		}
	}
	p.preflown = true
	return nil
}

func (p *plan) preflightWith(ctx context.Context, setting string, token func(context.Context) (string, error)) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.timeout)
	defer cancel()
	cl := p.direct
	u := p.target.BaseURL + "/deviceManagement/deviceEnrollmentConfigurations"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return &ConfigError{Setting: "BaseURL", Problem: "build the first request: " + err.Error(), Err: err}
	}
	tok, err := token(ctx)
	if err != nil {
		return &ConfigError{Setting: setting, Problem: "the token source failed: " + p.secrets.redact(err.Error()), Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	ex := &check.Exchange{Method: req.Method, URL: u, RequestHeader: req.Header.Clone(), Secrets: p.secrets.list()}
	pe := &PreflightError{Setting: setting, Request: "GET " + u}
	resp, err := cl.Do(req)
	if err != nil {
		err = transport.UnwrapURLError(err)
		pe.Err = err
		pe.Problem, pe.What, pe.Fix = transportProblem(u, err, p.cfg.timeout.String())
		pe.Setting = "BaseURL"
		pe.What = p.secrets.redact(pe.What)
		return pe.config()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, preflightBody))
	ex.Status, ex.Header, ex.Body = resp.StatusCode, resp.Header, body
	pe.Evidence = check.NewEvidence(ex).String()
	status := fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	const scope = "DeviceManagementServiceConfig.ReadWrite.All"
	which := "the token"
	if setting == "ReadToken" {
		which = "the read-only token"
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		pe.Problem = PreflightTokenRejected
		pe.What = fmt.Sprintf("the service rejected %s: GET of the collection answered %s%s", which, status, graphCode(body))
		pe.Fix = "give a valid, unexpired token for this service"
		if setting == "Token" {
			pe.Fix += " with " + scope
		}
		pe.Fix += " (a service that answers 401 to a valid token: skip this check)"
	case resp.StatusCode == http.StatusForbidden:
		pe.Problem = PreflightMissingScope
		pe.What = fmt.Sprintf("%s lacks a permission: GET of the collection answered %s%s", which, status, graphCode(body))
		pe.Fix = "give a token granting " + scope
		if setting == "ReadToken" {
			pe.Fix = "give a token granting DeviceManagementServiceConfig.Read.All"
		}
	case resp.StatusCode == http.StatusNotFound:
		pe.Problem, pe.Setting = PreflightNotGraph, "BaseURL"
		pe.What = fmt.Sprintf("no deviceEnrollmentConfigurations collection at this URL: GET of it answered %s%s", status, graphCode(body))
		pe.Fix = notGraphFix
	case resp.StatusCode/100 == 3:
		pe.Problem, pe.Setting = PreflightNotGraph, "BaseURL"
		pe.What = fmt.Sprintf("GET of the collection answered %s, a redirect to %s", status, shownLocation(resp.Header.Get("Location"), ex.Secrets))
		pe.Fix = "give the URL the service answers at itself (the suite follows no redirect: it would carry the token elsewhere)"
	case isWebPage(resp.Header.Get("Content-Type"), body) ||
		(resp.StatusCode/100 == 2 && !isJSON(body)):
		pe.Problem, pe.Setting = PreflightNotGraph, "BaseURL"
		pe.What = fmt.Sprintf("GET of the collection answered %s with %s, not a Graph collection", status, describeBody(resp.Header.Get("Content-Type"), body))
		pe.Fix = notGraphFix
	default:
		return nil
	}
	return pe.config()
}

const notGraphFix = "want the service root up to and including the version segment, such as https://graph.microsoft.com/v1.0"

func (pe *PreflightError) config() *ConfigError {
	return &ConfigError{Setting: pe.Setting, Problem: pe.Error(), Err: pe}
}

// transportProblem tells an unreachable service from a failed TLS handshake, in words that say what to fix.
func transportProblem(u string, err error, timeout string) (PreflightProblem, string, string) {
	host := u
	if pu, perr := url.Parse(u); perr == nil {
		host = pu.Host
	}
	var (
		dns     *net.DNSError
		unknown x509.UnknownAuthorityError
		name    x509.HostnameError
		invalid x509.CertificateInvalidError
		verify  *tls.CertificateVerificationError
		record  tls.RecordHeaderError
		netErr  net.Error
	)
	switch {
	case errors.As(err, &dns):
		return PreflightUnreachable, fmt.Sprintf("cannot reach %s: the host name does not resolve (%s)", host, shown(err.Error())),
			"check the host in the target URL"
	case errors.Is(err, syscall.ECONNREFUSED):
		return PreflightUnreachable, fmt.Sprintf("cannot reach %s: connection refused", host),
			"is the service running, and listening at that host and port?"
	case errors.As(err, &unknown), errors.As(err, &name), errors.As(err, &invalid), errors.As(err, &verify):
		return PreflightTLS, fmt.Sprintf("TLS with %s failed: %s", host, shown(err.Error())),
			"trust the service's CA in the client (verification is never turned off) or fix its certificate"
	case errors.As(err, &record):
		return PreflightTLS, fmt.Sprintf("TLS with %s failed: the server does not speak TLS there", host),
			"use http:// if the service serves plain HTTP, or the port it serves HTTPS on"
	case errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return PreflightUnreachable, fmt.Sprintf("cannot reach %s: no answer within %s", host, timeout),
			"check the host and port in the target URL, and that nothing filters the connection"
	}
	return PreflightUnreachable, fmt.Sprintf("cannot reach %s: %s", host, shown(err.Error())),
		"check the target URL and that the service is running"
}

var graphErrorCode = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// graphCode is " (CODE)" when body is a Graph error with a plausible code, else "".
func graphCode(body []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && graphErrorCode.MatchString(e.Error.Code) {
		return " (" + e.Error.Code + ")"
	}
	return ""
}

func isJSON(body []byte) bool {
	_, err := check.DecodeJSON(body)
	return err == nil
}

func isWebPage(contentType string, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "text/html" || mt == "application/xhtml+xml" {
		return true
	}
	head := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 64)])))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html")
}

// describeBody names a body that is not JSON by its media type, never by quoting it.
func describeBody(contentType string, body []byte) string {
	mt, _, err := mime.ParseMediaType(contentType)
	switch {
	case len(body) == 0:
		return "an empty body"
	case isWebPage(contentType, body):
		return "an HTML page"
	case err == nil:
		return "a " + mt + " body"
	}
	return "a body that is not JSON"
}

// shownLocation is a redirect's target as it may be shown: without credentials, bounded, control characters
// escaped.
func shownLocation(loc string, secrets []string) string {
	if u, err := url.Parse(loc); err == nil {
		u.User, u.RawQuery, u.Fragment = nil, "", ""
		loc = u.String()
	}
	return shown(check.Redact(loc, secrets))
}

// shown is text from the service (or an error quoting it) as it may be shown: bounded, on one line, its control
// characters made visible as every renderer makes them (check.Visible: \x1b, \u202e).
func shown(s string) string {
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "..."
	}
	return check.Visible(oneLine(s))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
