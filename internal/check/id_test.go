package check

import (
	"strings"
	"testing"
)

func TestKeyProblem(t *testing.T) {
	for _, ok := range []string{"0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e", "0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e_Limit", "a b", "é", "..x", strings.Repeat("a", MaxKeyBytes)} {
		if p := KeyProblem(ok); p != "" {
			t.Errorf("KeyProblem(%q) = %q; want none", ok, p)
		}
	}
	for bad, want := range map[string]string{
		"":                       "empty",
		".":                      "relative",
		"..":                     "relative",
		"../../../../evil":       "separator",
		`..\..\evil`:             "separator",
		"a/b":                    "separator",
		"a\x1b[2Jb":              "control",
		"a\rb":                   "control",
		"a\u202eb":               "control",
		"a\xffb":                 "UTF-8",
		strings.Repeat("a", 257): "257 bytes",
	} {
		if p := KeyProblem(bad); !strings.Contains(p, want) {
			t.Errorf("KeyProblem(%q) = %q; want it to say %q", bad, p, want)
		}
	}
}

func TestID(t *testing.T) {
	id, err := ID(exchange(201, "application/json", `{"id":"c1"}`), "/id")
	if err != nil || id != "c1" {
		t.Fatalf("got %q, %v", id, err)
	}
	for body, want := range map[string]string{
		`{"id":"../../../../evil"}`: `got /id = "../../../../evil", not a plausible key: it holds a path separator`,
		`{"id":7}`:                  "got /id = 7",
		`{}`:                        "got no /id in the body",
		`not json`:                  "got a body that is not JSON",
	} {
		_, err := ID(exchange(201, "application/json", body), "/id")
		f := mustFail(t, err, want)
		if !strings.Contains(f.Expected, "usable as a URL path segment") {
			t.Errorf("%s: want %q", body, f.Expected)
		}
	}
}
