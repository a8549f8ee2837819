package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/transport"
)

// maxResponseBytes bounds what is read of one response body.
const maxResponseBytes = 4 << 20

// auth says which credential a request carries.
type auth int

const (
	authWriter  auth = iota // the read/write token (default)
	authNone                // no Authorization header
	authInvalid             // a bearer token no service issued
	authReader              // the read-only token
)

// credential is how a replay of the request authenticates.
func (a auth) credential() check.Credential {
	switch a {
	case authWriter:
		return check.TokenCredential
	case authReader:
		return check.ReadTokenCredential
	case authInvalid:
		return check.SentCredential
	}
	return check.NoCredential
}

// requestMods change the next request the scenario sends.
type requestMods struct {
	auth        auth
	contentType string            // "" -> application/json when there is a body
	headers     map[string]string // extra request headers
}

// send sends one request with the scenario's ctx and a per-request timeout,
// and returns the exchange. A transport error is returned as a
// *check.Failure carrying the request as evidence.
//
// Nothing is sent once ctx is done (the run was interrupted or stopped). A
// POST, once sent, is not cancelled with the scenario: its answer carries
// the id the scenario needs to delete what it created. A POST whose outcome
// stays unknown is reported (lostCreate), for the run to find it by name.
func (s *scenario) send(ctx context.Context, method, url string, body []byte, mods requestMods) (*check.Exchange, error) {
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%s %s not sent: the run stopped (%v)", method, url, context.Cause(ctx))
	}
	post := method == http.MethodPost
	if post {
		ctx = context.WithoutCancel(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	var notes []string // from the client's RetryTransport, if it has one
	ctx = transport.WithRetryReport(ctx, func(why string) { notes = append(notes, why) })
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("build %s %s: %w", method, url, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		ct := mods.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	for k, v := range mods.headers {
		req.Header.Set(k, v)
	}
	secrets := s.env.secrets()
	switch mods.auth {
	case authWriter:
		tok, err := s.env.Token(ctx)
		if err != nil {
			return nil, fmt.Errorf("get the read/write token: %s", check.Redact(err.Error(), secrets))
		}
		secrets = appendSecret(secrets, tok)
		req.Header.Set("Authorization", "Bearer "+tok)
	case authReader:
		if s.env.ReadToken == nil {
			return nil, skip("the target has no read-only token")
		}
		tok, err := s.env.ReadToken(ctx)
		if err != nil {
			return nil, fmt.Errorf("get the read-only token: %s", check.Redact(err.Error(), secrets))
		}
		secrets = appendSecret(secrets, tok)
		req.Header.Set("Authorization", "Bearer "+tok)
	case authInvalid:
		// Well-formed, never issued: a JWT-shaped string no authority signed.
		req.Header.Set("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJncmFwaGNvbmZvcm0iOiJpbnZhbGlkIn0.aW52YWxpZA")
	case authNone:
	}
	ex := &check.Exchange{
		Method:        method,
		URL:           url,
		RequestHeader: req.Header.Clone(),
		RequestBody:   body,
		Secrets:       secrets,
	}
	defer s.transcript.Add(ex, mods.auth.credential())
	resp, err := s.env.client().Do(req)
	ex.Notes = notes
	if err != nil {
		if post && !notSent(err) {
			s.lostCreate(url, body)
		}
		return ex, check.Transport(ex, transport.UnwrapURLError(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	ex.Status = resp.StatusCode
	ex.Header = resp.Header
	ex.Body = data
	if post && (err != nil || resp.StatusCode == http.StatusGatewayTimeout) {
		s.lostCreate(url, body) // a proxy that gave up waiting says nothing of what the service did
	}
	if err != nil {
		return ex, check.BodyCut(ex, err)
	}
	return ex, nil
}

// notSent reports whether a request's error says it never left: the
// connection could not be made, or the client refused to send it.
func notSent(err error) bool {
	var op *net.OpError
	return errors.Is(err, transport.ErrNotSent) || errors.As(err, &op) && op.Op == "dial"
}

// lostCreate reports a POST to url whose outcome is unknown. A configuration
// the suite named (displayName graphconform-<run id>-...) is found by that
// name before the run ends; anything else that would not go with a parent
// the scenario deletes is a leftover now.
func (s *scenario) lostCreate(url string, body []byte) {
	var doc struct {
		DisplayName string `json:"displayName"`
	}
	_ = json.Unmarshal(body, &doc)
	named := strings.HasPrefix(doc.DisplayName, NamePrefix+s.env.RunID+"-") &&
		url == s.env.BaseURL+"/deviceManagement/deviceEnrollmentConfigurations"
	switch {
	case named && s.env.LostCreate != nil:
		s.env.LostCreate(doc.DisplayName)
	case named:
		s.leftover("POST %s (displayName %s) got no answer: the service may have created it", url, doc.DisplayName)
	case !s.createdAbove(url):
		s.leftover("POST %s got no answer: the service may have created what it asked for, which has no name to find it by", url)
	}
}

// appendSecret adds a token obtained at request time (an azidentity token,
// say) to the secrets redacted from this exchange.
func appendSecret(secrets []string, tok string) []string {
	for _, s := range secrets {
		if s == tok {
			return secrets
		}
	}
	out := make([]string, 0, len(secrets)+1)
	return append(append(out, secrets...), tok)
}

// assignmentURL is the URL of the scenario's assignment.
func (s *scenario) assignmentURL() string {
	return s.env.BaseURL + "/deviceManagement/deviceEnrollmentConfigurations/" + segment(s.configID) + "/assignments/" + segment(s.assignmentID)
}

// segment is id as one segment of a request path. Every id goes into a path
// through it: those a service returned were checked to be plausible keys
// (check.ID), and escaping keeps any other character from changing the path.
func segment(id string) string { return url.PathEscape(id) }
