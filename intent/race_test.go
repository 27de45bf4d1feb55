//go:build race

package intent

import "testing"

// skipTraining skips a test that trains a full model: under the race
// detector that takes minutes, and textclass's own tests race the
// optimizer's goroutines on small problems. make test runs such tests
// again without the race detector, if the
// Makefile's TRAINING_TESTS names them.
func skipTraining(t *testing.T) {
	t.Helper()
	t.Skip("trains a full model; skipped under -race")
}
