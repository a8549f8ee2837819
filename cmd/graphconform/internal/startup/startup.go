// Package startup keeps package initialisation from running programs: it hides PATH from the moment it is
// initialised until graphconform's main package restores it (Restore).
//
// Why: godog's internal/builder, imported by package godog itself (test_context.go, for godog.Build), sets a
// package variable with `go env GOTOOLDIR` (builder.go: `tooldir = findToolDir()`), so every start of the CLI
// ran whatever `go` came first on PATH, handing it the environment: GRAPH_TOKEN, AZURE_CLIENT_SECRET. Every
// type the suite uses (TestSuite, ScenarioContext) lives in package godog, so no narrower import avoids it, and
// godog v0.16.0 (the latest release) and its main branch still do it. Without PATH, exec.Command("go") finds
// nothing and runs nothing; godog only ever uses the result in godog.Build, which the suite never calls.
//
// How it comes first: Go (since 1.21) initialises packages in import-path order, each as soon as everything it
// imports is initialised. This package imports only os, and sorts before os/exec, so it is initialised before
// os/exec and so before any package that can run a program: the order is the language's, not a linker's
// accident. TestStartRunsNoProgram (package main) holds it to that.
package startup

import "os"

var path, hadPath = os.LookupEnv("PATH")

func init() {
	os.Unsetenv("PATH")
}

// Restore puts PATH back as it was. graphconform's main package calls it when it is initialised, after every
// package it imports: before main runs, and before a test of package main does.
func Restore() {
	if hadPath {
		os.Setenv("PATH", path)
	}
}
