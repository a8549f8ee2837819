package docgen

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Annotation is the JSON an ApiDoctor HTML comment holds before a code block.
// Known fields are typed; Raw keeps every field as written, so nothing the
// page says is lost.
type Annotation struct {
	Line int // line where the comment starts

	BlockType          string                     `json:"blockType"`
	Name               string                     `json:"name"`
	Truncated          flexBool                   `json:"truncated"`
	ODataType          string                     `json:"@odata.type"`
	IsCollection       flexBool                   `json:"isCollection"`
	ExpectError        flexBool                   `json:"expectError"`
	OptionalProperties []string                   `json:"optionalProperties"`
	Raw                map[string]json.RawMessage `json:"-"`
}

// flexBool accepts true/false and, as some pages write them, "true"/"false".
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case bool:
		*b = flexBool(v)
		return nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			*b = true
			return nil
		case "false", "":
			*b = false
			return nil
		}
	case nil:
		*b = false
		return nil
	}
	return fmt.Errorf("got %s; want true or false", data)
}

// parseAnnotation decodes the text of an HTML comment that starts with '{'
// (text is the comment's inner text, which begins on line). encoding/json
// does the work: spacing and line breaks do not matter, and a field of the
// wrong type is an error that names the field, not a guess. The returned
// line is where the problem is.
func parseAnnotation(text string, line int) (*Annotation, int, error) {
	lead := len(text) - len(strings.TrimLeft(text, " \t\r\n"))
	line += strings.Count(text[:lead], "\n")
	data := []byte(strings.TrimSpace(text))
	a := &Annotation{Line: line}
	if err := json.Unmarshal(data, &a.Raw); err != nil {
		if l, ok := jsonErrorLine(data, err); ok {
			line += l - 1
		}
		return nil, line, fmt.Errorf("annotation is not a JSON object: %v", err)
	}
	fields := []struct {
		name string
		dst  any
	}{
		{"blockType", &a.BlockType}, {"name", &a.Name}, {"truncated", &a.Truncated},
		{"@odata.type", &a.ODataType}, {"isCollection", &a.IsCollection},
		{"expectError", &a.ExpectError}, {"optionalProperties", &a.OptionalProperties},
	}
	for key, raw := range a.Raw {
		for _, f := range fields {
			if !strings.EqualFold(key, f.name) {
				continue
			}
			if err := json.Unmarshal(raw, f.dst); err != nil {
				return nil, line, fmt.Errorf("annotation field %q: %v", key, err)
			}
		}
	}
	a.BlockType = strings.TrimSpace(a.BlockType)
	a.Name = strings.TrimSpace(a.Name)
	return a, line, nil
}

// jsonErrorLine returns the 1-based line inside data where a JSON error is.
func jsonErrorLine(data []byte, err error) (int, bool) {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		l, _ := lineCol(data, se.Offset)
		return l, true
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		l, _ := lineCol(data, te.Offset)
		return l, true
	}
	return 0, false
}

func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col = 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
