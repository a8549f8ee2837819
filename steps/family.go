package steps

// Steps for the operations generated from the doc pages (internal/docgen):
// get, list, create and delete of the family. They provision what an
// example's path addresses from the example itself, so the example's values
// can be compared, and clean up what they created.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// family is the per-scenario state of these steps (built in registerFamily,
// one per scenario, like scenario itself).
type family struct {
	s *scenario
	// overrides are the values provisioning sent instead of the example's
	// (a graphconform- displayName, a concrete @odata.type): the entity as
	// created is the example with these applied.
	overrides map[string]any
	subjectID string   // the entity the example's path (or collection) addresses
	created   []string // URLs of entities this scenario created, deleted afterwards (last first)
}

// generatedMeta is what meta.json adds for generated fixtures.
type generatedMeta struct {
	Entity        string `json:"entity"`        // pointer of the entity in response.json ("" = the body)
	ProvisionType string `json:"provisionType"` // concrete type to create instead of the example's
}

func (s *scenario) registerFamily(sc *godog.ScenarioContext) {
	f := &family{s: s}
	s.fam = f
	sc.Step(`^the resources the example "([^"]+)" addresses exist$`, f.provision)
	sc.Step(`^the response body "([^"]*)" is the id the request addressed$`, f.idAddressed)
	sc.Step(`^the response body matches the example entity of "([^"]+)"$`, f.matchEntity)
	sc.Step(`^the response body "([^"]*)" is the id of a new entity$`, f.newID)
	sc.Step(`^the client reads the created entity$`, f.readCreated)
	sc.Step(`^the response body "([^"]*)" is the id of the created entity$`, f.createdID)
	sc.Step(`^the response collection holds the created entity$`, f.collectionHolds)
	sc.Step(`^the created entity in the response collection matches the example entity of "([^"]+)"$`, f.collectionMatches)
	sc.Step(`^the response has no body$`, f.noBody)
	sc.Step(`^the client sends the example request "([^"]+)" with body:$`, f.sendWithBody)
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		f.cleanup(cctx)
		// err is the scenario's own: returning it makes godog report every
		// failure as "after scenario hook failed".
		return ctx, nil
	})
}

// exampleEntity returns the example's entity (at meta.json's "entity"
// pointer) as provisioning would create it, or nil when the fixture shows none.
func (f *family) exampleEntity(name string) (map[string]any, *generatedMeta, error) {
	fx, err := f.s.fixture(name)
	if err != nil {
		return nil, nil, err
	}
	meta, err := f.generatedMeta(name)
	if err != nil {
		return nil, nil, err
	}
	if len(fx.response) == 0 {
		return nil, meta, nil
	}
	doc, err := check.DecodeJSON(fx.response)
	if err != nil {
		return nil, nil, fmt.Errorf("fixture %q: response.json: %w", name, err)
	}
	v, ok := check.Resolve(doc, meta.Entity)
	entity, isObj := v.(map[string]any)
	if !ok || !isObj {
		return nil, nil, fmt.Errorf("fixture %q: response.json has no entity at %q", name, meta.Entity)
	}
	return entity, meta, nil
}

func (f *family) generatedMeta(name string) (*generatedMeta, error) {
	var m generatedMeta
	data, err := readFixtureFile(f.s, name, "meta.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("fixture %q: meta.json: %w", name, err)
	}
	return &m, nil
}

// provision creates what the example's path addresses, parents first: each
// {placeholder} is an entity of the collection before it. The entity the
// operation is about (the last placeholder of a GET/PATCH/DELETE, or an
// item of the collection a list reads) is made from the example response's
// properties; parents get a minimal body. A POST example only needs its parents.
func (f *family) provision(ctx context.Context, name string) error {
	s := f.s
	fx, err := s.fixture(name)
	if err != nil {
		return err
	}
	entity, meta, err := f.exampleEntity(name)
	if err != nil {
		return err
	}
	segs := strings.Split(strings.Trim(fx.meta.Path, "/"), "/")
	last := len(segs) - 1
	subjectIsLast := fx.meta.Method != http.MethodPost && strings.HasPrefix(segs[last], "{")
	url := s.env.BaseURL
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") {
			url += "/" + seg
			continue
		}
		if i == 0 {
			return fmt.Errorf("path %s starts with a placeholder; no collection to create %s in", fx.meta.Path, seg)
		}
		collection := segs[i-1]
		var id string
		switch {
		case i == last && subjectIsLast:
			id, err = f.createSubject(ctx, url, collection, entity, meta)
		case seg == "{deviceEnrollmentConfigurationId}" && s.env.ConfigID != "":
			id = s.env.ConfigID // the user's configuration: create under it, never delete it
		default:
			id, err = f.createDefault(ctx, url, collection)
		}
		if err != nil {
			return err
		}
		f.bind(seg, id)
		url += "/" + segment(id)
	}
	if fx.meta.Method == http.MethodGet && !subjectIsLast {
		// a list: one item the response must hold
		_, err := f.createSubject(ctx, url, segs[last], entity, meta)
		return err
	}
	return nil
}

// bind records the id a placeholder resolves to, where the other steps look.
func (f *family) bind(placeholder, id string) {
	s := f.s
	switch placeholder {
	case "{deviceEnrollmentConfigurationId}":
		s.configID, s.addr.configID = id, id
	case "{enrollmentConfigurationAssignmentId}":
		s.assignmentID, s.addr.assignmentID = id, id
	}
}

// createDefault creates a minimal entity in a collection of the family.
func (f *family) createDefault(ctx context.Context, url, collection string) (string, error) {
	var body map[string]any
	switch collection {
	case "deviceEnrollmentConfigurations":
		body = map[string]any{
			"@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
			"displayName": f.s.displayName(),
			"description": "Created by the graphconform conformance suite for one scenario; deleted after it. Safe to delete.",
			"limit":       5,
		}
	case "assignments":
		// A group nobody is in: even on a real tenant the assignment reaches no device.
		body = map[string]any{"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": newGUID()}}
	default:
		return "", fmt.Errorf("provisioning: the suite does not know how to create an entity in %q", collection)
	}
	data, _ := json.Marshal(body)
	return f.create(ctx, url, data, "an entity of "+collection)
}

// createSubject creates the example's entity: its properties but for what
// the service generates, with a displayName the sweep recognises and a
// concrete type when the example names an abstract one.
func (f *family) createSubject(ctx context.Context, url, collection string, entity map[string]any, meta *generatedMeta) (string, error) {
	if entity == nil {
		id, err := f.createDefault(ctx, url, collection)
		f.subjectID = id
		return id, err
	}
	body := map[string]any{}
	f.overrides = map[string]any{}
	for k, v := range entity {
		if isServerGenerated(k) || (strings.HasPrefix(k, "@odata.") && k != "@odata.type") {
			continue
		}
		body[k] = v
	}
	if meta.ProvisionType != "" {
		body["@odata.type"] = meta.ProvisionType
		f.overrides["@odata.type"] = meta.ProvisionType
	}
	if _, ok := body["displayName"].(string); ok {
		body["displayName"] = f.s.displayName()
		f.overrides["displayName"] = body["displayName"]
	}
	data, err := json.Marshal(body)
	if err != nil {
		return "", err
	}
	id, err := f.create(ctx, url, data, "the example's "+strings.TrimSuffix(collection, "s"))
	f.subjectID = id
	return id, err
}

func isServerGenerated(k string) bool {
	for _, g := range check.ServerGenerated {
		if k == g {
			return true
		}
	}
	return false
}

// create POSTs and remembers the new entity for cleanup.
func (f *family) create(ctx context.Context, url string, body []byte, what string) (string, error) {
	id, err := f.s.create(ctx, url, body, what)
	if err != nil {
		return "", err
	}
	f.created = append(f.created, url+"/"+segment(id))
	return id, nil
}

func (f *family) cleanup(ctx context.Context) {
	for i := len(f.created) - 1; i >= 0; i-- {
		url := f.created[i]
		ex, err := f.s.send(ctx, http.MethodDelete, url, nil, requestMods{})
		if err == nil && (ex.Status/100 == 2 || ex.Status == http.StatusNotFound) {
			continue
		}
		f.s.leftover("could not delete %s: %s", url, firstLine(err, ex))
	}
	f.created = nil
}

// idAddressed: the body's id is the last segment of the request's path.
func (f *family) idAddressed(ptr string) error {
	ex, err := f.s.lastExchange()
	if err != nil {
		return err
	}
	p, _, _ := strings.Cut(ex.URL, "?")
	id, err := url.PathUnescape(p[strings.LastIndex(p, "/")+1:])
	if err != nil {
		return fmt.Errorf("the request's path %s does not unescape: %w", p, err)
	}
	return check.JSONPointer(ex, ptr, id)
}

// matchEntity matches the body against the example's entity as it was
// provisioned (see family.overrides), the way check.MatchExample does.
func (f *family) matchEntity(name string) error {
	ex, err := f.s.lastExchange()
	if err != nil {
		return err
	}
	want, err := f.expected(name)
	if err != nil {
		return err
	}
	return check.MatchExample(ex, want, nil)
}

func (f *family) expected(name string) ([]byte, error) {
	entity, _, err := f.exampleEntity(name)
	if err != nil {
		return nil, err
	}
	if entity == nil {
		return nil, fmt.Errorf("fixture %q shows no response entity", name)
	}
	sent, _ := f.s.sent.(map[string]any) // what a write just sent wins over provisioning
	for k, v := range f.overrides {
		if sv, ok := sent[k]; ok {
			v = sv
		}
		entity[k] = v
	}
	return json.Marshal(entity)
}

// newID: the body's id is a non-empty string; the entity is remembered
// (and deleted after the scenario).
func (f *family) newID(ptr string) error {
	ex, err := f.s.lastExchange()
	if err != nil {
		return err
	}
	id, err := f.createdFrom(ex, ptr)
	if err != nil {
		return err
	}
	f.subjectID = id
	return nil
}

// createdFrom reads the id a successful POST answered with and remembers
// the new entity's URL for cleanup. An id that is not a plausible key
// (check.ID) fails the requirement, and no request is built from it.
func (f *family) createdFrom(ex *check.Exchange, ptr string) (string, error) {
	if ex.Method != http.MethodPost || ex.Status/100 != 2 {
		return "", failure(ex, "a created entity (a 2xx answer to a POST) with an id", fmt.Sprintf("%s answered %d", ex.Method, ex.Status))
	}
	id, err := check.ID(ex, ptr)
	if err != nil {
		return "", err
	}
	url := strings.TrimSuffix(ex.URL, "/") + "/" + segment(id)
	for _, c := range f.created {
		if c == url {
			return id, nil
		}
	}
	f.created = append(f.created, url)
	return id, nil
}

func (f *family) readCreated(ctx context.Context) error {
	ex, err := f.s.lastExchange()
	if err != nil {
		return err
	}
	id, err := f.createdFrom(ex, "/id")
	if err != nil {
		return err
	}
	f.subjectID = id
	return f.s.sendRead(ctx, strings.TrimSuffix(ex.URL, "/")+"/"+segment(id))
}

func (f *family) createdID(ptr string) error {
	ex, err := f.s.lastExchange()
	if err != nil {
		return err
	}
	return check.JSONPointer(ex, ptr, f.subjectID)
}

// collectionItem finds the created entity in the last response's "value".
func (f *family) collectionItem() (*check.Exchange, map[string]any, error) {
	ex, err := f.s.lastExchange()
	if err != nil {
		return nil, nil, err
	}
	doc, err := check.DecodeJSON(ex.Body)
	if err != nil {
		return ex, nil, failure(ex, "a JSON collection body", "a body that is not JSON")
	}
	items, _ := check.Resolve(doc, "/value")
	list, ok := items.([]any)
	if !ok {
		return ex, nil, failure(ex, `a "value" array`, "none")
	}
	for _, it := range list {
		if m, ok := it.(map[string]any); ok && m["id"] == f.subjectID {
			return ex, m, nil
		}
	}
	return ex, nil, failure(ex, fmt.Sprintf("an item with id %q (created by the scenario) in \"value\"", f.subjectID),
		fmt.Sprintf("%d item(s) without it", len(list)))
}

func (f *family) collectionHolds() error {
	_, _, err := f.collectionItem()
	return err
}

func (f *family) collectionMatches(name string) error {
	ex, item, err := f.collectionItem()
	if err != nil {
		return err
	}
	want, err := f.expected(name)
	if err != nil {
		return err
	}
	// Match the item alone; the evidence still shows the exchange.
	one := *ex
	one.Body, _ = json.Marshal(item)
	return check.MatchExample(&one, want, nil)
}

func (f *family) noBody() error {
	ex, err := f.s.lastExchange()
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(ex.Body)) == 0 {
		return nil
	}
	return failure(ex, "no body", fmt.Sprintf("a body of %d bytes", len(ex.Body)))
}

// nameCreated gives an example POST body's displayName the run's own
// graphconform- name, so that what the example creates on a real service can
// be found by a sweep if the run dies before its cleanup; the expected
// entity follows (see overrides). Other bodies are returned as they are.
func (f *family) nameCreated(body []byte) []byte {
	doc, err := check.DecodeJSON(body)
	obj, isObj := doc.(map[string]any)
	if err != nil || !isObj {
		return body
	}
	if _, ok := obj["displayName"].(string); !ok {
		return body
	}
	obj["displayName"] = f.s.displayName()
	if f.overrides == nil {
		f.overrides = map[string]any{}
	}
	f.overrides["displayName"] = obj["displayName"]
	out, err := json.MarshalIndent(obj, "", "  ")
	if err != nil {
		return body
	}
	return out
}

// sendWithBody sends the example's method and path with another body.
func (f *family) sendWithBody(ctx context.Context, name string, body *godog.DocString) error {
	fx, err := f.s.fixture(name)
	if err != nil {
		return err
	}
	p, err := f.s.resolvePath(fx.meta.Path)
	if err != nil {
		return err
	}
	return f.s.sendWrite(ctx, fx.meta.Method, f.s.env.BaseURL+p, []byte(body.Content))
}

func readFixtureFile(s *scenario, name, file string) ([]byte, error) {
	if _, err := s.fixture(name); err != nil {
		return nil, err
	}
	return fs.ReadFile(s.env.Fixtures, path.Join(name, file))
}

// failure is a failed check of these steps, rendered like every check's
// (redacted, bounded, control characters visible): the ids it quotes come
// from the target.
func failure(ex *check.Exchange, want, got string) *check.Failure {
	return check.Fail(ex, want, got)
}
