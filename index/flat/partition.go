package flat

// blockRows is how many vectors' codes share one allocation: large enough
// for the scan to run long stretches, small enough that growing a tenant
// never copies much.
const blockRows = 1024

// partition is one tenant's vectors: in memory their int8 codes and
// scales, on disk (in the log) their float32 values at offs.
type partition struct {
	dims   int
	keys   []string
	pos    map[string]int
	blocks [][]int8 // codes, blockRows vectors to a block, the last one filling
	scales []float32
	offs   []int64 // where each vector's float32 values start in the log
}

func newPartition(dims int) *partition {
	return &partition{dims: dims, pos: map[string]int{}}
}

// row returns vector i's codes.
func (p *partition) row(i int) []int8 {
	b, r := i/blockRows, i%blockRows
	return p.blocks[b][r*p.dims : (r+1)*p.dims]
}

// put stores key's vector (of unit length), found at off in the log. It
// reports whether the key is new.
func (p *partition) put(key string, vec []float32, off int64) bool {
	if i, ok := p.pos[key]; ok {
		p.scales[i] = quantize(vec, p.row(i))
		p.offs[i] = off
		return false
	}
	i := len(p.keys)
	if i%blockRows == 0 {
		p.blocks = append(p.blocks, make([]int8, 0, 16*p.dims))
	}
	last := &p.blocks[len(p.blocks)-1]
	if len(*last) == cap(*last) { // grow the filling block, never past blockRows
		grown := make([]int8, len(*last), min(2*cap(*last), blockRows*p.dims))
		copy(grown, *last)
		*last = grown
	}
	*last = (*last)[:len(*last)+p.dims]
	p.pos[key] = i
	p.keys = append(p.keys, key)
	p.scales = append(p.scales, quantize(vec, p.row(i)))
	p.offs = append(p.offs, off)
	return true
}

// del removes key by moving the last vector into its place. It reports
// whether the key was there.
func (p *partition) del(key string) bool {
	i, ok := p.pos[key]
	if !ok {
		return false
	}
	last := len(p.keys) - 1
	if i != last {
		p.keys[i], p.scales[i], p.offs[i] = p.keys[last], p.scales[last], p.offs[last]
		copy(p.row(i), p.row(last))
		p.pos[p.keys[i]] = i
	}
	p.keys, p.scales, p.offs = p.keys[:last], p.scales[:last], p.offs[:last]
	b := &p.blocks[len(p.blocks)-1]
	if *b = (*b)[:len(*b)-p.dims]; len(*b) == 0 {
		p.blocks = p.blocks[:len(p.blocks)-1]
	}
	delete(p.pos, key)
	return true
}

// span calls fn for each stretch of consecutive vectors in [lo, hi): the
// index of the first and their codes.
func (p *partition) span(lo, hi int, fn func(first int, codes []int8)) {
	for lo < hi {
		b, r := lo/blockRows, lo%blockRows
		end := min(hi, (b+1)*blockRows)
		fn(lo, p.blocks[b][r*p.dims:(end-b*blockRows)*p.dims])
		lo = end
	}
}
