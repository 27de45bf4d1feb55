package intent_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/intent"
	"github.com/shopdesk/shopdesk/sentiment"
)

var benchMessages = []string{
	"Has the tent I ordered last week shipped yet?",
	"我的快递到哪了，三天没更新了",
	"How long do I have to return something?",
	"Do you have the Storm Shell jacket in green, size M?",
	"能开发票吗？公司抬头",
	"I was charged twice, I want to talk to a real person",
}

// BenchmarkClassify measures intent and mood together per message and
// prints the p50 against the target. The entity extractor (issue
// 10 §3) is another engineer's and not included.
func BenchmarkClassify(b *testing.B) {
	ic, mood := intent.Default(), sentiment.Default()
	n := 2000
	if testing.Short() {
		n = 200
	}
	times := make([]time.Duration, 0, n)
	for i := range n {
		m := benchMessages[i%len(benchMessages)]
		start := time.Now()
		ic.Classify(m)
		mood.Classify(m)
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	p50 := times[len(times)/2]
	fmt.Printf("intent + mood: p50 %.1f µs (target ≤ 100 µs), p99 %.1f µs\n", float64(p50.Nanoseconds())/1e3, float64(times[len(times)*99/100].Nanoseconds())/1e3)
	for i := 0; i < b.N; i++ {
		m := benchMessages[i%len(benchMessages)]
		ic.Classify(m)
		mood.Classify(m)
	}
}

// BenchmarkModelSize prints the shipped models' sizes.
func BenchmarkModelSize(b *testing.B) {
	ib, err := intent.Default().MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	mb, err := sentiment.Default().MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	total := len(ib) + len(mb)
	fmt.Printf("models: intent %d KB + mood %d KB = %d KB (target ≤ 5 MB)\n", len(ib)/1024, len(mb)/1024, total/1024)
	if total > 5<<20 {
		b.Errorf("models are %d bytes, over 5 MB", total)
	}
	for range b.N {
	}
}
