package intent

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// The shipped classifier, trained by internal/gen from the project's
// set, its templates and Bitext: `go generate ./intent` reproduces it
// byte for byte.
//
//go:generate go run ./internal/gen -out model.bin
//go:embed model.bin
var defaultModel []byte

var defaultOnce = sync.OnceValues(func() (*Classifier, error) { return Decode(defaultModel) })

// Default returns the shipped classifier. It panics if the embedded model
// is damaged, which a test rules out.
func Default() *Classifier {
	c, err := defaultOnce()
	if err != nil {
		panic("intent: embedded model: " + err.Error())
	}
	return c
}

// ModelFile is where a retrained classifier is kept, under the data
// directory.
const ModelFile = "models/intents.bin"

// Load returns the classifier to use for dataDir: the retrained one at
// <dataDir>/models/intents.bin if there is one, else Default. from says
// which ("default" or the file's path). A file that exists but cannot be
// read or decoded is an error, not a silent fall-back.
func Load(dataDir string) (c *Classifier, from string, err error) {
	path := filepath.Join(dataDir, ModelFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Default(), "default", nil
	}
	if err != nil {
		return nil, "", err
	}
	c, err = Decode(data)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	return c, path, nil
}
