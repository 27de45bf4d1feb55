package server

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// maxSchemaBytes bounds a response_format schema; real ones are a few KB.
const maxSchemaBytes = 64 << 10

// noLoader refuses every $ref outside the schema itself: a schema sent by
// a client must never make the server read a file or fetch a URL.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("references outside the schema are not allowed (%s)", url)
}

// checkJSONSchema compiles a client's JSON schema, so that a malformed one
// ({"type": [[]]}, a $ref to nothing) is refused as the client's mistake
// before the model server sees it. The message names the problem and never
// includes anything the model server said.
func checkJSONSchema(raw []byte) *apiError {
	bad := func(format string, args ...any) *apiError {
		return invalid("response_format", "response_format.json_schema.schema is not a valid JSON schema: "+format, args...)
	}
	if len(raw) > maxSchemaBytes {
		return bad("it is %d bytes; the limit is %d", len(raw), maxSchemaBytes)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return bad("it is not JSON")
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	const url = "urn:shopdesk:response-format"
	if err := c.AddResource(url, doc); err != nil {
		return bad("%s", schemaProblem(err))
	}
	if _, err := c.Compile(url); err != nil {
		return bad("%s", schemaProblem(err))
	}
	return nil
}

// schemaProblem is a one-line account of why a schema does not compile,
// without the compiler's internal URLs.
func schemaProblem(err error) string {
	var serr *jsonschema.SchemaValidationError
	if errors.As(err, &serr) {
		var verr *jsonschema.ValidationError
		if errors.As(serr.Err, &verr) {
			// The schema fails the meta-schema: name the first place.
			for _, c := range flatten(verr) {
				loc := "/" + strings.Join(c.InstanceLocation, "/")
				return fmt.Sprintf("at %s: %s", loc, c.ErrorKind.LocalizedString(english))
			}
		}
	}
	var ref *jsonschema.LoadURLError
	if errors.As(err, &ref) {
		return "a $ref points outside the schema"
	}
	var anchor *jsonschema.AnchorNotFoundError
	var ptr *jsonschema.JSONPointerNotFoundError
	if errors.As(err, &anchor) || errors.As(err, &ptr) {
		return "a $ref points to nothing in the schema"
	}
	msg := strings.ReplaceAll(err.Error(), "urn:shopdesk:response-format", "schema")
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return msg
}

var english = message.NewPrinter(language.English)

// flatten lists the innermost causes of a validation error, first first.
func flatten(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, flatten(c)...)
	}
	return out
}
