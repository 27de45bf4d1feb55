//go:build !race

package intent

import "testing"

// skipTraining skips a test that trains a full model in -short mode.
func skipTraining(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("trains a full model")
	}
}
