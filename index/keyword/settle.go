package keyword

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// Settle waits until the tenant's index has persisted and merged what it
// was given: Bleve merges segments in the background after a large
// ingest, and queries measured meanwhile measure the merging too.
func (x *Index) Settle(ctx context.Context, t string) error {
	idx, err := x.tenantIndex(t, false)
	if err != nil || idx == nil {
		return err
	}
	return Settle(ctx, idx)
}

// Settle waits until idx (a Bleve index on scorch) has persisted and
// merged everything and its segment files have stayed the same for a
// second.
func Settle(ctx context.Context, idx bleve.Index) error {
	var last string
	stableSince := time.Now()
	for {
		state, busy := mergeState(idx)
		switch {
		case busy || state != last:
			last, stableSince = state, time.Now()
		case time.Since(stableSince) >= time.Second:
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("keyword index still merging: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// mergeState describes idx's segments, and says whether a persist or a
// merge is pending.
func mergeState(idx bleve.Index) (string, bool) {
	m, _ := idx.StatsMap()["index"].(map[string]any)
	if m == nil {
		return "", false
	}
	num := func(k string) uint64 { v, _ := m[k].(uint64); return v }
	busy := num("CurRootEpoch") != num("LastPersistedEpoch") || num("CurRootEpoch") != num("LastMergedEpoch") ||
		num("TotFileMergePlanTasks") != num("TotFileMergePlanTasksDone")
	return fmt.Sprint(num("CurOnDiskFiles"), num("TotFileMergeSegments"), num("CurRootEpoch")), busy
}
