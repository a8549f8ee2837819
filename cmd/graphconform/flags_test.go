package main

import (
	"flag"
	"testing"
)

var update = flag.Bool("update", false, "rewrite README.md's requirement table")

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		in      []string
		want    []string
		wantErr bool
	}{
		{nil, []string{"progress"}, false},
		{[]string{"pretty"}, []string{"pretty"}, false},
		{[]string{"PRETTY,junit:j.xml", "cucumber:c.json"}, []string{"pretty", "junit:j.xml", "cucumber:c.json"}, false},
		{[]string{"junit"}, []string{"junit"}, false},
		{[]string{"junit", "cucumber"}, nil, true},
		{[]string{"html"}, nil, true},
	} {
		var values multiFlag
		for _, v := range tc.in {
			values.Set(v)
		}
		cfg := &runConfig{}
		err := cfg.checkFormats(values)
		if (err != nil) != tc.wantErr {
			t.Errorf("%q: error %v; want error %v", tc.in, err, tc.wantErr)
			continue
		}
		var got []string
		for _, f := range cfg.Formats {
			got = append(got, f.String())
		}
		if !tc.wantErr && !equal(got, tc.want) {
			t.Errorf("%q: got %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestMultiFlagSplitsCommas(t *testing.T) {
	var m multiFlag
	m.Set("a, b,,c")
	m.Set("d")
	if got := m.String(); got != "a,b,c,d" {
		t.Errorf("got %q", got)
	}
}

func TestTargetAndDefaults(t *testing.T) {
	for _, tc := range []struct {
		args            []string
		env             func(string) string
		kind, target    string
		concurrency     int
		token, readTokn string
	}{
		{nil, mapEnv(), kindEmbedded, kindEmbedded, 0, "", ""},
		{[]string{"--target", "Container"}, mapEnv(), kindContainer, kindContainer, 0, "", ""},
		{[]string{"--allow-writes"}, mapEnv(envTarget, "https://graph.example.test/beta/", envToken, "t1", envReadToken, "r1"), kindRemote, "https://graph.example.test/beta/", 0, "t1", "r1"},
		{[]string{"--target", "http://127.0.0.1:9/localtest", "--token", "flag", "--concurrency", "3"}, mapEnv(envToken, "env", envAllowWrites, "1"), kindRemote, "http://127.0.0.1:9/localtest", 3, "flag", ""},
		{[]string{"--target", "embedded"}, mapEnv(envTarget, "https://graph.example.test/v1.0"), kindEmbedded, kindEmbedded, 0, "", ""},
	} {
		rf := &runFlags{}
		fs := newRunFlagSet(rf)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		cfg, err := rf.check(fs, tc.env)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if cfg.Kind != tc.kind || cfg.Target != tc.target || cfg.Concurrency != tc.concurrency || cfg.Token != tc.token || cfg.ReadToken != tc.readTokn {
			t.Errorf("%q: got kind %s target %s concurrency %d token %q read %q", tc.args, cfg.Kind, cfg.Target, cfg.Concurrency, cfg.Token, cfg.ReadToken)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
