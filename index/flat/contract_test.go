package flat

import (
	"testing"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/vectortest"
)

func TestContract(t *testing.T) {
	vectortest.Run(t, func(t *testing.T, dims int) index.VectorStore {
		s, err := Open(Options{Dir: t.TempDir(), Dims: dims})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
