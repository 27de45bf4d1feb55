//go:build race

package server

import "testing"

// skipTraining skips a test that trains a full model: under the race
// detector that takes minutes. make test runs such tests again without
// the race detector, if the Makefile's TRAINING_TESTS names them.
func skipTraining(t *testing.T) {
	t.Helper()
	t.Skip("trains a full model; skipped under -race (make test runs it without)")
}
