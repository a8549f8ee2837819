package target

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestValidateBaseURL(t *testing.T) {
	ok := map[string]string{
		"https://graph.microsoft.com/v1.0":          "https://graph.microsoft.com/v1.0",
		"https://graph.microsoft.com/beta/":         "https://graph.microsoft.com/beta",
		"http://127.0.0.1:8080/localtest":           "http://127.0.0.1:8080/localtest",
		"http://localhost:8080/prefix/graph/v1.0//": "http://localhost:8080/prefix/graph/v1.0",
	}
	for in, want := range ok {
		got, err := ValidateBaseURL(in)
		if err != nil || got != want {
			t.Errorf("ValidateBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                                                      "empty",
		"graph.microsoft.com/v1.0":                              "no scheme",
		"ftp://graph.microsoft.com/v1.0":                        `scheme "ftp"`,
		"https:///v1.0":                                         "no host",
		"https://graph.microsoft.com":                           "no version segment",
		"https://graph.microsoft.com/":                          "no version segment",
		"https://graph.microsoft.com/v1.0?x":                    "query string",
		"https://graph.microsoft.com/v1.0#x":                    "fragment",
		"https://u:p@graph.microsoft.com/v1.0":                  "credentials",
		"https://graph.microsoft.com/v1.0/deviceManagement":     "resource path",
		"https://graph.microsoft.com/v1.0/deviceManagement/x/y": "resource path",
		"https://graph.microsoft.com/v-1":                       "not a version segment",
		"http://[::1]:namedport/v1.0":                           "does not parse",
	}
	for in, want := range bad {
		_, err := ValidateBaseURL(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateBaseURL(%q) = %v; want an error mentioning %q", in, err, want)
		}
	}
}

func TestRemote(t *testing.T) {
	tg, err := Remote(RemoteOptions{BaseURL: "https://graph.microsoft.com/v1.0/", Token: "w", ReadToken: "r", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if tg.Kind != KindRemote || tg.Disposable || tg.Version() != "v1.0" || tg.HTTP.Timeout != time.Second {
		t.Errorf("got %+v", tg)
	}
	if tg.Reader == nil || len(tg.Secrets) != 2 {
		t.Errorf("read token not kept: %+v", tg)
	}
	if _, err := Remote(RemoteOptions{BaseURL: "https://graph.microsoft.com/v1.0"}); err == nil || !strings.Contains(err.Error(), "no token") {
		t.Errorf("got %v; want a no-token error", err)
	}
	tg, err = Remote(RemoteOptions{BaseURL: "https://graph.microsoft.com/v1.0", Token: "w"})
	if err != nil || tg.Reader != nil || tg.HTTP.Timeout != DefaultTimeout {
		t.Errorf("got %+v, %v", tg, err)
	}
}

// TestResponseHeadersAreBounded: every client the suite builds refuses a response whose headers run past
// MaxResponseHeaderBytes, instead of reading up to Go's default of 10 MB (which every check quoting a
// header then carried into the output).
func TestResponseHeadersAreBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+strings.Repeat("x", 2<<20)+`"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	remote, err := Remote(RemoteOptions{BaseURL: srv.URL + "/v1.0", Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Shutdown()
	cred, err := RemoteWithCredential(CredentialOptions{BaseURL: srv.URL + "/v1.0", Writer: StaticToken("tok")})
	if err != nil {
		t.Fatal(err)
	}
	defer cred.Shutdown()
	embedded, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer embedded.Shutdown()
	for name, c := range map[string]*http.Client{
		"Remote": remote.Client(), "RemoteWithCredential": cred.Client(), "Embedded": embedded.Client(),
		"RetryTransport": {Transport: NewRetryTransport(nil, RetryPolicy{BaseDelay: time.Millisecond})},
	} {
		resp, err := c.Get(srv.URL + "/v1.0/x")
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: got %s with 2 MB of headers; want the response refused", name, resp.Status)
			continue
		}
		if !strings.Contains(err.Error(), "exceeded") {
			t.Errorf("%s: error %v; want it to say the headers exceeded the limit", name, err)
		}
	}
}
