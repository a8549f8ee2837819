package target

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
)

func get(t *testing.T, tg *Target, path string, tok graphconformtest.TokenSource) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, tg.BaseURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok != nil {
		s, _ := tok.Token(context.Background())
		req.Header.Set("Authorization", "Bearer "+s)
	}
	resp, err := tg.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestEmbedded(t *testing.T) {
	tg, err := Embedded(WithVersion("localtest"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(tg.BaseURL)
	if u.Hostname() != "127.0.0.1" || !strings.HasSuffix(tg.BaseURL, "/localtest") || tg.Kind != KindEmbedded {
		t.Errorf("got %+v", tg)
	}
	const list = "/deviceManagement/deviceEnrollmentConfigurations"
	if code := get(t, tg, list, tg.Token); code != http.StatusOK {
		t.Errorf("writer: got %d; want 200", code)
	}
	if code := get(t, tg, list, tg.ReadToken); code != http.StatusOK {
		t.Errorf("reader: got %d; want 200", code)
	}
	if code := get(t, tg, list, nil); code != http.StatusUnauthorized {
		t.Errorf("no token: got %d; want 401", code)
	}
	w, _ := tg.Token.Token(context.Background())
	r, _ := tg.ReadToken.Token(context.Background())
	if w == r || len(w) < 32 {
		t.Errorf("tokens not random: %q %q", w, r)
	}
	if err := tg.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(tg.BaseURL + list); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestEmbeddedWithoutReaderAndWrap(t *testing.T) {
	wrapped := false
	tg, err := Embedded(WithoutReader(), WithHandler(func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { wrapped = true; h.ServeHTTP(w, r) })
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if tg.ReadToken != nil || !strings.HasSuffix(tg.BaseURL, "/v1.0") {
		t.Errorf("got %+v", tg)
	}
	get(t, tg, "/deviceManagement/deviceEnrollmentConfigurations", tg.Token)
	if !wrapped {
		t.Error("handler wrapper not applied")
	}
	if _, err := Embedded(WithVersion("v 1")); err == nil {
		t.Error("bad version accepted")
	}
}

func TestEmbeddedFixedTokens(t *testing.T) {
	tg, err := Embedded(WithTokens("writer-token", "reader-token"))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	const list = "/deviceManagement/deviceEnrollmentConfigurations"
	if code := get(t, tg, list, graphconformtest.StaticToken("writer-token")); code != http.StatusOK {
		t.Errorf("fixed writer token: got %d; want 200", code)
	}
	if code := get(t, tg, list, graphconformtest.StaticToken("reader-token")); code != http.StatusOK {
		t.Errorf("fixed reader token: got %d; want 200", code)
	}
	for _, tc := range [][2]string{{"same", "same"}, {"writer-only", ""}, {"", "reader-only"}} {
		if tg, err := Embedded(WithTokens(tc[0], tc[1])); err == nil {
			tg.Close()
			t.Errorf("WithTokens(%q, %q): got no error; want one", tc[0], tc[1])
		}
	}
}
