//go:build !race

package server

import "testing"

// skipTraining skips a test that trains a full model in -short mode.
func skipTraining(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("trains a full model")
	}
}
