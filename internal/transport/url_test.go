package transport

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
		"https://graph.microsoft.com/v1.0?x":                    "no query",
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
	for _, in := range []string{"https://u:secret-pw@graph.microsoft.com/v1.0", "https://graph.microsoft.com/v1.0?token=secret-pw", "http://u:secret-pw@[::1]:x/v1.0"} {
		if _, err := ValidateBaseURL(in); err == nil || strings.Contains(err.Error(), "secret-pw") {
			t.Errorf("ValidateBaseURL(%q) = %v; want an error that does not repeat the credential", in, err)
		}
	}
}

func TestLoopback(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8080/v1.0": true, "http://localhost/beta": true, "http://[::1]:9/v1.0": true,
		"https://graph.microsoft.com/v1.0": false, "http://10.0.0.1/v1.0": false,
	} {
		if got := Loopback(u); got != want {
			t.Errorf("Loopback(%q) = %v; want %v", u, got, want)
		}
	}
}

// TestResponseHeadersAreBounded: every transport the suite builds refuses a response whose headers run past
// MaxResponseHeaderBytes, instead of reading up to Go's default of 10 MB (which every check quoting a
// header then carried into the output); a caller's *http.Transport is bounded through a clone, and left as it was.
func TestResponseHeadersAreBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+strings.Repeat("x", 2<<20)+`"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	callers := &http.Transport{}
	fromCaller, release := Bounded(callers)
	defer release()
	fromNil, release2 := Bounded(nil)
	defer release2()
	for name, rt := range map[string]http.RoundTripper{
		"Bounded(nil)": fromNil, "Bounded(caller's)": fromCaller, "NewTransport": NewTransport(),
		"NewRetryTransport(nil)": NewRetryTransport(nil, RetryPolicy{BaseDelay: time.Millisecond}),
	} {
		resp, err := (&http.Client{Transport: rt}).Get(srv.URL + "/v1.0/x")
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: got %s with 2 MB of headers; want the response refused", name, resp.Status)
			continue
		}
		if !strings.Contains(err.Error(), "exceeded") {
			t.Errorf("%s: error %v; want it to say the headers exceeded the limit", name, err)
		}
	}
	if callers.MaxResponseHeaderBytes != 0 {
		t.Errorf("the caller's transport was changed: MaxResponseHeaderBytes %d", callers.MaxResponseHeaderBytes)
	}
	if same, _ := Bounded(fromCaller); same != fromCaller {
		t.Errorf("Bounded cloned a transport bounded already")
	}
}
